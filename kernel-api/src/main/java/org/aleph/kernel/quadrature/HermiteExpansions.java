package org.aleph.kernel.quadrature;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.quadrature.ParsevalSeries.Expansion;
import org.aleph.kernel.spi.Gaussians;

/**
 * The {@link ParsevalSeries} expansions of one function, per variance, shared by all batches and
 * threads of a kernel computation (and kept by the activation across computations), and the
 * series values of a batch from them ({@link #serve}). An expansion is replaced by a longer one
 * when a partner needs more terms. Each variance also counts the
 * entries its short expansion could not certify; from {@value #LONG_AFTER} on it gets a long
 * expansion. Long expansions (up to 6000 coefficients and tails each, 144 kB) are kept for at
 * most {@value #MAX_LONG} variances; beyond, the long expansions and the counts start over.
 */
final class HermiteExpansions {
    /** Entries a variance's short expansion must fail before it gets a long one. */
    static final int LONG_AFTER = 64;
    /** Largest number of variances kept. */
    static final int MAX_ENTRIES = 16384;
    /** Largest number of variances with a long expansion kept. */
    static final int MAX_LONG = 128;
    private final ConcurrentHashMap<Double, Expansion> map = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Double, Expansion> longMap = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Double, AtomicInteger> misses = new ConcurrentHashMap<>();

    /** The expansion of f at q with at least minTerms terms (or all MAX_TERMS). */
    Expansion get(DoubleUnaryOperator f, double q, int minTerms) {
        Expansion e = map.get(q);
        if (e != null && e.complete(minTerms)) {
            return e;
        }
        Expansion fresh = ParsevalSeries.expand(f, q, minTerms);
        if (map.size() >= MAX_ENTRIES) {
            map.clear();
        }
        map.merge(q, fresh, (old, neu) -> neu.terms() > old.terms() ? neu : old);
        return fresh;
    }

    /**
     * The long expansion of f at q (a value of {@link #snap}) with at least minTerms terms (or
     * all LONG_TERMS).
     */
    Expansion getLong(DoubleUnaryOperator f, double q, int minTerms) {
        Expansion e = longMap.get(q);
        if (e != null && e.complete(minTerms)) {
            return e;
        }
        Expansion fresh = ParsevalSeries.expandLong(f, q, minTerms);
        if (longMap.size() >= MAX_LONG) {
            // start over, the counts too: a variance must miss LONG_AFTER times again before its
            // long expansion is recomputed, so a kernel with more such variances than MAX_LONG
            // cannot make every entry recompute one
            longMap.clear();
            misses.clear();
        }
        longMap.merge(q, fresh, (old, neu) -> neu.terms() > old.terms() ? neu : old);
        return fresh;
    }

    /**
     * Records an entry that the short expansions at q11 and q22 did not certify; true when
     * both variances (to {@link #snap}'s resolution) have now failed for {@value #LONG_AFTER}
     * entries (or have long expansions).
     */
    boolean missed(double q11, double q22) {
        double s11 = snap(q11);
        double s22 = snap(q22);
        boolean a = longMap.containsKey(s11) || count(s11) >= LONG_AFTER;
        boolean c = s22 == s11 ? a : longMap.containsKey(s22) || count(s22) >= LONG_AFTER;
        return a && c;
    }

    private int count(double q) {
        if (misses.size() >= MAX_ENTRIES) {
            misses.clear();
        }
        return misses.computeIfAbsent(q, k -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * out[e] = E[f(u) f(v)] for the entries whose series sum is certified to relTol (see
     * {@link ParsevalSeries#sum}), by the short expansions or, where those fail and the variances qualify, the
     * long ones; the indices of the others (zero or non-finite variances included) are written to
     * rest, and their number is returned.
     */
    int serve(DoubleUnaryOperator f, double[] q11, double[] q12, double[] q22, int n, double[] out,
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
                lastRow = get(f, a, 0);
                lastQ = a;
            }
            Expansion x = lastRow;
            Expansion y = get(f, c, x.terms());
            if (y.terms() > x.terms()) {
                x = get(f, a, y.terms());
                lastRow = x;
            }
            double rho = Gaussians.correlation(a, q12[e], c);
            double value = ParsevalSeries.sum(x, y, rho, relTol);
            if (Double.isNaN(value) && missed(a, c)) {
                value = sumLong(f, a, c, rho, relTol);
            }
            if (Double.isNaN(value)) {
                rest[m++] = e;
            } else {
                out[e] = value;
            }
        }
        return m;
    }

    /**
     * The sum by the long expansions at the variances nearest q11 and q22 on {@link #snap}'s grid
     * (brought to a common length), certified with the error of that move included, or NaN.
     */
    private double sumLong(DoubleUnaryOperator f, double q11, double q22, double rho, double relTol) {
        double a = snap(q11);
        double c = snap(q22);
        Expansion x = getLong(f, a, 0);
        Expansion y = getLong(f, c, x.terms());
        if (y.terms() > x.terms()) {
            x = getLong(f, a, y.terms());
        }
        // relative moves of the standard deviations, and the bound of what they change (twice the
        // first-order bound, for the sensitivity's difference error and the second order)
        double da = Math.abs(Math.sqrt(q11 / a) - 1);
        double dc = Math.abs(Math.sqrt(q22 / c) - 1);
        double moved = 2 * (da * x.sensitivity * Math.sqrt(y.energy) + dc * y.sensitivity * Math.sqrt(x.energy));
        return ParsevalSeries.sum(x, y, rho, relTol, moved);
    }

    /** Low mantissa bits that {@link #snap} clears: a grid of relative spacing 2^-42 = 2.3e-13. */
    private static final int SNAP_BITS = 10;

    /**
     * q rounded to the nearest double with the low {@value #SNAP_BITS} mantissa bits zero (at most
     * 1.2e-13 relative away): variances that differ only by rounding (the diagonal of a Gram
     * matrix of standardised inputs spreads over a hundred neighbouring doubles) share one long
     * expansion, computed at the rounded value; {@link #sumLong} adds the error of the move.
     */
    static double snap(double q) {
        long bits = Double.doubleToRawLongBits(q);
        long half = 1L << (SNAP_BITS - 1);
        return Double.longBitsToDouble((bits + half) & -(1L << SNAP_BITS));
    }
}
