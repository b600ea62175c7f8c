package org.aleph.kernel.quadrature;

import static org.aleph.kernel.spi.Gaussians.INV_SQRT_2PI;

/**
 * A posteriori check of a {@link PanelPlan}'s Gauss-Legendre panels, and bisection of those that
 * do not resolve the integrand: the safeguard for integrands whose features the plan could not
 * foresee, such as a periodic f at a large variance (sin(3 s z) oscillates over the whole
 * Gaussian, while the plan grades its panels only towards the origin and the kinks).
 *
 * <p><b>Check.</b> On a panel with n nodes the values g(x_j) of the integrand's smooth factor
 * (without the Gaussian weight, whose resolution the plan guarantees) determine the degree n - 1
 * interpolant sum_d c_d P_d; its top coefficients c_(n-1), c_(n-2) are dot products with fixed
 * vectors ({@link GaussRules#LEGENDRE_TAIL}). For an analytic g the Legendre coefficients decay
 * geometrically or faster (Trefethen, Approximation Theory and Approximation Practice, ch. 8),
 * and the n-point rule's error is of the order of the coefficients from degree 2n on, so
 * |c_(n-1)| + |c_(n-2)| &lt;= {@value #RESOLVED} max|g| means an error far below the
 * tolerance, while an oscillation the panel does not resolve leaves top coefficients of the size
 * of g itself. Larger top coefficients are still accepted when they fall fast enough from the
 * middle pair c_(n/2), c_(n/2-1): the rate r per degree between the pairs, continued to degree
 * 2n, must leave less than {@value #EXTRAPOLATED} max|g| (an entire g such as e^(-2 sigma z) far
 * from tanh's centre decays faster than geometrically, so this errs on the safe side). Because a
 * panel far too coarse for an oscillation can alias it into coefficients that seem to decay,
 * such a panel is accepted only if g at its midpoint (one more evaluation) also agrees with the
 * interpolant of the node values within {@value #MIDPOINT} max|g|; otherwise it is bisected.
 * Where an integral cancels heavily (|sum w g| &lt; {@value #CANCELLATION} sum w |g|, e.g. an
 * oscillating f whose expectation is a millionth of its Cauchy-Schwarz bound) the panels' design
 * tolerance is not enough: the caller then recomputes strictly, where only the first test
 * accepts a panel ({@link #cancels}). This is the tail test of Chebfun's constructor (Aurentz and Trefethen, ACM TOMS
 * 43 (2017)) applied to the panel's own nodes: it costs two dot products per panel.
 *
 * <p>A Gauss-Hermite rule (which the plan takes where f looks flat on the Gaussian's scale) is
 * checked the same way with the top coefficients in the normalised Hermite polynomials,
 * w_j h_d(z_j) summed against g; if it fails, the integral is redone on unit Legendre panels
 * over the window, each checked and bisected as below.
 *
 * <p><b>Refinement.</b> A panel that fails is integrated again by recursive bisection with the
 * same rule, each half checked the same way, to depth {@value #MAX_DEPTH} (a factor 1024 in
 * length); panels whose Gaussian mass times max|g| is below {@value #NEGLIGIBLE} of the whole
 * integral's absolute mass are not checked.
 */
final class PanelRefiner {

    /** The smooth factor g of an integrand g(z) phi(z), evaluated at new nodes during refinement. */
    interface Factor {
        double at(double z);
    }

