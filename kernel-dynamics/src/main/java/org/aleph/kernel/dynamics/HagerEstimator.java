package org.aleph.kernel.dynamics;

import java.util.Arrays;

/**
 * Hager's estimate of ||A^{-1}||_1 for a symmetric positive definite A given its Cholesky
 * factor, with Higham's safeguards (N. J. Higham, "FORTRAN codes for estimating the one-norm
 * of a real or complex matrix", ACM TOMS 14, 1988; LAPACK dlacn2): at most
 * {@link #MAX_ITERATIONS} pairs of solves, each O(n^2), and the extra alternating test vector.
 * The estimate is a lower bound on the true norm, usually within a factor of 3.
 */
final class HagerEstimator {

    /** Iterations of the power-like method (LAPACK uses 5). */
    static final int MAX_ITERATIONS = 5;

    private HagerEstimator() {
    }

    /** 1 / (||A||_1 ||A^{-1}||_1 estimate). */
    static double reciprocalCondition(LinearAlgebra la, double[] l, int n, double normA1) {
        if (n == 0) {
            return 1.0;
        }
        double[] x = new double[n];
        Arrays.fill(x, 1.0 / n);
        double est = 0;
        int previous = -1;
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            double[] y = x.clone();
            la.choleskySolveRows(l, n, y, 1);
            double norm = norm1(y);
            if (iter > 0 && norm <= est) {
                break;
            }
            est = norm;
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                z[i] = y[i] >= 0 ? 1 : -1;
            }
            la.choleskySolveRows(l, n, z, 1);
            int j = 0;
            double zx = 0;
            for (int i = 0; i < n; i++) {
                if (Math.abs(z[i]) > Math.abs(z[j])) {
                    j = i;
                }
                zx += z[i] * x[i];
            }
            if (iter > 0 && (Math.abs(z[j]) <= zx || j == previous)) {
                break;
            }
            previous = j;
            Arrays.fill(x, 0);
            x[j] = 1;
        }
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = (i % 2 == 0 ? 1 : -1) * (1 + (n == 1 ? 0 : (double) i / (n - 1)));
        }
        la.choleskySolveRows(l, n, b, 1);
        est = Math.max(est, 2 * norm1(b) / (3.0 * n));
        return 1.0 / (normA1 * est);
    }

    private static double norm1(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }
}
