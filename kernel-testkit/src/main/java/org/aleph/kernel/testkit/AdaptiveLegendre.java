package org.aleph.kernel.testkit;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Adaptive composite Gauss-Legendre integration of a function on a finite interval that is
 * already cut at its known break points.
 *
 * <p>Each segment is integrated with the {@value #NODES}-point Gauss-Legendre rule and with
 * the same rule on its two halves; when the two estimates differ by more than
 * {@code absTol} (halved at each level), and by more than rounding ({@code RELATIVE_TOLERANCE}
 * times the integral of |f| over the segment), the halves are refined recursively, down to {@value #MAX_DEPTH} levels. A
 * function that is smooth on every segment converges geometrically; a jump or kink that was
 * not declared as a break point is still resolved by bisection, only more slowly; at most
 * {@value #MAX_SEGMENTS} bisections are spent on one integral. Cost:
 * 3 x {@value #NODES} evaluations per accepted segment.
 *
 * <p>Reference: Davis &amp; Rabinowitz, <i>Methods of Numerical Integration</i>, 2nd ed.,
 * section 6.2 (adaptive quadrature), ISBN 0-12-206360-0.
 */
final class AdaptiveLegendre {

    /** Nodes of the Gauss-Legendre rule applied to each segment. */
    static final int NODES = 14;

    /** Relative error at which a segment is accepted. */
    static final double RELATIVE_TOLERANCE = 1e-14;

    /** Deepest bisection level. */
    static final int MAX_DEPTH = 40;

    /** Most bisections in one integral: a guard against noise that no refinement can remove. */
    static final int MAX_SEGMENTS = 4000;

    private static final double[] X = new double[NODES];
    private static final double[] W = new double[NODES];

    static {
        GaussIntegrator rule = new GaussIntegratorFactory().legendre(NODES);
        for (int i = 0; i < NODES; i++) {
            X[i] = rule.getPoint(i);
            W[i] = rule.getWeight(i);
        }
    }

    private AdaptiveLegendre() {
    }

    /**
     * The integral of {@code f} over {@code [breaks[0], breaks[last]]}.
     *
     * @param f      the integrand
     * @param breaks increasing points where f may be non-smooth, first and last the limits
     * @param absTol absolute tolerance for the whole integral
     */
    static double integrate(DoubleUnaryOperator f, double[] breaks, double absTol) {
        double total = breaks[breaks.length - 1] - breaks[0];
        int[] budget = {MAX_SEGMENTS};
        double sum = 0;
        for (int k = 0; k + 1 < breaks.length; k++) {
            double a = breaks[k];
            double b = breaks[k + 1];
            if (b > a) {
                sum += segment(f, a, b, panel(f, a, b), absTol * (b - a) / total, 0, budget);
            }
        }
        return sum;
    }

    /** The integral of |f| by the plain composite rule on the given segments: a magnitude for tolerances. */
    static double magnitude(DoubleUnaryOperator f, double[] breaks) {
        double sum = 0;
        for (int k = 0; k + 1 < breaks.length; k++) {
            double a = breaks[k];
            double b = breaks[k + 1];
            double h = 0.5 * (b - a);
            double m = 0.5 * (a + b);
            for (int i = 0; i < NODES; i++) {
                sum += W[i] * h * Math.abs(f.applyAsDouble(m + h * X[i]));
            }
        }
        return sum;
    }

    /**
     * Sorted, de-duplicated break points inside [-limit, limit] with both limits, every
     * segment at most {@code maxWidth} long.
     */
    static double[] breaks(double limit, double maxWidth, double[] points, int count) {
        double[] inside = new double[count + 2];
        int n = 0;
        inside[n++] = -limit;
        inside[n++] = limit;
        for (int i = 0; i < count; i++) {
            double p = points[i];
            if (p > -limit && p < limit) {
                inside[n++] = p;
            }
        }
        Arrays.sort(inside, 0, n);
        double[] out = new double[4 * n + (int) Math.ceil(2 * limit / maxWidth) + 2];
        int m = 0;
        out[m++] = inside[0];
        for (int i = 1; i < n; i++) {
            double a = inside[i - 1];
            double b = inside[i];
            if (!(b > a)) {
                continue;
            }
            int pieces = (int) Math.ceil((b - a) / maxWidth);
            for (int j = 1; j < pieces; j++) {
                out[m++] = a + (b - a) * j / pieces;
            }
            out[m++] = b;
        }
        return Arrays.copyOf(out, m);
    }

    private static double segment(DoubleUnaryOperator f, double a, double b, double whole, double absTol, int depth,
                                  int[] budget) {
        double m = 0.5 * (a + b);
        double[] left = new double[2];
        double[] right = new double[2];
        panel(f, a, m, left);
        panel(f, m, b, right);
        double sum = left[0] + right[0];
        double err = Math.abs(sum - whole);
        // accept when within tolerance, at rounding level of sum |f|, or when refining cannot help
        if (!Double.isFinite(sum) || depth >= MAX_DEPTH || --budget[0] <= 0 || err <= absTol
                || err <= RELATIVE_TOLERANCE * (left[1] + right[1]) || !(m > a && b > m)) {
            return sum;
        }
        return segment(f, a, m, left[0], 0.5 * absTol, depth + 1, budget)
                + segment(f, m, b, right[0], 0.5 * absTol, depth + 1, budget);
    }

    private static double panel(DoubleUnaryOperator f, double a, double b) {
        double[] out = new double[2];
        panel(f, a, b, out);
        return out[0];
    }

    /** out[0] = Gauss-Legendre estimate of the integral of f, out[1] = the same for |f|. */
    private static void panel(DoubleUnaryOperator f, double a, double b, double[] out) {
        double h = 0.5 * (b - a);
        double m = 0.5 * (a + b);
        double s = 0;
        double abs = 0;
        for (int i = 0; i < NODES; i++) {
            double v = W[i] * f.applyAsDouble(m + h * X[i]);
            s += v;
            abs += Math.abs(v);
        }
        out[0] = s * h;
        out[1] = abs * h;
    }
}
