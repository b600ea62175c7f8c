package org.aleph.kernel.quadrature;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.UserErrorException;

/**
 * Checks, once per variance q, that the Gaussian second moment E[f(u)^2], u ~ N(0, q), of a
 * function known only pointwise exists and is within reach of the quadrature on
 * [-{@value #RANGE} sd, {@value #RANGE} sd]; otherwise the kernel would be a number with no
 * meaning (issue 15: E[tan^2 u] "= 51.44", E[exp(2u^2)] "= 3.9e33") or the adaptive rules would
 * refine forever (Sqrt(x) on negative arguments). By Cauchy-Schwarz,
 * |E[f(u) f(v)]| &lt;= sqrt(E[f(u)^2] E[f(v)^2]), so the diagonal moments decide every entry.
 *
 * <p>Three tests on x = s z, s = sqrt(q):
 * <ol>
 *   <li>Domain: f is evaluated on {@value #GRID} points of z in [-{@value #FAR}, {@value #FAR}];
 *       a NaN (Sqrt, Log of negative x) means f is undefined where the pre-activations go, an
 *       infinity inside the rule's range a singularity.</li>
 *   <li>Poles: in the grid cells where f jumps most, bisection towards the end of larger |f| for
 *       {@value #BISECTIONS} halvings; |f| growing by more than {@value #POLE_GROWTH} (a
 *       singularity of order above 1/2, where f^2 is not integrable, e.g. tan at pi/2) is a
 *       pole. A bounded jump (Sign, a step) does not grow.</li>
 *   <li>Tails: g(z) = f(s z)^2 exp(-z^2/2) at |z| = {@value #RANGE}, 14 and {@value #FAR}
 *       against the largest g on the grid: growing tails (exp(x^2) at variances above 1/4)
 *       diverge; tails above {@value #TAIL} of the peak would be cut off by the rule.</li>
 * </ol>
 * Cost: about {@value #GRID} evaluations of f per distinct variance, cached per function.
 */
public final class IntegrabilityProbe {

    /** Points of the domain grid. */
    static final int GRID = 481;
    /** The grid covers z in [-FAR, FAR] standard deviations. */
    static final double FAR = 20;
    /** The quadrature rules integrate over z in [-RANGE, RANGE]. */
    static final double RANGE = 10;
    /** Halvings of a cell when looking for a pole (2^-40 of the cell). */
    static final int BISECTIONS = 40;
    /** Growth of |f| over the bisections that marks a pole of order above 1/2 (2^(40/2) = 1e6). */
    static final double POLE_GROWTH = 1e6;
    /** Largest tail weight g(RANGE) / max g the rule may ignore. */
    static final double TAIL = 1e-10;

    private final String name;
    private final DoubleUnaryOperator f;
    private final String role;
    private final ConcurrentHashMap<Double, String> verdicts = new ConcurrentHashMap<>();

    /**
     * @param name the activation as written in a spec, for messages
     * @param f    the function, phi or phi'
     * @param role "phi" or "phi'", for messages
     */
    public IntegrabilityProbe(String name, DoubleUnaryOperator f, String role) {
        this.name = name;
        this.f = f;
        this.role = role;
    }

    /**
     * Checks every distinct variance among q11[0..n) and q22[0..n).
     *
     * @throws UserErrorException naming the activation, the variance and what is wrong
     */
    public void requireIntegrable(double[] q11, double[] q22, int n) {
        double last1 = Double.NaN;
        double last2 = Double.NaN;
        for (int i = 0; i < n; i++) {
            if (q11[i] != last1) {
                last1 = q11[i];
                require(last1);
            }
            if (q22[i] != last2) {
                last2 = q22[i];
                require(last2);
            }
        }
    }

    /** Checks one variance q (zero and non-finite variances are left to the caller). */
    public void require(double q) {
        if (!(q > 0) || !Double.isFinite(q)) {
            return;
        }
        String verdict = verdicts.computeIfAbsent(q, this::verdict);
        if (!verdict.isEmpty()) {
            throw new UserErrorException(verdict);
        }
    }

    /** The empty string when E[f(u)^2] is finite and within reach, otherwise the sentence that says why not. */
    String verdict(double q) {
        double s = Math.sqrt(q);
        String at = String.format(Locale.ROOT, " of variance %.4g", q);
        double[] z = new double[GRID];
        double[] v = new double[GRID];
        double peak = 0;
        for (int i = 0; i < GRID; i++) {
            z[i] = -FAR + 2 * FAR * i / (GRID - 1);
            double x = s * z[i];
            v[i] = f.applyAsDouble(x);
            if (Double.isNaN(v[i])) {
                return String.format(Locale.ROOT, "%s: %s(x) is undefined (NaN) at x = %.4g, where Gaussian pre-activations%s reach; "
                        + "an activation must be defined for every real x (e.g. Sqrt and Log are not defined for x < 0)", name, role, x, at);
            }
            if (Math.abs(z[i]) <= RANGE && Double.isFinite(v[i])) {
                peak = Math.max(peak, v[i] * v[i] * Math.exp(-0.5 * z[i] * z[i]));
            }
        }
        for (int i = 0; i < GRID; i++) {
            if (Double.isInfinite(v[i]) && Math.abs(z[i]) <= RANGE) {
                boolean isolated = i > 0 && i + 1 < GRID && Double.isFinite(v[i - 1]) && Double.isFinite(v[i + 1]);
                if (isolated) { // a singular point such as 1/x or log|x| at 0
                    return String.format(Locale.ROOT, "%s: %s(x) is infinite at x = %.4g, where Gaussian pre-activations%s reach, "
                            + "so E[%s(u)^2] is not a finite number; an activation must be finite on the whole real line", name, role,
                            s * z[i], at, role);
                }
                // infinite on a whole stretch towards the tails: growth that overflows
                return String.format(Locale.ROOT, "%s: %s(x)^2 grows faster than the Gaussian density%s decays (it overflows at "
                        + "x = %.4g), so E[%s(u)^2] diverges or overflows; use smaller inputs or W_std", name, role, at, s * z[i], role);
            }
        }
        String pole = pole(s, z, v, at);
        if (pole != null) {
            return pole;
        }
        return tails(s, peak, at);
    }

