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
 * variance and each entry costs {@value #TERMS} multiply-adds (about a microsecond, against
 * thousands of evaluations of f for the direct rule).
 *
 * <p>Truncation: by Cauchy-Schwarz the omitted tail is at most
 * |rho|^TERMS sqrt(E[f(u)^2] E[f(v)^2]) &lt;= 0.8^190 = 4e-19 of the Cauchy-Schwarz bound,
 * whatever the smoothness of f. The coefficients are computed by one composite Gauss-Legendre
 * rule on [-{@value #WINDOW}, {@value #WINDOW}], split and graded at f's kinks and centre like
 * the direct rule, with panels of length at most 0.5 and at least 16 nodes so that the
 * oscillations of He_189 (frequency about 14) are resolved. The window suffices for every k:
 * by Cramér's inequality |He_k(z)| exp(-z^2/4) / sqrt(k!) &lt;= 1.09, so the integrand beyond
 * |z| = 15 is below 1.09 |f(s z)| exp(-z^2/4) / sqrt(2 pi) &lt; 1e-24 |f(s z)|.
 * The coefficients are evaluated with the stable three-term recurrence
 * h_(k+1) = (z h_k - sqrt(k) h_(k-1)) / sqrt(k + 1) of the normalised polynomials.
 */
final class MehlerSeries {

    /** Number of terms k = 0 .. TERMS - 1. */
    static final int TERMS = 190;
    /** Largest |rho| for which the series is used. */
    static final double MAX_RHO = 0.8;
    /** Half-width of the window in z for the coefficients. */
    static final double WINDOW = 15.0;
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
        plan.build(tol, WINDOW, 0.5, 16, true);
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
