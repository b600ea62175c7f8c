package org.aleph.kernel.quadrature;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.quadrature.ParsevalSeries.Expansion;
import org.aleph.kernel.spi.Gaussians;

/**
 * The {@link ParsevalSeries} expansions of one function, per variance, shared by all batches and
 * threads of a kernel computation (and kept by the activation across computations), and the
 * series values of a batch from them ({@link #serve}).
 *
 * <p><b>Per entry.</b> Every value {@link #serve} returns, and whether it returns one, is a
 * function of the entry alone (q11, q12, q22, f, relTol and the constants here), never of the
 * batch it came in, of what earlier batches or other threads have computed, or of the cache:
 * expansions are computed in full on a fixed rule (all {@value ParsevalSeries#MAX_TERMS} terms for
 * a short one, {@value ParsevalSeries#LONG_TERMS} for a long one, so that two long expansions at
 * different variances always share all their terms), so a cached expansion is the one any thread
 * would compute, and an entry is served by
 * <ol>
 *   <li>the short expansions at q11 and q22, if their sum is certified; else</li>
 *   <li>the long expansions at the variances {@link #snap}ped (shared by variances that differ by
 *       rounding), if both variances are at most {@value #LONG_MAX_VARIANCE}, |rho| &lt; 1 and
 *       the sum is certified with the error of the snapping move included ({@link #sumLong});
 *       else</li>
 *   <li>none: the caller's direct rule.</li>
 * </ol>
 * So a block gives the values of single calls for its entries bit for bit, and concurrent calls
 * agree. The cache only saves time.
 *
 * <p><b>Cost</b> (measured on one core of a loaded machine). A long expansion costs one pass of
 * the three-term recurrence over the long rule's 3072 nodes for each of its 6000 terms, about 10
 * ms for tanh or tanh' at any variance. An isolated call at never-seen variances pays for two per
 * function: 45-90 ms for phi and phi' of Tanh at q = 10-50 and rho = 0.99-0.999, against
 * 0.02-0.5 ms of the direct rule for tanh (lattice) and 0.03-20 ms for tanh' (nested rule, up to
 * 90 000 evaluations); at the same variances again, from the cache, 0.03-0.06 ms. No criterion on the entry alone can tell an isolated entry
 * from one of the thousands that share its variances in a kernel (the first costs 100 times the
 * direct rule for tanh, the others a hundredth of it), so every entry the short series misses
 * tries the long one, except at |rho| = 1, where the direct rule is a single integral (0.01-0.1
 * ms) and beats even the cached long sum, and beyond {@value #LONG_MAX_VARIANCE}, where the long
 * rule's panels no longer resolve the singularities of an f analytic within pi / 2 of the real
 * axis, at distance pi / (2 sqrt(q)) (see {@link ParsevalSeries}).
 *
 * <p>Long expansions (144 kB each) are kept for at most {@value #MAX_LONG} variances, short
 * ones for {@value #MAX_ENTRIES}; beyond, the map starts over. Thread-safe.
 */
final class HermiteExpansions {
    /** Largest variance (q11 and q22) whose entries may use the long expansions: standard deviation 20. */
    static final double LONG_MAX_VARIANCE = 400;
    /** Largest number of variances kept. */
    static final int MAX_ENTRIES = 16384;
    /** Largest number of variances with a long expansion kept. */
    static final int MAX_LONG = 128;
    private final ConcurrentHashMap<Double, Expansion> map = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Double, Expansion> longMap = new ConcurrentHashMap<>();

    /** The full short expansion of f at q. */
    Expansion get(DoubleUnaryOperator f, double q) {
        Expansion e = map.get(q);
        if (e != null) {
            return e;
        }
        Expansion fresh = ParsevalSeries.expand(f, q, ParsevalSeries.MAX_TERMS);
        if (map.size() >= MAX_ENTRIES) {
            map.clear();
        }
        map.putIfAbsent(q, fresh);
        return fresh;
    }

    /**
     * The full long expansion of f at q (a value of {@link #snap}). Threads asking for the same
     * variance at once wait for one computation instead of repeating it.
     */
    Expansion getLong(DoubleUnaryOperator f, double q) {
        Expansion e = longMap.get(q);
        if (e != null) {
            return e;
        }
        if (longMap.size() >= MAX_LONG) {
            longMap.clear();
        }
        return longMap.computeIfAbsent(q, k -> ParsevalSeries.expandLong(f, k, ParsevalSeries.LONG_TERMS));
    }

    /**
     * Whether an entry whose short series failed tries the long expansions: both variances at most
     * {@value #LONG_MAX_VARIANCE} and |rho| &lt; 1 (at rho = +-1 the direct rule is a single integral,
     * 0.01-0.1 ms, less than the long sum's 3000-6000 terms even from cached expansions).
     */
    static boolean longApplies(double q11, double q22, double rho) {
        return q11 <= LONG_MAX_VARIANCE && q22 <= LONG_MAX_VARIANCE && Math.abs(rho) < 1;
    }

    /**
     * out[e] = E[f(u) f(v)] for the entries whose series sum is certified to relTol (see
     * {@link ParsevalSeries#sum}), by the short expansions or, where those fail, the long ones
     * (see the class comment: the choice is the entry's own); the indices of the others (zero or
     * non-finite variances included) are written to rest, and their number is returned.
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
                lastRow = get(f, a);
                lastQ = a;
            }
            double rho = Gaussians.correlation(a, q12[e], c);
            double value = ParsevalSeries.sum(lastRow, get(f, c), rho, relTol);
            if (Double.isNaN(value) && longApplies(a, c, rho)) {
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
        Expansion x = getLong(f, a);
        Expansion y = getLong(f, c);
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
