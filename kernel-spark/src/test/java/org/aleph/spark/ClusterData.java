package org.aleph.spark;

import java.util.Random;
import org.aleph.kernel.Matrix;

/**
 * Classification data for the Spark tests: Gaussian clusters around random centres in d
 * dimensions, one-hot targets 0.9 / -0.1 (Aleph's classification convention).
 *
 * @param xTrain n x d training inputs
 * @param y      n x classes targets
 * @param xTest  m x d test inputs drawn from the same clusters
 */
record ClusterData(Matrix xTrain, Matrix y, Matrix xTest) {

    static ClusterData draw(Random r, int n, int m, int d, int classes, double spread) {
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
                xt[i * d + j] = centres[c][j] + spread * r.nextGaussian();
            }
            for (int q = 0; q < classes; q++) {
                y[i * classes + q] = q == c ? 0.9 : -0.1;
            }
        }
        double[] xs = new double[m * d];
        for (int i = 0; i < m; i++) {
            int c = r.nextInt(classes);
            for (int j = 0; j < d; j++) {
                xs[i * d + j] = centres[c][j] + spread * r.nextGaussian();
            }
        }
        return new ClusterData(Matrix.wrap(n, d, xt), Matrix.wrap(n, classes, y), Matrix.wrap(m, d, xs));
    }
}