    /** Largest |c_(n-1)| + |c_(n-2)| relative to max |g| on a resolved panel. */
    static final double RESOLVED = 1e-7;
    /** Largest decay rate per degree of the coefficients accepted for extrapolation. */
    static final double RATE = 0.5;
    /** Largest extrapolated coefficient at degree 2n, relative to max |g|, on a resolved panel. */
    static final double EXTRAPOLATED = 1e-11;
    /** Largest disagreement, relative to max |g|, between g and its interpolant at a flagged panel's midpoint. */
    static final double MIDPOINT = 1e-4;
    /** |sum w g| below this share of sum w |g| counts as heavy cancellation (strict checks only). */
    static final double CANCELLATION = 0.02;
    /** Deepest bisection of a panel. */
    static final int MAX_DEPTH = 10;
    /** Panels carrying less than this share of the absolute mass are not checked. */
    static final double NEGLIGIBLE = 1e-17;
    /** Size index of the Legendre rule (16 nodes) on the unit panels that replace an unresolved Hermite rule. */
    private static final int FALLBACK_RULE = 4;

    private PanelRefiner() {
    }

    /**
     * The index of the first panel of plan that does not resolve g (g[j] the smooth factor at
     * node j, already summed with the weights plan.w), or -1 if every panel does.
     */
    static int firstUnresolved(PanelPlan plan, double[] g) {
        if (plan.panels == 0) {
            return plan.hermiteRule < 0 || hermiteResolved(plan, g) ? -1 : 0;
        }
        double total = absoluteMass(plan, g);
        for (int p = 0; p < plan.panels; p++) {
            if (!resolved(plan, g, p, total, false)) {
                return p;
            }
        }
        return -1;
    }

    /**
     * The correction to add to sum_j w_j g_j for the panels from {@code first} on that do not
     * resolve g: their integral by checked bisection minus their share of that sum; strict
     * accepts a panel only by the first test (see the class comment).
     */
    static double correction(PanelPlan plan, double[] g, int first, Factor factor, boolean strict) {
        double total = absoluteMass(plan, g);
        if (plan.panels == 0) {
            // a Gauss-Hermite rule that does not resolve g: checked unit panels over the window
            double old = 0;
            for (int j = 0; j < plan.size; j++) {
                old += plan.w[j] * g[j];
            }
            double sum = 0;
            for (double a = -PanelPlan.Z; a < PanelPlan.Z; a += 1) {
                sum += bisect(a, a + 1, FALLBACK_RULE, factor, total, 0, false);
            }
            return sum - old;
        }
        double delta = 0;
        for (int p = first; p < plan.panels; p++) {
            if (resolved(plan, g, p, total, false)) {
                continue;
            }
            if (!strict && resolved(plan, g, p, total, true) && midpointAgrees(plan, g, p, factor)) {
                continue;
            }
            int k = plan.panelRule[p];
            int j0 = plan.panelFirst[p];
            double old = 0;
            for (int j = j0, end = j0 + GaussRules.LEGENDRE_SIZES[k]; j < end; j++) {
                old += plan.w[j] * g[j];
            }
            double a = plan.panelA[p];
            double b = plan.panelB[p];
            double mid = 0.5 * (a + b);
            delta += bisect(a, mid, k, factor, total, 1, strict) + bisect(mid, b, k, factor, total, 1, strict) - old;
        }
        return delta;
    }

    /** Whether sum w g cancels heavily: |sum w g| &lt; {@value #CANCELLATION} sum w |g|. */
    static boolean cancels(PanelPlan plan, double[] g, double sum) {
        return Math.abs(sum) < CANCELLATION * absoluteMass(plan, g);
    }

    /** The Hermite analogue of the Legendre check: coefficients of g in h_d. */
    private static boolean hermiteResolved(PanelPlan plan, double[] g) {
        return decays(GaussRules.HERMITE_TAIL[plan.hermiteRule], g, 0, plan.size, false);
    }