    /** A pole among the cells where f jumps most, or null. */
    private String pole(double s, double[] z, double[] v, String at) {
        double scale = 0;
        for (int i = 0; i < GRID; i++) {
            if (Math.abs(z[i]) <= RANGE) {
                scale = Math.max(scale, Math.abs(v[i]));
            }
        }
        int[] best = {-1, -1, -1, -1};
        double[] jump = new double[best.length];
        for (int i = 0; i + 1 < GRID; i++) {
            if (Math.abs(z[i]) > RANGE || Math.abs(z[i + 1]) > RANGE) {
                continue;
            }
            double d = Math.abs(v[i + 1] - v[i]);
            for (int k = 0; k < best.length; k++) {
                if (best[k] < 0 || d > jump[k]) {
                    System.arraycopy(best, k, best, k + 1, best.length - k - 1);
                    System.arraycopy(jump, k, jump, k + 1, jump.length - k - 1);
                    best[k] = i;
                    jump[k] = d;
                    break;
                }
            }
        }
        for (int i : best) {
            if (i < 0) {
                continue;
            }
            double a = s * z[i];
            double b = s * z[i + 1];
            double fa = f.applyAsDouble(a);
            double fb = f.applyAsDouble(b);
            double start = Math.max(Math.abs(fa), Math.abs(fb));
            double largest = start;
            for (int k = 0; k < BISECTIONS && b - a > Math.ulp(Math.abs(a) + Math.abs(b)) * 4; k++) {
                double m = 0.5 * (a + b);
                double fm = f.applyAsDouble(m);
                if (!Double.isFinite(fm)) {
                    largest = Double.POSITIVE_INFINITY;
                    break;
                }
                largest = Math.max(largest, Math.abs(fm));
                // keep the half at the end where |f| is larger: |f| ~ 1/dist^k near a pole p, and
                // p in [a, m] means p - a <= (b - a)/2 <= b - p, so |f(a)| >= |f(b)|
                if (Math.abs(fa) >= Math.abs(fb)) {
                    b = m;
                    fb = fm;
                } else {
                    a = m;
                    fa = fm;
                }
            }
            if (largest > POLE_GROWTH * Math.max(start, Math.max(scale, Double.MIN_NORMAL))) {
                return String.format(Locale.ROOT, "%s: %s(x) has a pole near x = %.6g, where Gaussian pre-activations%s reach, "
                        + "so E[%s(u)^2] diverges; an activation must be finite on the whole real line", name, role, 0.5 * (a + b), at,
                        role);
            }
        }
        return null;
    }

    /** Growing or heavy tails of f(s z)^2 exp(-z^2/2) beyond the rule's range, or the empty string. */
    private String tails(double s, double peak, String at) {
        double[] zs = {RANGE, 14, FAR};
        double worst = 0;
        for (int side = -1; side <= 1; side += 2) {
            double previous = -1;
            boolean grows = true;
            for (double zz : zs) {
                double fx = f.applyAsDouble(side * s * zz);
                double g = Double.isInfinite(fx) ? Double.POSITIVE_INFINITY : fx * fx * Math.exp(-0.5 * zz * zz);
                if (!(g > previous) && !Double.isInfinite(g)) { // still growing when it overflows
                    grows = false;
                }
                previous = g;
                if (zz == RANGE) {
                    worst = Math.max(worst, g);
                }
            }
            if (grows && worst > TAIL * peak) {
                return String.format(Locale.ROOT, "%s: %s(x)^2 grows faster than the Gaussian density%s decays (at x = %.4g it "
                        + "outweighs the centre), so E[%s(u)^2] diverges; use smaller inputs or W_std, or an activation of slower growth",
                        name, role, at, side * s * FAR, role);
            }
        }
        if (worst > TAIL * peak) {
            return String.format(Locale.ROOT, "%s: %s(x)^2 decays too slowly against the Gaussian density%s (its weight at %g standard "
                    + "deviations is %.2g of the peak), so quadrature cannot resolve E[%s(u)^2]; use smaller inputs or W_std",
                    name, role, at, RANGE, worst / peak, role);
        }
        return "";
    }
}
