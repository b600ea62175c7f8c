package org.aleph.kernel.theory;

import java.util.Arrays;

/**
 * The stable fixed point c* of the correlation map f_q (see {@link MeanFieldMaps}) for a
 * block of points, solved in lockstep.
 *
 * <p>c = 1 is always a fixed point, with slope f_q'(1) (= chi_1 at a finite q*). When that
 * slope is at most 1 (the ordered phase, and the critical line) c* = 1. Otherwise c = 1 repels
 * and c* &lt; 1 (the chaotic phase, Poole et al. 2016, Fig. 2): h(c) = f_q(c) - c is evaluated on
 * a fixed ladder of correlations in one block call, the largest c below 1 where h changes sign
 * from + to - brackets the stable fixed point nearest to 1 (a downward crossing of h means
 * f_q'(c*) &lt; 1), and the Illinois variant of regula falsi (Dowell &amp; Jarratt 1971)
 * narrows each bracket to a few ulps, all points at once. If no bracket is found the plain
 * iteration c &lt;- f_q(c) from c = 0 is used.
 */
final class CorrelationFixedPoint {

    /** Slope at c = 1 above which the chaotic branch is searched. */
    static final double CHAOS_THRESHOLD = 1e-12;
    /** Illinois iterations at most. */
    static final int MAX_ITERATIONS = 200;
    /** Plain iterations of the fallback. */
    static final int FALLBACK_ITERATIONS = 2000;

    /**
     * The ladder of correlations scanned for a sign change, denser towards 1 where c* lies near
     * the critical line; short because an off-diagonal expectation by quadrature costs about
     * a millisecond.
     */
    static final double[] LADDER = ladder();

    private CorrelationFixedPoint() {
    }

    private static double[] ladder() {
        return new double[] {-1, -0.5, 0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1 - 1e-4, 1 - 1e-6, 1 - 1e-8, 1 - 1e-10, 1 - 1e-12};
    }

