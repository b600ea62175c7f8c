package org.aleph.kernel.testkit;

import java.util.function.DoubleUnaryOperator;

/**
 * An independent, slow and careful reference for the Gaussian expectation
 * {@code E[f(u) f(v)]}, {@code (u, v) ~ N(0, [[q11, q12], [q12, q22]])}, written without any
 * of kernel-api's quadrature so that it can judge closed forms and quadrature activations
 * alike.
 *
 * <p>Method: with {@code u = s1 z1}, {@code v = s2 (rho z1 + c z2)}, {@code c = sqrt(1 - rho^2)}
 * and z1, z2 independent standard normals, the expectation is the iterated integral
 * <pre>
 *   E = int f(s1 z1) [ int f(s2 (rho z1 + c z2)) n(z2) dz2 ] n(z1) dz1 ,   n = standard normal density,
 * </pre>
 * truncated to {@code |z| <= }{@value #TRUNCATION} (the normal tail beyond it is below
 * 1e-32) and computed by {@link AdaptiveLegendre adaptive Gauss-Legendre} on segments cut at
 * every declared kink: in z1 at {@code k / s1} and at {@code k / (s2 rho)} (where the inner
 * integral changes fast), in z2 at {@code (k / s2 - rho z1) / c}. At {@code |rho| = 1} the
 * inner integral collapses to {@code f(s2 rho z1)}; at a zero variance the variable is the
 * constant 0 and the expectation factorises into {@code f(0) E[f(other)]}. Accuracy: about
 * 1e-13 relative to {@code sqrt(E[f(u)^2] E[f(v)^2])} for the activations of DESIGN.md, as
 * long as {@code f(s z) n(z)} is negligible beyond the truncation (for {@code exp(b x)} this
 * needs {@code 2 b s < 6}). Cost: some 10^5 evaluations of f for a two-dimensional case. It
 * keeps its own constants (1 / sqrt(2 pi) included) so that it stays independent of kernel-api.
 */
public final class ReferenceExpectation {

    /** The integrals run over |z| &lt;= TRUNCATION standard deviations. */
    public static final double TRUNCATION = 12;

    /** Requested accuracy of the outer integral relative to the Cauchy-Schwarz scale. */
    static final double RELATIVE_TOLERANCE = 1e-13;

    /** Requested accuracy of inner integrals (for the default outer one), well below the outer one so that their errors do not look like roughness. */
    static final double INNER_TOLERANCE = 1e-15;

    /** Longest initial segment in z. */
    private static final double SEGMENT = 4;

    /**
     * 1 / sqrt(2 pi), computed here on purpose rather than taken from kernel-api's
     * {@code Gaussians.INV_SQRT_2PI}: the reference shares no code or constant with what it judges.
     */
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private ReferenceExpectation() {
    }

    /**
     * E[f(u) f(v)].
     *
     * @param f     the function, e.g. phi or phi'
     * @param kinks the points where f or f' is not smooth (may be empty, never null)
     */
    public static double expectation(DoubleUnaryOperator f, double[] kinks, double q11, double q12, double q22) {
        return expectation(f, kinks, q11, q12, q22, RELATIVE_TOLERANCE);
    }