    /**
     * Whether the coefficients t[m] . g[j0 ..] (top pair, middle pair; {@link GaussRules#tailDegree})
     * show g resolved by an n-point rule: the top pair below {@value #RESOLVED} max|g|, or
     * decaying from the middle pair at a rate r per degree (at most {@value #RATE}) that,
     * continued to degree 2n, leaves less than {@value #EXTRAPOLATED} max|g|.
     */
    private static boolean decays(double[][] t, double[] g, int j0, int n, boolean extrapolate) {
        double[] t0 = t[0];
        double[] t1 = t[1];
        double[] t2 = t[2];
        double[] t3 = t[3];
        double c0 = 0;
        double c1 = 0;
        double c2 = 0;
        double c3 = 0;
        double gmax = 0;
        for (int j = 0; j < n; j++) {
            double v = g[j0 + j];
            c0 += t0[j] * v;
            c1 += t1[j] * v;
            c2 += t2[j] * v;
            c3 += t3[j] * v;
            gmax = Math.max(gmax, Math.abs(v));
        }
        double top = Math.abs(c0) + Math.abs(c1);
        if (top <= RESOLVED * gmax) {
            return true;
        }
        if (!extrapolate) {
            return false;
        }
        double mid = Math.abs(c2) + Math.abs(c3);
        double r = Math.pow(top / mid, 1.0 / (n - 1 - n / 2));
        return r <= RATE && top * Math.pow(r, n + 1) <= EXTRAPOLATED * gmax;
    }

    private static double absoluteMass(PanelPlan plan, double[] g) {
        double total = 0;
        for (int j = 0; j < plan.size; j++) {
            total += plan.w[j] * Math.abs(g[j]);
        }
        return total;
    }

    /**
     * Whether g at the midpoint of panel p agrees with the interpolant of its node values within
     * {@value #MIDPOINT} max|g|: the guard against a panel so coarse that an oscillation aliases
     * into coefficients that seem to decay.
     */
    private static boolean midpointAgrees(PanelPlan plan, double[] g, int p, Factor factor) {
        int k = plan.panelRule[p];
        int j0 = plan.panelFirst[p];
        double[] l = GaussRules.LEGENDRE_MID[k];
        double interp = 0;
        double gmax = 0;
        for (int j = 0; j < l.length; j++) {
            interp += l[j] * g[j0 + j];
            gmax = Math.max(gmax, Math.abs(g[j0 + j]));
        }
        double actual = factor.at(0.5 * (plan.panelA[p] + plan.panelB[p]));
        return Math.abs(actual - interp) <= MIDPOINT * gmax;
    }

    private static boolean resolved(PanelPlan plan, double[] g, int p, double total, boolean extrapolate) {
        int k = plan.panelRule[p];
        int j0 = plan.panelFirst[p];
        int n = GaussRules.LEGENDRE_SIZES[k];
        double gmax = 0;
        double mass = 0;
        for (int j = j0; j < j0 + n; j++) {
            gmax = Math.max(gmax, Math.abs(g[j]));
            mass += plan.w[j];
        }
        return mass * gmax <= NEGLIGIBLE * total || decays(GaussRules.LEGENDRE_TAIL[k], g, j0, n, extrapolate);
    }

    /** The integral of g phi over [a, b] by rule k, bisected while the check fails. */
    private static double bisect(double a, double b, int k, Factor factor, double total, int depth, boolean strict) {
        double[] x = GaussRules.LEGENDRE_X[k];
        double[] wx = GaussRules.LEGENDRE_W[k];
        double half = 0.5 * (b - a);
        double mid = a + half;
        double[] v = new double[x.length];
        double sum = 0;
        double mass = 0;
        double gmax = 0;
        for (int j = 0; j < x.length; j++) {
            double z = mid + half * x[j];
            v[j] = factor.at(z);
            double w = half * wx[j] * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
            sum += w * v[j];
            mass += w;
            gmax = Math.max(gmax, Math.abs(v[j]));
        }
        if (depth >= MAX_DEPTH || mass * gmax <= NEGLIGIBLE * total || decays(GaussRules.LEGENDRE_TAIL[k], v, 0, x.length, !strict)) {
            return sum;
        }
        return bisect(a, mid, k, factor, total, depth + 1, strict) + bisect(mid, b, k, factor, total, depth + 1, strict);
    }
}
