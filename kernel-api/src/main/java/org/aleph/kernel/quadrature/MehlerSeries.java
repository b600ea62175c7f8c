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
 * variance and each entry costs at most {@value #TERMS} multiply-adds (fewer for small rho, see
 * {@link #sum}; well under a microsecond, against
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
 * h_(k+1) = (z h_k - sqrt(k) h_(k-1)) / sqrt(k + 1) of the normalised polynomials, written
 * with precomputed factors and run for four nodes at once (independent dependency chains).
 */
final class MehlerSeries {

    /** Number of terms k = 0 .. TERMS - 1. */
    static final int TERMS = 190;
    /** Largest |rho| for which the series is used. */
    static final double MAX_RHO = 0.8;
    /** Half-width of the window in z for the coefficients. */
    static final double WINDOW = 15.0;
    /** INV[k] = 1 / sqrt(k), RATIO[k] = sqrt(k - 1) / sqrt(k): the recurrence without divisions. */
    private static final double[] INV = new double[TERMS + 1];
    private static final double[] RATIO = new double[TERMS + 1];
    /** Nodes advanced together through the recurrence (independent chains keep the pipeline full). */
    private static final int BLOCK = 4;

    static {
        for (int k = 1; k <= TERMS; k++) {
            INV[k] = 1 / Math.sqrt(k);
            RATIO[k] = Math.sqrt(k - 1) / Math.sqrt(k);
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
        // gather the nodes with f != 0 and their weighted values, then run the recurrence
        // h_(k+1) = x h_k / sqrt(k + 1) - sqrt(k / (k + 1)) h_(k-1) for BLOCK nodes at a time
        int n = plan.size;
        double[] xs = new double[n + BLOCK];
        double[] fws = new double[n + BLOCK];
        int m = 0;
        for (int j = 0; j < n; j++) {
            double fw = w[j] * f.applyAsDouble(s * z[j]);
            if (fw != 0) {
                xs[m] = z[j];
                fws[m] = fw;
                m++;
            }
        }
        for (int j = 0; j < m; j += BLOCK) {
            // padding nodes (beyond m) have weight 0 and contribute nothing
            double x0 = xs[j];
            double x1 = xs[j + 1];
            double x2 = xs[j + 2];
            double x3 = xs[j + 3];
            double w0 = fws[j];
            double w1 = fws[j + 1];
            double w2 = fws[j + 2];
            double w3 = fws[j + 3];
            double p0 = 1;
            double p1 = 1;
            double p2 = 1;
            double p3 = 1;
            double h0 = x0;
            double h1 = x1;
            double h2 = x2;
            double h3 = x3;
            a[0] += w0 + w1 + w2 + w3;
            a[1] += w0 * h0 + w1 * h1 + w2 * h2 + w3 * h3;
            for (int k = 1; k + 1 < TERMS; k++) {
                double inv = INV[k + 1];
                double ratio = RATIO[k + 1];
                double n0 = x0 * inv * h0 - ratio * p0;
                double n1 = x1 * inv * h1 - ratio * p1;
                double n2 = x2 * inv * h2 - ratio * p2;
                double n3 = x3 * inv * h3 - ratio * p3;
                p0 = h0;
                p1 = h1;
                p2 = h2;
                p3 = h3;
                h0 = n0;
                h1 = n1;
                h2 = n2;
                h3 = n3;
                a[k + 1] += w0 * h0 + w1 * h1 + w2 * h2 + w3 * h3;
            }
        }
        return a;
    }

    /**
     * sum_k rho^k a_k b_k by Horner's rule, over the terms k &lt; K(rho) that matter: by
     * Cauchy-Schwarz the terms from K on sum to at most |rho|^K sqrt(sum a_k^2 sum b_k^2)
     * &lt;= |rho|^K sqrt(E[f(u)^2] E[f(v)^2]), and K is the smallest with |rho|^K &lt;= 1e-17
     * (at most {@value #TERMS}; 16 terms at rho = 0.08), far below the promise's floor of 1e-6
     * of that bound. Two interleaved chains in rho^2 (even and odd k) halve the latency.
     */
    static double sum(double[] a, double[] b, double rho) {
        int terms = terms(rho);
        double r2 = rho * rho;
        double even = 0;
        double odd = 0;
        int k = terms - 1;
        if ((k & 1) == 1) {
            odd = a[k] * b[k];
            k--;
        }
        // now k is even: alternate even (k) and odd (k - 1) terms
        for (; k >= 2; k -= 2) {
            even = even * r2 + a[k] * b[k];
            odd = odd * r2 + a[k - 1] * b[k - 1];
        }
        even = even * r2 + a[0] * b[0];
        return even + rho * odd;
    }

    /** Number of terms needed at rho: min(TERMS, the smallest K with |rho|^K &lt;= 1e-17), at least 1. */
    static int terms(double rho) {
        double r = Math.abs(rho);
        if (r == 0) {
            return 1;
        }
        double k = Math.ceil(LOG_TAIL / Math.log(r));
        return k >= TERMS ? TERMS : Math.max(1, (int) k);
    }

    /** ln(1e-17): the truncation level of {@link #sum}, relative to the Cauchy-Schwarz bound. */
    private static final double LOG_TAIL = Math.log(1e-17);
}
