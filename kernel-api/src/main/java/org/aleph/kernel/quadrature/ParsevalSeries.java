package org.aleph.kernel.quadrature;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Gaussians;

/**
 * Mehler's series for a smooth f at any correlation, with as many terms as each variance needs
 * and a truncation bound certified by Parseval's identity:
 * <pre>
 *   E[f(s1 Z1) f(s2 Z2)] = sum_k rho^k a_k(s1) a_k(s2),   a_k(s) = E[f(s Z) He_k(Z)] / sqrt(k!),
 *   sum_k a_k(s)^2 = E[f(s Z)^2]                                    (Parseval),
 *   |sum_(k &gt;= K) rho^k a_k b_k| &lt;= |rho|^K sqrt(T_a(K) T_b(K)),   T(K) = E[f^2] - sum_(k &lt; K) a_k^2
 * </pre>
 * (Mehler 1866; Cauchy-Schwarz on the tail). For f analytic in a strip around the real axis
 * (tanh, sigmoid, softplus, silu, mish, erf) the normalised Hermite coefficients decay like
 * exp(-c sqrt(k)), so a few hundred terms bring T(K) below 1e-13 E[f^2] for standard deviations
 * up to about 3 and the series serves correlations up to and including +-1, where Mehler's
 * series on its own (truncated by |rho|^K alone, {@link MehlerSeries}) would need thousands of
 * terms. This is the per-variance Hermite expansion of Han, Avron, Shoham, Kim and Shin,
 * "Fast neural kernel embeddings for general activations" (NeurIPS 2022), with the truncation
 * decided by the tail bound instead of a fixed degree.
 *
 * <p><b>Coefficients</b> ({@link #expand}): one composite 32-point Gauss-Legendre rule on
 * [-{@value #WINDOW}, {@value #WINDOW}] with panels of length 1 (768 nodes), weighted by the
 * normal density; it resolves the normalised Hermite polynomials up to degree
 * {@value #MAX_TERMS} (frequency at most sqrt(4k + 2) = 40, so 20 radians per panel half, whose
 * Chebyshev coefficients are negligible well before the rule's exact degree 63), and the window
 * loses less than 1e-15 since |He_k(z)| exp(-z^2/4) / sqrt(k!) &lt;= 1.09 (Cramér). The
 * three-term recurrence h_(k+1) = (z h_k - sqrt(k) h_(k-1)) / sqrt(k + 1) runs degree by degree
 * over all nodes at once (vectorised), with eight partial sums for a_k, and stops as soon as
 * T(k) &lt;= {@value #TAIL} E[f^2] and k reaches the length asked for (a partner expansion's
 * length: a sum needs both to the same degree). The computed T carries a rounding error of
 * about k units of roundoff of E[f^2]; {@link Expansion#tail} adds twice that, so the bound
 * stays an upper bound.
 *
 * <p><b>Sums</b> ({@link #sum}): K is the smaller of the length of both expansions and the K at
 * which |rho|^K &lt;= 1e-17; the result is returned only when the bound |rho|^K sqrt(T_a T_b) is
 * at most {@code relTol} times max(|sum|, 1e-6 sqrt(E[f(u)^2] E[f(v)^2])), the measure of the
 * quadrature's promise; otherwise NaN, and the caller uses the direct rule.
 *
 * <p>Only for f without kinks: a kink makes the coefficients decay like a power of k (the bound
 * then fails, correctly, at high correlations) and the unsplit panels would integrate it only
 * to about 1e-7.
 */
final class ParsevalSeries {

    /** Largest number of terms of one expansion. */
    static final int MAX_TERMS = 400;
    /** Relative tail E[f^2]^-1 T(K) at which an expansion stops. */
    static final double TAIL = 1e-12;
    /** Half-width of the window in z. */
    static final double WINDOW = 12.0;
    /** Length of one Gauss-Legendre panel. */
    private static final double PANEL = 1.0;
    /** Size index of the 32-point Legendre rule in {@link GaussRules}. */
    private static final int RULE = 7;
    /** The truncation level |rho|^K of a sum, relative to the Cauchy-Schwarz bound. */
    private static final double LOG_RHO_TAIL = Math.log(1e-17);
    /** Rounding allowance per term in T(K), relative to E[f^2] (two units of roundoff). */
    private static final double ROUNDING = 2.2e-16;

