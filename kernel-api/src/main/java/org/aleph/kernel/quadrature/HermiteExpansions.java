package org.aleph.kernel.quadrature;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.quadrature.ParsevalSeries.Expansion;
import org.aleph.kernel.spi.Gaussians;

/**
 * The {@link ParsevalSeries} expansions of one function, per variance, shared by all batches and
 * threads of a kernel computation (and kept by the activation across computations), and the
 * series values of a batch from them ({@link #serve}).
 *
 * <p><b>Reproducible.</b> Every value {@link #serve} returns is a function of the batch alone,
 * never of what earlier batches or other threads have computed: expansions are always computed
 * in full ({@value ParsevalSeries#MAX_TERMS} terms, or {@value ParsevalSeries#LONG_TERMS} for a
 * long one, on a fixed rule, so a cached expansion is the one any thread would compute), and
 * whether an entry whose short series is not certified goes to the long expansions is decided
 * within its batch: when both its variances (to {@link #snap}'s resolution) have failed for at
 * least {@value #LONG_AFTER} entries of the batch. The cache only saves time. Long expansions
 * (144 kB each) are kept for at most {@value #MAX_LONG} variances; beyond, they start over.
 */
final class HermiteExpansions {
    /** Entries of one batch a variance's short expansion must fail before the batch uses a long one. */
    static final int LONG_AFTER = 64;
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

    /** The full long expansion of f at q (a value of {@link #snap}). */
    Expansion getLong(DoubleUnaryOperator f, double q) {
        Expansion e = longMap.get(q);
        if (e != null) {
            return e;
        }
        Expansion fresh = ParsevalSeries.expandLong(f, q, ParsevalSeries.LONG_TERMS);
        if (longMap.size() >= MAX_LONG) {
            longMap.clear();
        }
        longMap.putIfAbsent(q, fresh);
        return fresh;
    }

    /**
     * out[e] = E[f(u) f(v)] for the entries whose series sum is certified to relTol (see
     * {@link ParsevalSeries#sum}), by the short expansions or, where those fail and both
     * variances failed for {@value #LONG_AFTER} entries of this batch, the long ones; the indices
     * of the others (zero or non-finite variances included) are written to rest, and their
     * number is returned.
     */
    int serve(DoubleUnaryOperator f, double[] q11, double[] q12, double[] q22, int n, double[] out,
            double relTol, int[] rest) {
        int m = 0;
        int failed = 0;
        int[] pending = new int[n];
        Map<Double, Integer> misses = new HashMap<>();
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
            if (Double.isNaN(value)) {
                pending[failed++] = e;
                double s11 = snap(a);
                double s22 = snap(c);
                misses.merge(s11, 1, Integer::sum);
                if (s22 != s11) {
                    misses.merge(s22, 1, Integer::sum);
                }
            } else {
                out[e] = value;
            }
        }
        for (int p = 0; p < failed; p++) {
            int e = pending[p];
            double a = q11[e];
            double c = q22[e];
            double value = Double.NaN;
            if (misses.get(snap(a)) >= LONG_AFTER && misses.get(snap(c)) >= LONG_AFTER) {
                value = sumLong(f, a, c, Gaussians.correlation(a, q12[e], c), relTol);
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
