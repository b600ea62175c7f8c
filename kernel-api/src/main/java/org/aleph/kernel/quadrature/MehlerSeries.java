package org.aleph.kernel.quadrature;

import java.util.function.DoubleUnaryOperator;

/**
 * E[f(u) f(v)] by Mehler's formula, for correlations up to {@value #MAX_RHO} in absolute value:
 * <pre>
 *   E[f(s1 Z1) f(s2 Z2)] = sum_k rho^k a_k(s1) a_k(s2),   a_k(s) = E[f(s Z) He_k(Z)] / sqrt(k!),
 * </pre>
 * (Z1, Z2) standard normals with correlation rho and He_k the probabilists' Hermite
 * polynomials (Mehler 1866; O'Donnell, Analysis of Boolean Functions, ch. 11). The coefficients
 * depend on one variance only, so a tile computes them once per distinct row or column
 * variance and each entry costs {@value #TERMS} multiply-adds.
 *
 * <p>Truncation: by Cauchy-Schwarz the omitted tail is at most
 * |rho|^TERMS sqrt(E[f(u)^2] E[f(v)^2]) &lt;= 0.6^80 = 2e-18 of the Cauchy-Schwarz bound,
 * whatever the smoothness of f. The coefficients are computed by one composite Gauss-Legendre
 * rule on [-{@value #WINDOW}, {@value #WINDOW}] (beyond which every He_k(z) phi(z), k &lt; 80, is
 * below e^-98), split and graded at f's kinks and centre like the direct rule, with panels of
 * length at most 1 and at least 16 nodes so that the oscillations of He_79 are resolved.
 */
final class MehlerSeries {

    /** Number of terms k = 0 .. TERMS - 1. */
    static final int TERMS = 80;
    /** Largest |rho| for which the series is used. */
    static final double MAX_RHO = 0.6;
    /** Half-width of the window in z for the coefficients. */
    static final double WINDOW = 20.0;
    private static final double[] SQRT = new double[TERMS + 1];

    static {
        for (int k = 0; k <= TERMS; k++) {
            SQRT[k] = Math.sqrt(k);
        }
    }

    private MehlerSeries() {
    }

    /** a_k(s) for k &lt; TERMS, s = sqrt(q) &gt; 0. */
    static double[] coefficients(DoubleUnaryOperator f, double q, double[] kinks, double scale, double tol, PanelPlan plan) {
        double s = Math.sqrt(q);
        plan.clear();
        for (double k : kinks) {
            plan.add(k / s, scale / s, true);
        }
        plan.add(0.0, scale / s, false);
        plan.build(tol, WINDOW, 1.0, 16, true);
        double[] a = new double[TERMS];
        double[] z = plan.z;
        double[] w = plan.w;
        for (int j = 0, n = plan.size; j < n; j++) {
            double x = z[j];
            double fw = w[j] * f.applyAsDouble(s * x);
            if (fw == 0) {
                continue;
            }
            double hPrev = 1.0;
            double h = x;
            a[0] += fw;
            a[1] += fw * x;
            for (int k = 1; k + 1 < TERMS; k++) {
                double next = (x * h - SQRT[k] * hPrev) / SQRT[k + 1];
                hPrev = h;
                h = next;
                a[k + 1] += fw * h;
            }
        }
        return a;
    }

    /** sum_k rho^k a_k b_k by Horner's rule. */
    static double sum(double[] a, double[] b, double rho) {
        double acc = 0;
        for (int k = TERMS - 1; k >= 0; k--) {
            acc = acc * rho + a[k] * b[k];
        }
        return acc;
    }
}