    /** Composite rule: nodes and weights (normal density included). */
    private static final double[] Z;
    private static final double[] W;
    /** INV[k] = 1 / sqrt(k), RATIO[k] = sqrt((k - 1) / k). */
    private static final double[] INV = new double[MAX_TERMS + 1];
    private static final double[] RATIO = new double[MAX_TERMS + 1];

    static {
        double[] x = GaussRules.LEGENDRE_X[RULE];
        double[] w = GaussRules.LEGENDRE_W[RULE];
        int panels = (int) Math.round(2 * WINDOW / PANEL);
        Z = new double[panels * x.length];
        W = new double[Z.length];
        double half = PANEL / 2;
        for (int p = 0; p < panels; p++) {
            double centre = -WINDOW + (p + 0.5) * PANEL;
            for (int j = 0; j < x.length; j++) {
                double z = centre + half * x[j];
                Z[p * x.length + j] = z;
                W[p * x.length + j] = half * w[j] * Math.exp(-0.5 * z * z) * Gaussians.INV_SQRT_2PI;
            }
        }
        for (int k = 1; k <= MAX_TERMS; k++) {
            INV[k] = 1 / Math.sqrt(k);
            RATIO[k] = Math.sqrt((k - 1) / (double) k);
        }
    }

    private ParsevalSeries() {
    }

    /**
     * The Hermite coefficients of f at one variance with their Parseval tails. Immutable.
     */
    static final class Expansion {
        /** a_k, k &lt; terms. */
        final double[] a;
        /** Upper bounds of T(k) = sum_(j &gt;= k) a_j^2 for k &lt;= terms (rounding included). */
        final double[] tail;
        /** E[f(s Z)^2]. */
        final double energy;

        Expansion(double[] a, double[] tail, double energy) {
            this.a = a;
            this.tail = tail;
            this.energy = energy;
        }

        int terms() {
            return a.length;
        }
    }

    /**
     * The expansion of f(sqrt(q) z), q &gt; 0 finite, to the first K &gt;= minTerms with
     * T(K) &lt;= TAIL E[f^2] (at most MAX_TERMS terms).
     */
    static Expansion expand(DoubleUnaryOperator f, double q, int minTerms) {
        double s = Math.sqrt(q);
        int n = Z.length; // a multiple of 8
        double[] fw = new double[n];
        double energy = 0;
        for (int j = 0; j < n; j++) {
            double v = f.applyAsDouble(s * Z[j]);
            fw[j] = W[j] * v;
            energy += fw[j] * v;
        }
        double[] a = new double[MAX_TERMS];
        double[] tail = new double[MAX_TERMS + 1];
        double[] previous = new double[n];
        double[] current = new double[n];
        double a0 = 0;
        for (int j = 0; j < n; j++) {
            current[j] = 1.0;
            a0 += fw[j];
        }
        a[0] = a0;
        double remaining = energy - a0 * a0;
        tail[0] = energy;
        int k = 1;
        tail[1] = Math.max(remaining, 0) + ROUNDING * 2 * energy;
        while (k < MAX_TERMS && energy > 0 && (k < minTerms || tail[k] > TAIL * energy)) {
            // h_k = z h_(k-1) / sqrt(k) - sqrt((k-1)/k) h_(k-2), over previous; a_k = sum fw h_k
            double inv = INV[k];
            double ratio = RATIO[k];
            double[] next = previous;
            double[] last = current;
            for (int j = 0; j < n; j++) { // vectorised by the JIT
                next[j] = Z[j] * inv * last[j] - ratio * next[j];
            }
            // eight partial sums: a floating-point reduction is not reordered by the JIT
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double s4 = 0;
            double s5 = 0;
            double s6 = 0;
            double s7 = 0;
            for (int j = 0; j < n; j += 8) {
                s0 += fw[j] * next[j];
                s1 += fw[j + 1] * next[j + 1];
                s2 += fw[j + 2] * next[j + 2];
                s3 += fw[j + 3] * next[j + 3];
                s4 += fw[j + 4] * next[j + 4];
                s5 += fw[j + 5] * next[j + 5];
                s6 += fw[j + 6] * next[j + 6];
                s7 += fw[j + 7] * next[j + 7];
            }
            previous = last;
            current = next;
            double ak = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
            a[k] = ak;
            remaining -= ak * ak;
            k++;
            tail[k] = Math.max(remaining, 0) + ROUNDING * (k + 1) * energy;
        }
        return new Expansion(java.util.Arrays.copyOf(a, k), java.util.Arrays.copyOf(tail, k + 1), energy);
    }

