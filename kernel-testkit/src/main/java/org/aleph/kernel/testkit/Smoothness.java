package org.aleph.kernel.testkit;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Activation;

/**
 * Numerical probes of smoothness: Richardson-extrapolated central differences for phi', and a
 * detector of kinks (jumps in phi, phi', phi'' or phi''').
 *
 * <p><b>Kink detector.</b> At a point x and step h, a quadratic through g(x+h), g(x+2h),
 * g(x+3h) extrapolates the right-hand value, slope and curvature of g at x,
 * <pre>
 *   g(x+) = 3 g1 - 3 g2 + g3,   g'(x+) = (d1 - 1.5 d2) / h,   g''(x+) = d2 / h^2,
 *   d1 = g2 - g1,  d2 = g3 - 2 g2 + g1,
 * </pre>
 * and the mirrored stencil gives the left-hand ones. For g smooth at x the left/right
 * differences J_r(h) of the r-th derivative vanish like h^(3-r) (shrink 64, 16, 4 times when h
 * is divided by 4); for a jump in the r-th derivative they tend to the jump. A point is a kink
 * when, for g = phi (r = 0) or g = phi' (r = 0, 1, 2), J_r(h/4) &gt; J_r(h) / 2 and J_r(h/4)
 * exceeds {@value #FLOOR} M / (h/4)^r, M the largest |g| on the stencil (far above rounding,
 * which is about 1e-16 M / h^r). This finds the kinks of Relu (phi'), Elu (phi''),
 * RectifiedMonomial(3) (phi''') and Sign (phi), and sees none at points of analytic functions.
 * Step: h = {@value #RELATIVE_STEP} max(|x|, 0.01).
 */
public final class Smoothness {

    /** Relative step of the kink detector. */
    public static final double RELATIVE_STEP = 1e-3;

    /** Relative size below which a left/right difference is treated as rounding. */
    public static final double FLOOR = 1e-8;

    private Smoothness() {
    }

    /** The step used at x. */
    public static double step(double x) {
        return RELATIVE_STEP * Math.max(Math.abs(x), 0.01);
    }

    /** Intervals of the grid on which {@link #lengthScale} counts sign changes. */
    static final int FREQUENCY_GRID = 20_000;

