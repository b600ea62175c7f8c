package org.aleph.kernel.dynamics;

import java.util.Random;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;

/** Small training / test problems with the kernels of a real Relu network. */
final class Fixtures {

    static final String SPEC = "Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)";

    final Matrix xTrain;
    final Matrix xTest;
    final Matrix y;
    final KernelPair trainTrain;
    final KernelPair testTrain;
    final KernelPair testTest;

    private Fixtures(Matrix xTrain, Matrix xTest, Matrix y) {
        this.xTrain = xTrain;
        this.xTest = xTest;
        this.y = y;
        KernelComputer computer = new KernelComputer(Network.parse(SPEC), 1);
        KernelResult dd = computer.compute(xTrain, null);
        KernelResult td = computer.compute(xTest, xTrain);
        KernelResult tt = computer.compute(xTest, null);
        trainTrain = KernelPair.of(dd);
        testTrain = KernelPair.of(td);
        testTest = KernelPair.of(tt);
    }

    /** n training and m test points in d = 4 dimensions, k target columns, from a seed. */
    static Fixtures random(int n, int m, int k, long seed) {
        Random r = new Random(seed);
        return new Fixtures(gaussian(r, n, 4), gaussian(r, m, 4), gaussian(r, n, k));
    }

    /** The same problem with the training points (and their targets) permuted. */
    Fixtures permuted(int[] perm) {
        return new Fixtures(permuteRows(xTrain, perm), xTest, permuteRows(y, perm));
    }

    static Matrix gaussian(Random r, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Matrix.wrap(rows, cols, d);
    }

    static Matrix permuteRows(Matrix a, int[] perm) {
        double[][] rows = new double[a.rows()][];
        for (int i = 0; i < perm.length; i++) {
            rows[i] = a.row(perm[i]);
        }
        return Matrix.of(rows);
    }

    static int[] randomPermutation(int n, long seed) {
        Random r = new Random(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " != " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double maxAbs(double[] a) {
        double max = 0;
        for (double v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    static Matrix m(double[][] rows) {
        return Matrix.of(rows);
    }
}