    /**
     * sum_k rho^k a_k b_k when its certified truncation error is at most relTol times
     * max(|sum|, 1e-6 sqrt(E_a E_b)); NaN otherwise.
     */
    static double sum(Expansion x, Expansion y, double rho, double relTol) {
        double r = Math.abs(rho);
        int available = Math.min(x.terms(), y.terms());
        int terms = available;
        if (r < 1) {
            double byRho = r == 0 ? 1 : Math.ceil(LOG_RHO_TAIL / Math.log(r));
            if (byRho < available) {
                terms = Math.max(1, (int) byRho);
            }
        }
        double[] a = x.a;
        double[] b = y.a;
        // four interleaved Horner chains in rho^4 (k mod 4) shorten the dependency chain
        double r2 = rho * rho;
        double r4 = r2 * r2;
        double c0 = 0;
        double c1 = 0;
        double c2 = 0;
        double c3 = 0;
        int k = terms - 1;
        for (; (k & 3) != 3; k--) { // the top terms, down to k = 3 mod 4
            double t = a[k] * b[k];
            switch (k & 3) {
                case 0 -> c0 = c0 * r4 + t;
                case 1 -> c1 = c1 * r4 + t;
                default -> c2 = c2 * r4 + t;
            }
            if (k == 0) {
                break;
            }
        }
        for (; k >= 3; k -= 4) {
            c3 = c3 * r4 + a[k] * b[k];
            c2 = c2 * r4 + a[k - 1] * b[k - 1];
            c1 = c1 * r4 + a[k - 2] * b[k - 2];
            c0 = c0 * r4 + a[k - 3] * b[k - 3];
        }
        double value = (c0 + rho * c1) + r2 * (c2 + rho * c3);
        double scale = Math.sqrt(x.energy * y.energy);
        // cut by rho: |rho|^K <= 1e-17 times the Cauchy-Schwarz bound; else by the tails (|rho| <= 1)
        double bound = terms < available ? 1e-17 * scale : Math.sqrt(x.tail[terms] * y.tail[terms]);
        return bound <= relTol * Math.max(Math.abs(value), 1e-6 * scale) ? value : Double.NaN;
    }

    /**
     * The expansions of one function, per variance, shared by all batches and threads of a
     * kernel computation (and kept by the activation across computations). An expansion is
     * replaced by a longer one when a partner needs more terms.
     */
    static final class Cache {
        /** Largest number of variances kept. */
        static final int MAX_ENTRIES = 16384;
        private final ConcurrentHashMap<Double, Expansion> map = new ConcurrentHashMap<>();

        /** The expansion of f at q with at least minTerms terms (or all MAX_TERMS). */
        Expansion get(DoubleUnaryOperator f, double q, int minTerms) {
            Expansion e = map.get(q);
            if (e != null && (e.terms() >= minTerms || e.terms() == MAX_TERMS)) {
                return e;
            }
            Expansion fresh = expand(f, q, minTerms);
            if (map.size() >= MAX_ENTRIES) {
                map.clear();
            }
            map.merge(q, fresh, (old, neu) -> neu.terms() > old.terms() ? neu : old);
            return fresh;
        }
    }

    /**
     * out[e] = E[f(u) f(v)] for the entries whose series sum is certified to relTol (see
     * {@link #sum}); the indices of the others (zero or non-finite variances included) are
     * written to rest, and their number is returned.
     */
    static int serve(DoubleUnaryOperator f, Cache cache, double[] q11, double[] q12, double[] q22, int n, double[] out,
            double relTol, int[] rest) {
        int m = 0;
        double lastQ = Double.NaN;
        Expansion lastRow = null;
        for (int e = 0; e < n; e++) {
            double a = q11[e];
            double c = q22[e];
            if (!(a > 0 && c > 0 && a < Double.POSITIVE_INFINITY && c < Double.POSITIVE_INFINITY)) {
                rest[m++] = e;
                continue;
            }
            if (a != lastQ) { // a tile's rows repeat q11
                lastRow = cache.get(f, a, 0);
                lastQ = a;
            }
            Expansion x = lastRow;
            Expansion y = cache.get(f, c, x.terms());
            if (y.terms() > x.terms()) {
                x = cache.get(f, a, y.terms());
                lastRow = x;
            }
            double value = sum(x, y, Gaussians.correlation(a, q12[e], c), relTol);
            if (Double.isNaN(value)) {
                rest[m++] = e;
            } else {
                out[e] = value;
            }
        }
        return m;
    }
}
