package org.aleph.kernel.quadrature;

import java.util.Arrays;
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
 * <p><b>Long expansions.</b> At large variances f(s z) is nearly a step on the Gaussian's scale
 * (tanh(s z) has poles at distance pi / (2 s) from the real axis) and its coefficients decay
 * slowly: for tanh at q = 50 the tail after 400 terms is 4e-5 E[f^2], for tanh' 4e-3. An entry
 * whose short sum is not certified, at variances up to
 * {@value HermiteExpansions#LONG_MAX_VARIANCE}, tries long ones ({@link #expandLong}): up to
 * {@value #LONG_TERMS} terms on a rule of 32-point panels of length {@value #LONG_PANEL}
 * (3072 nodes), which resolves the polynomials to that degree (frequency sqrt(4k + 2) &lt;= 155,
 * under 20 radians per panel half as for the short rule) and f's poles at distance pi / (2 s)
 * down to s = 20 (Bernstein ellipse of the half panel, radius at least 1.8, so 1.8^-64 &lt; 1e-16).
 * Variances that differ by rounding only share a long expansion ({@link HermiteExpansions#snap}),
 * the error of that move being bounded and added to the certificate.
 * Tails reached at {@value #LONG_TERMS} terms (all of which {@link HermiteExpansions} computes, so
 * that expansions at different variances share them): tanh 3e-15 at q = 50, 5e-12 at 100, 4e-9
 * at 200; tanh' 4e-13, 5e-9, 3e-6 (relative to E[f^2]). Even an unconverged tail certifies every
 * correlation with |rho|^K sqrt(T_a T_b) small enough.
 *
 * <p><b>Sums</b> ({@link #sum}): K is at most the smaller of the length of both expansions and the
 * K at which |rho|^K &lt;= 1e-17; the result is returned only when the bound |rho|^K sqrt(T_a(K)
 * T_b(K)) is at most {@code relTol} times max(|sum|, 1e-6 sqrt(E[f(u)^2] E[f(v)^2])), the measure
 * of the quadrature's promise; otherwise NaN, and the caller uses the direct rule. Beyond
 * {@value #SHORT_SUM} terms the sum first tries the smallest K whose bound is within relTol of a
 * tenth of the Cauchy-Schwarz bound (found by bisection on the logarithms of the tails), and
 * takes all K terms only when the value turns out smaller than that.
 *
 * <p>Only for f without kinks: a kink makes the coefficients decay like a power of k (the bound
 * then fails, correctly, at high correlations) and the unsplit panels would integrate it only
 * to about 1e-7.
 */
final class ParsevalSeries {

    /** Largest number of terms of one (short) expansion. */
    static final int MAX_TERMS = 400;
    /** Largest number of terms of a long expansion. */
    static final int LONG_TERMS = 6000;
    /** Sums of at most this many terms are taken whole, without looking for a shorter certified one. */
    static final int SHORT_SUM = 64;
    /** Length of one panel of the long rule. */
    static final double LONG_PANEL = 0.25;
    /** Share of the Cauchy-Schwarz bound the first, shorter sum assumes the value to be. */
    private static final double GUESS = 0.1;
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

    /** Composite rules, short and long: nodes and weights (normal density included). */
    private static final double[] Z;
    private static final double[] W;
    private static final double[] LONG_Z;
    private static final double[] LONG_W;
    /** INV[k] = 1 / sqrt(k), RATIO[k] = sqrt((k - 1) / k). */
    private static final double[] INV = new double[LONG_TERMS + 1];
    private static final double[] RATIO = new double[LONG_TERMS + 1];

    static {
        Z = nodes(PANEL);
        W = weights(Z, PANEL);
        LONG_Z = nodes(LONG_PANEL);
        LONG_W = weights(LONG_Z, LONG_PANEL);
        for (int k = 1; k <= LONG_TERMS; k++) {
            INV[k] = 1 / Math.sqrt(k);
            RATIO[k] = Math.sqrt((k - 1) / (double) k);
        }
    }

    /** The nodes of 32-point Legendre panels of the given length over [-WINDOW, WINDOW]. */
    private static double[] nodes(double panel) {
        double[] x = GaussRules.LEGENDRE_X[RULE];
        int panels = (int) Math.round(2 * WINDOW / panel);
        double[] z = new double[panels * x.length];
        for (int p = 0; p < panels; p++) {
            double centre = -WINDOW + (p + 0.5) * panel;
            for (int j = 0; j < x.length; j++) {
                z[p * x.length + j] = centre + 0.5 * panel * x[j];
            }
        }
        return z;
    }

    /** The weights of those nodes, the normal density included. */
    private static double[] weights(double[] z, double panel) {
        double[] w = GaussRules.LEGENDRE_W[RULE];
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = 0.5 * panel * w[i % w.length] * Math.exp(-0.5 * z[i] * z[i]) * Gaussians.INV_SQRT_2PI;
        }
        return out;
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
        /** 0.5 ln tail[k]: the logarithm of sqrt(T(k)), for choosing the length of a sum. */
        final double[] halfLogTail;
        /** E[f(s Z)^2]. */
        final double energy;
        /** Whether this is a long expansion ({@link #expandLong}). */
        final boolean isLong;
        /** sqrt(E[(s Z f'(s Z))^2]) for a long expansion (see {@link #sensitivity}), 0 for a short one. */
        final double sensitivity;

        Expansion(double[] a, double[] tail, double energy, boolean isLong, double sensitivity) {
            this.a = a;
            this.tail = tail;
            this.energy = energy;
            this.isLong = isLong;
            this.sensitivity = sensitivity;
            this.halfLogTail = new double[tail.length];
            for (int k = 0; k < tail.length; k++) {
                halfLogTail[k] = 0.5 * Math.log(tail[k]);
            }
        }

        int terms() {
            return a.length;
        }

        /** Whether no longer expansion of this kind exists: all the terms, or the tail reached. */
        boolean complete(int minTerms) {
            return terms() >= minTerms || terms() == (isLong ? LONG_TERMS : MAX_TERMS);
        }
    }

    /**
     * The expansion of f(sqrt(q) z), q &gt; 0 finite, to the first K &gt;= minTerms with
     * T(K) &lt;= TAIL E[f^2] (at most MAX_TERMS terms).
     */
    static Expansion expand(DoubleUnaryOperator f, double q, int minTerms) {
        return expand(f, q, minTerms, Z, W, MAX_TERMS, false);
    }

    /**
     * The long expansion of f(sqrt(q) z) on the fine rule, to the first K &gt;= minTerms where the
     * computed tail (without the rounding allowance) is at most TAIL E[f^2], at most
     * {@value #LONG_TERMS} terms.
     */
    static Expansion expandLong(DoubleUnaryOperator f, double q, int minTerms) {
        return expand(f, q, minTerms, LONG_Z, LONG_W, LONG_TERMS, true);
    }

    private static Expansion expand(DoubleUnaryOperator f, double q, int minTerms, double[] z, double[] w, int maxTerms,
            boolean isLong) {
        double s = Math.sqrt(q);
        int n = z.length; // a multiple of 8
        double[] fw = new double[n];
        double energy = 0;
        for (int j = 0; j < n; j++) {
            double v = f.applyAsDouble(s * z[j]);
            fw[j] = w[j] * v;
            energy += fw[j] * v;
        }
        double[] a = new double[maxTerms];
        double[] tail = new double[maxTerms + 1];
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
        // the long rule also allows for the rounding of its 3072-term energy sum (n units of roundoff)
        double allowance = isLong ? 0.5 * ROUNDING * n * energy : 0;
        tail[1] = Math.max(remaining, 0) + ROUNDING * 2 * energy + allowance;
        // the short rule stops on the bound, rounding included; the long one on the computed tail,
        // since its rounding allowance alone reaches TAIL E[f^2] at about 4500 terms
        while (k < maxTerms && energy > 0 && (k < minTerms || (isLong ? remaining : tail[k]) > TAIL * energy)) {
            // h_k = z h_(k-1) / sqrt(k) - sqrt((k-1)/k) h_(k-2), over previous; a_k = sum fw h_k
            double inv = INV[k];
            double ratio = RATIO[k];
            double[] next = previous;
            double[] last = current;
            for (int j = 0; j < n; j++) { // vectorised by the JIT
                next[j] = z[j] * inv * last[j] - ratio * next[j];
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
            tail[k] = Math.max(remaining, 0) + ROUNDING * (k + 1) * energy + allowance;
        }
        return new Expansion(Arrays.copyOf(a, k), Arrays.copyOf(tail, k + 1), energy, isLong,
                isLong ? sensitivity(f, s, z, w) : 0);
    }

    /** Relative step of the central difference in {@link #sensitivity}. */
    private static final double SENSITIVITY_STEP = 1e-4;

    /**
     * sqrt(E[(s Z f'(s Z))^2]) = sqrt(E[(s d/ds f(s Z))^2]) by a central difference in s on the
     * expansion's rule: |d/ds E[f(s Z1) f(s2 Z2)]| &lt;= sqrt(E[Z^2 f'(s Z)^2] E[f(s2 Z2)^2]) (Cauchy-Schwarz),
     * so moving s by a relative delta moves the expectation by at most about delta times this times
     * sqrt(E[f(s2 Z2)^2]).
     */
    private static double sensitivity(DoubleUnaryOperator f, double s, double[] z, double[] w) {
        double up = s * (1 + SENSITIVITY_STEP);
        double down = s * (1 - SENSITIVITY_STEP);
        double sum = 0;
        for (int j = 0; j < z.length; j++) {
            double d = (f.applyAsDouble(up * z[j]) - f.applyAsDouble(down * z[j])) / (2 * SENSITIVITY_STEP);
            sum += w[j] * d * d;
        }
        return Math.sqrt(sum);
    }

    /**
     * sum_k rho^k a_k b_k when its certified truncation error is at most relTol times
     * max(|sum|, 1e-6 sqrt(E_a E_b)); NaN otherwise.
     */
    static double sum(Expansion x, Expansion y, double rho, double relTol) {
        return sum(x, y, rho, relTol, 0);
    }

    /**
     * As {@link #sum(Expansion, Expansion, double, double)} with a further error {@code extra}
     * (absolute) added to the truncation bound before the test.
     */
    static double sum(Expansion x, Expansion y, double rho, double relTol, double extra) {
        double r = Math.abs(rho);
        int available = Math.min(x.terms(), y.terms());
        int most = available;
        if (r < 1) {
            double byRho = r == 0 ? 1 : Math.ceil(LOG_RHO_TAIL / Math.log(r));
            if (byRho < available) {
                most = Math.max(1, (int) byRho);
            }
        }
        double scale = Math.sqrt(x.energy * y.energy);
        double logR = Math.log(r);
        int terms = most;
        if (most > SHORT_SUM) {
            terms = shortest(x, y, logR, Math.log(relTol * GUESS * scale), most);
        }
        double value = horner(x.a, y.a, rho, terms);
        if (certified(x, y, r, terms, value, scale, relTol, extra)) {
            return value;
        }
        if (terms < most) {
            value = horner(x.a, y.a, rho, most);
            if (certified(x, y, r, most, value, scale, relTol, extra)) {
                return value;
            }
        }
        return Double.NaN;
    }

    /** Whether the tail beyond K terms, at most |rho|^K sqrt(T_a(K) T_b(K)), is within the promise. */
    private static boolean certified(Expansion x, Expansion y, double r, int terms, double value, double scale, double relTol,
            double extra) {
        double bound = Math.pow(r, terms) * Math.sqrt(x.tail[terms] * y.tail[terms]) + extra;
        return bound <= relTol * Math.max(Math.abs(value), 1e-6 * scale);
    }

    /**
     * The smallest K in [1, most] whose log bound K ln|rho| + ln sqrt(T_a(K)) + ln sqrt(T_b(K))
     * (decreasing in K) is at most logTarget, or most if none is.
     */
    private static int shortest(Expansion x, Expansion y, double logR, double logTarget, int most) {
        if (logBound(x, y, logR, most) > logTarget) {
            return most;
        }
        int lo = 1;
        int hi = most;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (logBound(x, y, logR, mid) <= logTarget) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static double logBound(Expansion x, Expansion y, double logR, int k) {
        // logR = -infinity at rho = 0 and 0 * -infinity = NaN at k = 0, which is never asked
        return k * logR + x.halfLogTail[k] + y.halfLogTail[k];
    }

    /** sum_(k &lt; terms) rho^k a_k b_k. */
    private static double horner(double[] a, double[] b, double rho, int terms) {
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
        return (c0 + rho * c1) + r2 * (c2 + rho * c3);
    }
}
