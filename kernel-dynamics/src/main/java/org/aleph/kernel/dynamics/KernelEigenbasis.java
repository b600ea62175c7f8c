package org.aleph.kernel.dynamics;

import java.util.Locale;
import org.aleph.kernel.Matrix;

/**
 * The eigendecomposition K + r I = W^T diag(lambda) W of a regularised train-train kernel,
 * with the targets projected on it (W y), from which the MSE dynamics at any time follow.
 * Eigenvalues below 0 (rounding of a positive semi-definite kernel) are treated as 0, as
 * neural-tangents does; how many were is reported in {@link #note()}.
 */
final class KernelEigenbasis {

    final int n;
    final double[] lambda;
    final double[] clamped;
    final double[] w;
    final double[] yProjected;
    final double regularizer;
    private final int negatives;
    private final double mostNegative;

    KernelEigenbasis(Matrix kernel, Matrix y, DiagonalRegularizer reg, LinearAlgebra la, String what) {
        n = kernel.rows();
        Checks.shape(kernel, y.rows(), y.rows(), what);
        Checks.finite(kernel, what);
        double[] a = kernel.data().clone();
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i * n + i];
        }
        regularizer = reg.absoluteAmount(trace / n);
        for (int i = 0; i < n; i++) {
            a[i * n + i] += regularizer;
        }
        lambda = la.symmetricEigen(a, n);
        w = a;
        clamped = new double[n];
        int neg = 0;
        double most = 0;
        for (int i = 0; i < n; i++) {
            clamped[i] = Math.max(lambda[i], 0);
            if (lambda[i] < 0) {
                neg++;
                most = Math.min(most, lambda[i]);
            }
        }
        negatives = neg;
        mostNegative = most;
        int k = y.cols();
        yProjected = new double[n * k];
        la.gemm(false, false, n, k, n, 1.0, w, y.data(), 0.0, yProjected);
        Checks.finiteResult(lambda, what + " eigenvalues");
    }

    /**
     * g(lambda, s) = (1 - exp(-lambda s)) / lambda, the eigenvalues of
     * Theta^{-1} (I - exp(-Theta s)), with its limit s at lambda = 0 (neural-tangents' -inv_expm1).
     */
    double[] inverseExpm1(double s) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double l = clamped[i];
            g[i] = l > 0 ? -Math.expm1(-l * s) / l : s;
        }
        return g;
    }

    /** 1 - exp(-lambda s), the eigenvalues of I - exp(-Theta s). */
    double[] oneMinusExp(double s) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = -Math.expm1(-clamped[i] * s);
        }
        return g;
    }

    /** exp(-lambda s). */
    double[] exp(double s) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = Math.exp(-clamped[i] * s);
        }
        return g;
    }

    /** A note when eigenvalues had to be treated as 0, or null. */
    String note(String what) {
        return negatives == 0 ? null : String.format(Locale.ROOT,
                "%s: %d eigenvalue(s) below 0 (smallest %.3g) treated as 0", what, negatives, mostNegative);
    }
}
