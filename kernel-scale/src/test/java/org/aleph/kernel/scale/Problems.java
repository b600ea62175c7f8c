package org.aleph.kernel.scale;

import java.util.Random;
import org.aleph.kernel.Matrix;

/** Small classification problems: Gaussian clusters, one-hot targets 0.9 / -0.1. */
final class Problems {

    static final String SPEC = "Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)";

    final Matrix xTrain;
    final Matrix xTest;
    final Matrix y;
    final int[] testLabels;

    private Problems(Matrix xTrain, Matrix xTest, Matrix y, int[] testLabels) {
        this.xTrain = xTrain;
        this.xTest = xTest;
        this.y = y;
        this.testLabels = testLabels;
    }

    /** n training and m test points in d dimensions around `classes` random centres (overlapping). */
    static Problems clusters(int n, int m, int d, int classes, long seed) {
        Random r = new Random(seed);
        double[][] centres = new double[classes][d];
        for (double[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = r.nextGaussian();
            }
        }
        double[] xt = new double[n * d];
        double[] y = new double[n * classes];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(classes);
            for (int j = 0; j < d; j++) {
                xt[i * d + j] = centres[c][j] + 1.2 * r.nextGaussian();
            }
            for (int q = 0; q < classes; q++) {
                y[i * classes + q] = q == c ? 0.9 : -0.1;
            }
        }
        double[] xs = new double[m * d];
        int[] labels = new int[m];
        for (int i = 0; i < m; i++) {
            int c = r.nextInt(classes);
            labels[i] = c;
            for (int j = 0; j < d; j++) {
                xs[i * d + j] = centres[c][j] + 1.2 * r.nextGaussian();
            }
        }
        return new Problems(Matrix.wrap(n, d, xt), Matrix.wrap(m, d, xs), Matrix.wrap(n, classes, y), labels);
    }

    static int[] argmax(Matrix m) {
        int[] a = new int[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            for (int c = 1; c < m.cols(); c++) {
                if (m.get(i, c) > m.get(i, a[i])) {
                    a[i] = c;
                }
            }
        }
        return a;
    }
}
