package org.aleph.kernel.theory;

import java.util.Arrays;

/**
 * The fixed point q* = V(q*) of the length map for a block of (sigma_w^2, sigma_b^2) pairs,
 * solved in lockstep: every round is two block evaluations of V for all points still
 * unsolved.
 *
 * <p>Algorithm: start from q_0 = sigma_w^2 + sigma_b^2, the first pre-activation variance of an
 * input with |x|^2 / d = 1; then Steffensen's method (q, V(q), V(V(q)) and Aitken's
 * delta-squared extrapolation, accepted when it is finite and non-negative), which converges
 * quadratically even when the map contracts slowly near the critical line (Burden &amp; Faires,
 * <i>Numerical Analysis</i>, sec. 2.5). A fixed point reached this way may be unstable; then
 * the point is solved again by the plain iteration q &lt;- V(q), which is what a deep network
 * does, so q* is always the fixed point that signal propagation reaches from unit inputs.
 *
 * <p>Outcomes: a finite q* with |V(q*) - q*| &lt;= {@value #TOLERANCE} max(q*, V(q*)) (or {@value #STALL} once the residual stops
 * decreasing: the noise floor of quadrature);
 * q* = 0 when the iterates fall below {@value #Q_ZERO}; q* = +infinity when they exceed
 * {@value #Q_INFINITE} or keep growing without settling (e.g. Relu with sigma_w^2 &gt; 2);
 * NaN when the plain iteration neither settles nor diverges (a 2-cycle). Where the length map
 * is the identity (Relu at sigma_w^2 = 2, sigma_b^2 = 0) every q is a fixed point and q* = q_0.
 */
final class LengthFixedPoint {

    /** Relative residual at which the iteration stops. */
    static final double TOLERANCE = 1e-14;
    /**
     * Relative residual at which the iteration also stops once it no longer decreases: the
     * noise floor of a quadrature activation's V.
     */
    static final double STALL = 1e-12;
    /** Relative size of a negative extrapolation that is rounding noise around q* = 0. */
    static final double ROUNDING = 1e-9;
    /** Below this the fixed point is taken to be 0. */
    static final double Q_ZERO = 1e-150;
    /** Above this the length is taken to diverge. */
    static final double Q_INFINITE = 1e30;
    /** Steffensen rounds (two map evaluations each) before giving up. */
    static final int STEFFENSEN_ROUNDS = 200;
    /** Plain iterations for points whose Steffensen limit was unstable. */
    static final int PLAIN_ITERATIONS = 20000;
    /** A fixed point whose slope |V'(q*)| exceeds 1 by more than this is unstable. */
    static final double STABILITY_SLACK = 1e-6;

    /** Per point: q*, and the last finite iterate (where a diverging point is evaluated). */
    record Solution(double[] qStar, double[] qLast) {
    }

    private LengthFixedPoint() {
    }