    /**
     * The length on which phi oscillates, estimated from the sign changes of phi and of its
     * second differences (the zero crossings of phi'') on {@value #FREQUENCY_GRID} intervals of
     * [-range, range]: for sin(w x) (or x + sin^2(a x) / a, w = 2a) phi'' crosses zero every
     * pi / w, C times on the range, so 1 / w = 2 range / (pi C). A second difference below
     * 1e-12 of the local |phi| (a straight piece, rounding) has no sign. An ordinary activation
     * (tanh, Relu, erf: at most a few crossings) gets 2 range / pi or more; 1 / w is exact to the
     * grid's resolution while the grid has a few points per half period (w up to about 1000 on
     * [-10, 10]) and shrinks no further beyond.
     */
    public static double lengthScale(DoubleUnaryOperator phi, double range) {
        int n = FREQUENCY_GRID;
        double dx = 2 * range / n;
        double[] v = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            v[i] = phi.applyAsDouble(-range + i * dx);
        }
        int phiChanges = 0;
        int lastSign = 0;
        for (double x : v) {
            int sign = x > 0 ? 1 : (x < 0 ? -1 : 0);
            if (sign != 0) {
                phiChanges += lastSign == -sign ? 1 : 0;
                lastSign = sign;
            }
        }
        int curvatureChanges = 0;
        lastSign = 0;
        for (int i = 1; i < n; i++) {
            double d2 = v[i + 1] - 2 * v[i] + v[i - 1];
            double size = Math.abs(v[i - 1]) + Math.abs(v[i]) + Math.abs(v[i + 1]);
            int sign = Math.abs(d2) > 1e-12 * size ? (d2 > 0 ? 1 : -1) : 0;
            if (sign != 0) {
                curvatureChanges += lastSign == -sign ? 1 : 0;
                lastSign = sign;
            }
        }
        int crossings = Math.max(1, Math.max(phiChanges, curvatureChanges));
        return 2 * range / (Math.PI * crossings);
    }

    /**
     * phi'(x) estimated by Richardson extrapolation of central differences with steps h and
     * h/2, {@code (4 D(h/2) - D(h)) / 3}: error O(h^4).
     */
    public static double derivative(DoubleUnaryOperator phi, double x, double h) {
        double d1 = (phi.applyAsDouble(x + h) - phi.applyAsDouble(x - h)) / (2 * h);
        double d2 = (phi.applyAsDouble(x + h / 2) - phi.applyAsDouble(x - h / 2)) / h;
        return (4 * d2 - d1) / 3;
    }

    /**
     * A description of the non-smoothness found at x (e.g. {@code "phi' jumps in derivative 1
     * by 1.0"}), or null when phi and phi' look smooth there.
     */
    public static String kinkAt(Activation a, double x) {
        double h = step(x);
        String found = jump(a::phi, "phi", 0, x, h);
        for (int r = 0; r <= 2 && found == null; r++) {
            found = jump(a::dphi, "phi'", r, x, h);
        }
        return found;
    }

    /**
     * Scans [-range, range] for a kink that is not declared: on a grid of {@value #SCAN_POINTS}
     * steps the third differences of phi and of phi' vary smoothly where the function is smooth
     * (about g''' step^3) but spike where the stencil straddles a jump in g, g' or g''
     * (about J step^r). A spike ten times its neighbours is narrowed down by rescanning its
     * stencil on finer grids ({@value #SCAN_REFINEMENTS} times, a factor 10 each) and then
     * confirmed with {@link #kinkAt}, so a steep but smooth feature is not reported.
     *
     * @param declared the declared kinks, whose neighbourhoods are skipped
     * @return a description of the first undeclared kink found, or null
     */
    public static String scanForKinks(Activation a, double range, double[] declared) {
        String found = scan(a, a::phi, range, declared);
        return found != null ? found : scan(a, a::dphi, range, declared);
    }

    /** Steps of the kink scan's coarse grid. */
    static final int SCAN_POINTS = 4000;

    /** Refinements of a suspected kink's location. */
    static final int SCAN_REFINEMENTS = 7;

    private static String scan(Activation a, DoubleUnaryOperator g, double range, double[] declared) {
        int n = SCAN_POINTS;
        double step = 2 * range / n;
        double[] v = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            v[i] = g.applyAsDouble(-range + i * step);
        }
        double[] d = new double[n - 2];
        for (int i = 0; i < n - 2; i++) {
            d[i] = Math.abs(v[i + 3] - 3 * v[i + 2] + 3 * v[i + 1] - v[i]);
        }
        for (int i = 0; i < d.length; i++) {
            double lo = -range + i * step;
            if (near(declared, lo - step, lo + 4 * step)) {
                continue;
            }
            double left = i >= 4 ? d[i - 4] : d[i + 4];
            double right = i + 4 < d.length ? d[i + 4] : d[i - 4];
            double size = Math.max(Math.max(Math.abs(v[i]), Math.abs(v[i + 3])), 1e-300);
            if (d[i] > 10 * (left + right) && d[i] > 1e-12 * size) {
                double x = locate(g, lo, lo + 3 * step);
                String kink = near(declared, x - 4 * step(x), x + 4 * step(x)) ? null : kinkAt(a, x);
                if (kink != null) {
                    return kink;
                }
            }
        }
        return null;
    }

    /** Narrows [lo, hi] down to the stencil of the largest third difference, repeatedly; its centre. */
    private static double locate(DoubleUnaryOperator g, double lo, double hi) {
        int m = 30;
        for (int r = 0; r < SCAN_REFINEMENTS; r++) {
            double step = (hi - lo) / m;
            double best = -1;
            int at = 0;
            double[] v = new double[m + 1];
            for (int i = 0; i <= m; i++) {
                v[i] = g.applyAsDouble(lo + i * step);
            }
            for (int i = 0; i + 3 <= m; i++) {
                double t = Math.abs(v[i + 3] - 3 * v[i + 2] + 3 * v[i + 1] - v[i]);
                if (t > best) {
                    best = t;
                    at = i;
                }
            }
            lo = lo + at * step;
            hi = lo + 3 * step;
        }
        return 0.5 * (lo + hi);
    }

    private static boolean near(double[] points, double lo, double hi) {
        for (double p : points) {
            if (p >= lo && p <= hi) {
                return true;
            }
        }
        return false;
    }

    private static String jump(DoubleUnaryOperator g, String name, int order, double x, double h) {
        double coarse = difference(g, order, x, h);
        double fine = difference(g, order, x, h / 4);
        double m = magnitude(g, x, h / 4);
        double floor = FLOOR * m / Math.pow(h / 4, order);
        if (fine > 0.5 * coarse && fine > floor) {
            return name + (order == 0 ? "" : " derivative " + order) + " jumps at " + x + " by about " + fine
                    + " (" + coarse + " with step " + h + ", " + fine + " with step " + h / 4 + ")";
        }
        return null;
    }

    /** |left - right| estimate of the order-th derivative of g at x with step h. */
    static double difference(DoubleUnaryOperator g, int order, double x, double h) {
        return Math.abs(oneSided(g, order, x, h) - oneSided(g, order, x, -h));
    }

    private static double oneSided(DoubleUnaryOperator g, int order, double x, double h) {
        double g1 = g.applyAsDouble(x + h);
        double g2 = g.applyAsDouble(x + 2 * h);
        double g3 = g.applyAsDouble(x + 3 * h);
        double d1 = g2 - g1;
        double d2 = g3 - 2 * g2 + g1;
        return switch (order) {
            case 0 -> 3 * g1 - 3 * g2 + g3;
            case 1 -> (d1 - 1.5 * d2) / h;
            default -> d2 / (h * h);
        };
    }

    private static double magnitude(DoubleUnaryOperator g, double x, double h) {
        double m = 0;
        for (int k = -3; k <= 3; k++) {
            if (k != 0) {
                m = Math.max(m, Math.abs(g.applyAsDouble(x + k * h)));
            }
        }
        return m;
    }
}
