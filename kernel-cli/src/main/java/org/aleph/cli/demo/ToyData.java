package org.aleph.cli.demo;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The toy regression of the demo, after neural-tangents' cookbook: targets
 * y = sin(x) + noise * z (z standard normal) at {@code n} training inputs drawn uniformly
 * from [lo, hi] and sorted, and {@code m} evenly spaced test inputs on [lo, hi] whose targets
 * are the noise-free sin(x).
 *
 * @param trainX training inputs, increasing
 * @param trainY noisy training targets
 * @param testX  test inputs, evenly spaced
 * @param testY  sin at the test inputs
 */
public record ToyData(double[] trainX, double[] trainY, double[] testX, double[] testY) {

    /** Draws the data from {@code seed}; the same seed gives the same data. */
    public static ToyData noisySine(int n, int m, double lo, double hi, double noise, long seed) {
        if (n < 1 || m < 2 || !(hi > lo) || !(noise >= 0)) {
            throw new IllegalArgumentException("bad toy data: n=" + n + " m=" + m + " [" + lo + ", " + hi + "] noise=" + noise);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * rng.nextDouble();
        }
        Arrays.sort(x);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(x[i]) + noise * rng.nextGaussian();
        }
        double[] tx = new double[m];
        double[] ty = new double[m];
        for (int i = 0; i < m; i++) {
            tx[i] = lo + (hi - lo) * i / (m - 1);
            ty[i] = Math.sin(tx[i]);
        }
        return new ToyData(x, y, tx, ty);
    }

    /** Root mean square of a - b. */
    public static double rmse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }
}