    static Solution solve(MeanFieldMaps maps, double[] sw2, double[] sb2) {
        int n = sw2.length;
        double[] qStar = new double[n];
        double[] qLast = new double[n];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
            qStar[i] = sw2[i] + sb2[i];
        }
        iterate(maps, sw2, sb2, all, n, qStar, qLast, true);
        // Steffensen can converge to an unstable fixed point, or wander where the map has no
        // fixed point but a near miss (a slow passage): redo those with the plain map.
        int[] unstable = unstable(maps, sw2, sb2, qStar);
        if (unstable.length > 0) {
            for (int i : unstable) {
                qStar[i] = sw2[i] + sb2[i];
            }
            iterate(maps, sw2, sb2, unstable, unstable.length, qStar, qLast, false);
        }
        return new Solution(qStar, qLast);
    }

    /** Iterates the points idx[0..m) in place; qStar holds the start and receives the result. */
    private static void iterate(MeanFieldMaps maps, double[] sw2, double[] sb2, int[] idx, int m,
                                double[] qStar, double[] qLast, boolean steffensen) {
        int[] active = Arrays.copyOf(idx, m);
        double[] q = new double[m];
        double[] w2 = new double[m];
        double[] b2 = new double[m];
        double[] v1 = new double[m];
        double[] v2 = new double[m];
        double[] prevStep = new double[m];
        Arrays.fill(prevStep, Double.POSITIVE_INFINITY);
        double[] prevResidual = new double[m];
        Arrays.fill(prevResidual, Double.POSITIVE_INFINITY);
        for (int k = 0; k < m; k++) {
            q[k] = qStar[active[k]];
        }
        int limit = steffensen ? STEFFENSEN_ROUNDS : PLAIN_ITERATIONS;
        for (int round = 0; round < limit && m > 0; round++) {
            for (int k = 0; k < m; k++) {
                w2[k] = sw2[active[k]];
                b2[k] = sb2[active[k]];
            }
            maps.length(q, w2, b2, m, v1, null);
            if (steffensen) {
                double[] v1c = new double[m];
                for (int k = 0; k < m; k++) {
                    v1c[k] = Double.isFinite(v1[k]) && v1[k] >= 0 ? v1[k] : 0.0;
                }
                maps.length(v1c, w2, b2, m, v2, null);
            }
            int kept = 0;
            for (int k = 0; k < m; k++) {
                int i = active[k];
                double qk = q[k];
                double a = v1[k];
                qLast[i] = qk;
                double next;
                boolean done = false;
                double residual = Math.abs(a - qk);
                if (!Double.isFinite(a) || a > Q_INFINITE) {
                    qStar[i] = Double.POSITIVE_INFINITY;
                    done = true;
                    next = qk;
                } else if (Math.abs(a - qk) <= TOLERANCE * Math.max(qk, a)
                        || (Math.abs(a - qk) <= STALL * Math.max(qk, a) && Math.abs(a - qk) >= prevResidual[k])) {
                    qStar[i] = qk;
                    done = true;
                    next = qk;
                } else if (qk < Q_ZERO && a < Q_ZERO) {
                    qStar[i] = 0.0;
                    done = true;
                    next = 0.0;
                } else if (steffensen) {
                    double b = v2[k];
                    if (!Double.isFinite(b) || b > Q_INFINITE) {
                        qLast[i] = a;
                        qStar[i] = Double.POSITIVE_INFINITY;
                        done = true;
                        next = a;
                    } else {
                        double d = b - 2 * a + qk;
                        double accelerated = d != 0 ? qk - (a - qk) * ((a - qk) / d) : Double.NaN; // no underflow of the square
                        if (accelerated < 0 && accelerated > -ROUNDING * qk) {
                            accelerated = 0.0; // the extrapolation hit q* = 0 up to rounding
                        }
                        next = Double.isFinite(accelerated) && accelerated >= 0 ? accelerated : b;
                    }
                } else {
                    next = a;
                }
                if (!done) {
                    double step = Math.abs(next - qk);
                    if (!steffensen && next > qk && step >= prevStep[k] && round > limit / 2 && next > 1e3 * (1 + sw2[i] + sb2[i])) {
                        qStar[i] = Double.POSITIVE_INFINITY; // growing without settling
                        done = true;
                    }
                    prevStep[k] = step;
                    prevResidual[k] = residual;
                }
                if (!done) {
                    if (round == limit - 1) {
                        // Steffensen's last step says little: leave the verdict to the plain iteration
                        qStar[i] = !steffensen && next > qk ? Double.POSITIVE_INFINITY : Double.NaN;
                        qLast[i] = next;
                    } else {
                        active[kept] = i;
                        q[kept] = next;
                        prevStep[kept] = prevStep[k];
                        prevResidual[kept] = prevResidual[k];
                        kept++;
                    }
                }
            }
            m = kept;
        }
    }

    /** Indices of unsettled points (NaN) and of finite fixed points (0 included) whose slope |V'(q*)| exceeds 1. */
    private static int[] unstable(MeanFieldMaps maps, double[] sw2, double[] sb2, double[] qStar) {
        double[] slope = Slopes.length(maps, sw2, sb2, qStar); // forward difference at q* = 0
        int[] out = new int[qStar.length];
        int m = 0;
        for (int i = 0; i < qStar.length; i++) {
            if (Double.isNaN(qStar[i]) || (Double.isFinite(qStar[i]) && Math.abs(slope[i]) > 1 + STABILITY_SLACK)) {
                out[m++] = i;
            }
        }
        return Arrays.copyOf(out, m);
    }
}