    /**
     * E[f(u) f(v)] to a given accuracy relative to the Cauchy-Schwarz scale; a looser
     * accuracy is much cheaper when f has steep parts at large variances.
     *
     * @param accuracy requested error relative to sqrt(E[f(u)^2] E[f(v)^2]), at least 1e-13
     */
    public static double expectation(DoubleUnaryOperator f, double[] kinks, double q11, double q12, double q22,
                                     double accuracy) {
        double outerTol = Math.max(accuracy, RELATIVE_TOLERANCE);
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        if (s1 == 0 && s2 == 0) {
            double f0 = f.applyAsDouble(0);
            return f0 * f0;
        }
        if (s1 == 0 || s2 == 0) {
            return f.applyAsDouble(0) * mean(f, kinks, Math.max(s1, s2));
        }
        double rho = Math.max(-1, Math.min(1, q12 / (s1 * s2)));
        double c = Math.sqrt(Math.max(0, (1 - rho) * (1 + rho)));
        if (c == 0) {
            return collapsed(f, kinks, s1, s2 * rho);
        }
        double scale = Math.sqrt(secondMoment(f, kinks, q11) * secondMoment(f, kinks, q22));
        double innerTol = outerTol * INNER_TOLERANCE / RELATIVE_TOLERANCE * Math.sqrt(secondMoment(f, kinks, q22));
        double[] points = new double[kinks.length];
        int n = 0;
        for (double k : kinks) {
            points[n++] = k / s1;
        }
        if (rho != 0) {
            // near k / (s2 rho) the inner integral changes over a width c / |rho| only: grade towards it
            double width = c / Math.abs(rho);
            int grades = width < SEGMENT ? (int) Math.ceil(Math.log(SEGMENT / width) / Math.log(4)) + 2 : 0;
            points = java.util.Arrays.copyOf(points, n + kinks.length * (1 + 2 * grades));
            for (double k : kinks) {
                double p = k / (s2 * rho);
                points[n++] = p;
                double w = width / 16;
                for (int j = 0; j < grades; j++, w *= 4) {
                    points[n++] = p - w;
                    points[n++] = p + w;
                }
            }
        }
        double[] outerBreaks = AdaptiveLegendre.breaks(TRUNCATION, SEGMENT, points, n);
        double[] innerPoints = new double[kinks.length];
        DoubleUnaryOperator outer = z1 -> {
            double fu = f.applyAsDouble(s1 * z1);
            if (fu == 0) {
                return 0;
            }
            double m = rho * z1;
            for (int i = 0; i < kinks.length; i++) {
                innerPoints[i] = (kinks[i] / s2 - m) / c;
            }
            double[] innerBreaks = AdaptiveLegendre.breaks(TRUNCATION, SEGMENT, innerPoints, kinks.length);
            double inner = AdaptiveLegendre.integrate(z2 -> f.applyAsDouble(s2 * (m + c * z2)) * density(z2),
                    innerBreaks, innerTol);
            return fu * inner * density(z1);
        };
        return AdaptiveLegendre.integrate(outer, outerBreaks, outerTol * scale);
    }

    /** E[f(u)^2] for u ~ N(0, q). */
    public static double secondMoment(DoubleUnaryOperator f, double[] kinks, double q) {
        double s = Math.sqrt(q);
        if (s == 0) {
            double f0 = f.applyAsDouble(0);
            return f0 * f0;
        }
        return collapsed(f, kinks, s, s);
    }

    /** E[f(u)] for u ~ N(0, s^2), s &gt; 0. */
    static double mean(DoubleUnaryOperator f, double[] kinks, double s) {
        double[] points = new double[kinks.length];
        for (int i = 0; i < kinks.length; i++) {
            points[i] = kinks[i] / s;
        }
        double[] breaks = AdaptiveLegendre.breaks(TRUNCATION, SEGMENT, points, points.length);
        DoubleUnaryOperator g = z -> f.applyAsDouble(s * z) * density(z);
        return AdaptiveLegendre.integrate(g, breaks, RELATIVE_TOLERANCE * AdaptiveLegendre.magnitude(g, breaks));
    }

    /** E[f(a z) f(b z)] for one standard normal z, a != 0, b != 0 (the case |rho| = 1). */
    private static double collapsed(DoubleUnaryOperator f, double[] kinks, double a, double b) {
        double[] points = new double[2 * kinks.length];
        int n = 0;
        for (double k : kinks) {
            points[n++] = k / a;
            points[n++] = k / b;
        }
        double[] breaks = AdaptiveLegendre.breaks(TRUNCATION, SEGMENT, points, n);
        DoubleUnaryOperator g = z -> f.applyAsDouble(a * z) * f.applyAsDouble(b * z) * density(z);
        return AdaptiveLegendre.integrate(g, breaks, RELATIVE_TOLERANCE * AdaptiveLegendre.magnitude(g, breaks));
    }

    private static double density(double z) {
        return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }
}
