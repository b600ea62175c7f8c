package org.aleph.kernel.dynamics;

import org.aleph.kernel.Matrix;

/**
 * Accumulates a predictive covariance C = C_0 + sum of products of m x n factors, either in
 * full (m x m, through GEMM) or only its diagonal (O(m n) per term, without forming C).
 */
final class CovarianceAccumulator {

    private final LinearAlgebra la;
    private final int m;
    private final int n;
    private final boolean full;
    private final double[] c;
    private final double[] v;

    CovarianceAccumulator(LinearAlgebra la, int m, int n, boolean full, TestPrior prior) {
        this.la = la;
        this.m = m;
        this.n = n;
        this.full = full;
        this.c = full ? prior.full.clone() : null;
        this.v = full ? null : prior.diagonal.clone();
    }

    /** C += s A B^T for m x n arrays A, B. */
    void addProduct(double[] a, double[] b, double s) {
        if (full) {
            la.gemm(false, true, m, m, n, s, a, b, 1.0, c);
        } else {
            for (int i = 0; i < m; i++) {
                double dot = 0;
                int off = i * n;
                for (int j = 0; j < n; j++) {
                    dot += a[off + j] * b[off + j];
                }
                v[i] += s * dot;
            }
        }
    }

    /** C += s (A B^T + B A^T). */
    void addSymmetricProduct(double[] a, double[] b, double s) {
        if (full) {
            la.gemm(false, true, m, m, n, s, a, b, 1.0, c);
            la.gemm(false, true, m, m, n, s, b, a, 1.0, c);
        } else {
            addProduct(a, b, 2 * s);
        }
    }

    /** C += s A S A^T for an n x n S. */
    void addSandwich(double[] a, double[] sMatrix, double s) {
        double[] q = new double[m * n];
        la.gemm(false, false, m, n, n, 1.0, a, sMatrix, 0.0, q);
        addProduct(q, a, s);
    }

    /** A diag(d) for an m x n A (a new array). */
    static double[] scaleColumns(double[] a, int rows, int cols, double[] d) {
        double[] out = new double[a.length];
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                out[off + j] = a[off + j] * d[j];
            }
        }
        return out;
    }

    /** The prediction with the accumulated covariance (symmetrised) and its diagonal. */
    Prediction toPrediction(double time, Matrix mean, String what) {
        if (full) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < i; j++) {
                    double avg = 0.5 * (c[i * m + j] + c[j * m + i]);
                    c[i * m + j] = avg;
                    c[j * m + i] = avg;
                }
            }
            Checks.finiteResult(c, what + " covariance");
            double[] diag = new double[m];
            for (int i = 0; i < m; i++) {
                diag[i] = c[i * m + i];
            }
            return new Prediction(time, mean, Matrix.wrap(m, m, c), diag);
        }
        Checks.finiteResult(v, what + " variance");
        return new Prediction(time, mean, null, v);
    }
}
