package org.aleph.kernel.fit;

import java.util.Random;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.LinearAlgebra;

/** Small data sets for the tests: Gaussian inputs, and targets drawn from a known NNGP prior. */
final class Data {

    private Data() {
    }

    static Matrix gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        return Matrix.wrap(n, d, x);
    }

    /**
     * k columns drawn from N(0, s K + noise I), K the NNGP of the network computed by kernel-api's
     * KernelComputer (not by the code under test), through the Cholesky factor.
     */
    static Matrix prior(Network net, Matrix x, double scale, double noise, int k, long seed) {
        int n = x.rows();
        double[] a = new KernelComputer(net, 1).compute(x, null).nngp().data().clone();
        for (int i = 0; i < a.length; i++) {
            a[i] *= scale;
        }
        for (int i = 0; i < n; i++) {
            a[i * n + i] += noise;
        }
        LinearAlgebra la = LinearAlgebra.pureJava();
        if (la.choleskyInPlace(a, n) != 0) {
            throw new IllegalStateException("prior covariance not positive definite");
        }
        Random r = new Random(seed);
        double[] z = new double[n * k];
        for (int i = 0; i < z.length; i++) {
            z[i] = r.nextGaussian();
        }
        double[] y = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double l = a[i * n + j];
                for (int c = 0; c < k; c++) {
                    y[i * k + c] += l * z[j * k + c];
                }
            }
        }
        return Matrix.wrap(n, k, y);
    }
}