    /**
     * c* for each point.
     *
     * @param q       variances at which the map is evaluated
     * @param vq      V(q) for each point
     * @param slopeAt1 f_q'(1) for each point
     */
    static double[] solve(MeanFieldMaps maps, double[] q, double[] sw2, double[] sb2, double[] vq, double[] slopeAt1) {
        int n = q.length;
        double[] cStar = new double[n];
        int[] chaotic = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(q[i]) || !Double.isFinite(slopeAt1[i])) {
                cStar[i] = Double.NaN;
            } else if (slopeAt1[i] > 1 + CHAOS_THRESHOLD) {
                chaotic[m++] = i;
            } else {
                cStar[i] = 1.0;
            }
        }
        if (m == 0) {
            return cStar;
        }
        int[] idx = Arrays.copyOf(chaotic, m);
        int steps = LADDER.length;
        Block scan = new Block(maps, idx, q, sw2, sb2, vq, steps);
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < steps; j++) {
                scan.c[k * steps + j] = LADDER[j];
                scan.copy(k * steps + j, idx[k]);
            }
        }
        double[] h = scan.residuals(m * steps);
        double[] a = new double[m];
        double[] b = new double[m];
        double[] ha = new double[m];
        double[] hb = new double[m];
        boolean[] bracketed = new boolean[m];
        for (int k = 0; k < m; k++) {
            for (int j = steps - 2; j >= 0; j--) {
                double lo = h[k * steps + j];
                double hi = h[k * steps + j + 1];
                if (lo > 0 && hi <= 0) {
                    a[k] = LADDER[j];
                    b[k] = LADDER[j + 1];
                    ha[k] = lo;
                    hb[k] = hi;
                    bracketed[k] = true;
                    break;
                }
                if (j == steps - 2 && hi > 0) {
                    break; // the crossing lies within 1e-12 of 1: c* = 1 to working precision
                }
            }
            cStar[idx[k]] = bracketed[k] ? Double.NaN : (h[k * steps + steps - 1] > 0 ? 1.0 : Double.NaN);
        }
        illinois(maps, idx, q, sw2, sb2, vq, a, b, ha, hb, bracketed, cStar);
        fallback(maps, idx, q, sw2, sb2, vq, cStar);
        return cStar;
    }

    private static void illinois(MeanFieldMaps maps, int[] idx, double[] q, double[] sw2, double[] sb2, double[] vq,
                                 double[] a, double[] b, double[] ha, double[] hb, boolean[] live, double[] cStar) {
        int m = idx.length;
        int[] side = new int[m];
        Block block = new Block(maps, idx, q, sw2, sb2, vq, 1);
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            int count = 0;
            int[] which = new int[m];
            for (int k = 0; k < m; k++) {
                if (!live[k]) {
                    continue;
                }
                double c = hb[k] == 0 ? b[k] : (a[k] * hb[k] - b[k] * ha[k]) / (hb[k] - ha[k]);
                if (!(c > a[k] && c < b[k])) {
                    c = 0.5 * (a[k] + b[k]);
                }
                if (hb[k] == 0 || b[k] - a[k] <= 4 * Math.ulp(1.0) || c <= a[k] || c >= b[k]) {
                    cStar[idx[k]] = Math.abs(ha[k]) < Math.abs(hb[k]) ? a[k] : b[k];
                    live[k] = false;
                    continue;
                }
                block.c[count] = c;
                block.copy(count, idx[k]);
                which[count++] = k;
            }
            if (count == 0) {
                return;
            }
            double[] h = block.residuals(count);
            for (int r = 0; r < count; r++) {
                int k = which[r];
                double c = block.c[r];
                if (h[r] == 0) {
                    cStar[idx[k]] = c;
                    live[k] = false;
                } else if (h[r] > 0) {
                    a[k] = c;
                    ha[k] = h[r];
                    if (side[k] == 1) {
                        hb[k] *= 0.5;
                    }
                    side[k] = 1;
                } else {
                    b[k] = c;
                    hb[k] = h[r];
                    if (side[k] == -1) {
                        ha[k] *= 0.5;
                    }
                    side[k] = -1;
                }
            }
        }
        for (int k = 0; k < m; k++) {
            if (live[k]) {
                cStar[idx[k]] = Math.abs(ha[k]) < Math.abs(hb[k]) ? a[k] : b[k];
            }
        }
    }

    /** Plain iteration from c = 0 for the points without a bracket (cStar NaN). */
    private static void fallback(MeanFieldMaps maps, int[] idx, double[] q, double[] sw2, double[] sb2, double[] vq,
                                 double[] cStar) {
        int[] rest = Arrays.stream(idx).filter(i -> Double.isNaN(cStar[i]) && Double.isFinite(q[i])).toArray();
        if (rest.length == 0) {
            return;
        }
        Block block = new Block(maps, rest, q, sw2, sb2, vq, 1);
        double[] c = new double[rest.length];
        for (int it = 0; it < FALLBACK_ITERATIONS; it++) {
            for (int k = 0; k < rest.length; k++) {
                block.c[k] = c[k];
                block.copy(k, rest[k]);
            }
            double[] h = block.residuals(rest.length);
            for (int k = 0; k < rest.length; k++) {
                c[k] += h[k];
            }
        }
        for (int k = 0; k < rest.length; k++) {
            cStar[rest[k]] = c[k];
        }
    }

    /** Work arrays for one block evaluation of h(c) = f_q(c) - c. */
    private static final class Block {
        final MeanFieldMaps maps;
        final double[] q;
        final double[] sw2;
        final double[] sb2;
        final double[] vq;
        final double[] c;
        final double[] bq;
        final double[] bw;
        final double[] bb;
        final double[] bv;
        final double[] out;
        final double[] work;

        Block(MeanFieldMaps maps, int[] idx, double[] q, double[] sw2, double[] sb2, double[] vq, int perPoint) {
            this.maps = maps;
            this.q = q;
            this.sw2 = sw2;
            this.sb2 = sb2;
            this.vq = vq;
            int size = idx.length * perPoint;
            c = new double[size];
            bq = new double[size];
            bw = new double[size];
            bb = new double[size];
            bv = new double[size];
            out = new double[size];
            work = new double[size];
        }

        void copy(int slot, int point) {
            bq[slot] = q[point];
            bw[slot] = sw2[point];
            bb[slot] = sb2[point];
            bv[slot] = vq[point];
        }

        double[] residuals(int count) {
            maps.correlation(bq, c, bw, bb, bv, count, out, null, work);
            double[] h = new double[count];
            for (int e = 0; e < count; e++) {
                h[e] = out[e] - c[e];
            }
            return h;
        }
    }
}
