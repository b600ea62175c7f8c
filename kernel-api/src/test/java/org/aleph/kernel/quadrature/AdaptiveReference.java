package org.aleph.kernel.quadrature;

import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * An independent, slow reference for E[f(u) f(v)]: globally adaptive nested integration in
 * Cholesky coordinates, each level by recursive bisection of [-12, 12] with the 10- and
 * 20-point Gauss-Legendre pair as error estimate (an interval is accepted when the two agree
 * to its share of the absolute tolerance, or to 1e-13 relative, the level of rounding noise).
 * It is told where f may be singular (its kinks and the origin, mapped into each level's
 * coordinates) and starts there from a mesh refined by decades down to 1e-12, because no
 * error estimate can see a spike or jump that falls between all of its nodes; it knows nothing
 * of the scales and grading ratios of the rule under test.
 */
final class AdaptiveReference {

    private static final double LIMIT = 12;
    private static final int INITIAL_PIECES = 25;
    private static final double[] X10;
    private static final double[] W10;
    private static final double[] X20;
    private static final double[] W20;
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    static {
        GaussIntegratorFactory factory = new GaussIntegratorFactory();
        GaussIntegrator g10 = factory.legendre(10);
        GaussIntegrator g20 = factory.legendre(20);
        X10 = new double[10];
        W10 = new double[10];
        X20 = new double[20];
        W20 = new double[20];
        for (int i = 0; i < 10; i++) {
            X10[i] = g10.getPoint(i);
            W10[i] = g10.getWeight(i);
        }
        for (int i = 0; i < 20; i++) {
            X20[i] = g20.getPoint(i);
            W20[i] = g20.getWeight(i);
        }
    }

    private final DoubleUnaryOperator f;
    private final double[] kinks;
    private final double relTol;

    /** relTol: tolerance relative to the magnitude |f(s1)| + |f(-s1)| (times the same for s2). */
    AdaptiveReference(DoubleUnaryOperator f, double[] kinks, double relTol) {
        this.f = f;
        this.kinks = kinks.clone();
        this.relTol = relTol;
    }

    private double magnitude(double s) {
        return Math.abs(f.applyAsDouble(s)) + Math.abs(f.applyAsDouble(-s)) + Math.abs(f.applyAsDouble(0)) + 1e-300;
    }

    /** E[f(u) f(v)]. */
    double expectation(double q11, double q12, double q22) {
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        if (s1 == 0 || s2 == 0) {
            double s = s1 == 0 ? s2 : s1;
            return f.applyAsDouble(0) * mean(s, 0, relTol * magnitude(s));
        }
        double innerTol = relTol * magnitude(s2);
        double outerTol = innerTol * magnitude(s1);
        double rho = org.aleph.kernel.spi.Gaussians.correlation(q11, q12, q22);
        double c = Math.sqrt((1 - rho) * (1 + rho));
        double[] splits = new double[2 * kinks.length + 1];
        for (int i = 0; i < kinks.length; i++) {
            splits[2 * i] = kinks[i] / s1;
            splits[2 * i + 1] = rho == 0 ? 0 : kinks[i] / (s2 * rho);
        }
        splits[2 * kinks.length] = 0;
        DoubleUnaryOperator outer = z1 -> {
            double fu = f.applyAsDouble(s1 * z1);
            if (fu == 0) {
                return 0;
            }
            return fu * mean(s2 * c, s2 * rho * z1, innerTol);
        };
        return integrate(outer, splits, outerTol);
    }

    /** E[f(m + sigma Z)]. */
    double mean(double sigma, double m, double tol) {
        if (sigma == 0) {
            return f.applyAsDouble(m);
        }
        double[] splits = new double[kinks.length + 1];
        for (int i = 0; i < kinks.length; i++) {
            splits[i] = (kinks[i] - m) / sigma;
        }
        splits[kinks.length] = -m / sigma;
        return integrate(z -> f.applyAsDouble(m + sigma * z), splits, tol);
    }

    /** The integral of g(z) phi(z) over [-12, 12], split at the given points. */
    private static double integrate(DoubleUnaryOperator g, double[] splits, double tol) {
        // the window, every split point, and around each a geometric sequence p +- 10^-j (j = 1..12),
        // so that features as narrow as 1e-12 next to a split cannot hide from both rules
        java.util.stream.DoubleStream.Builder all = java.util.stream.DoubleStream.builder();
        all.add(-LIMIT).add(LIMIT);
        for (double p : splits) {
            all.add(p);
            for (double d = 0.1; d > 1e-12; d *= 0.1) {
                all.add(p - d).add(p + d);
            }
        }
        double[] pts = all.build().filter(p -> p >= -LIMIT && p <= LIMIT).sorted().distinct().toArray();
        double sum = 0;
        for (int k = 0; k + 1 < pts.length; k++) {
            // start from about 25 pieces over the window (0 in the middle of one), so that a
            // feature narrower than a piece cannot hide between the two rules' nodes
            int pieces = (int) Math.ceil(INITIAL_PIECES * (pts[k + 1] - pts[k]) / (2 * LIMIT));
            double h = (pts[k + 1] - pts[k]) / pieces;
            for (int p = 0; p < pieces; p++) {
                double a = pts[k] + p * h;
                double b = p == pieces - 1 ? pts[k + 1] : a + h;
                sum += adapt(g, a, b, tol * (b - a) / (2 * LIMIT), 0);
            }
        }
        return sum;
    }

    private static double adapt(DoubleUnaryOperator g, double a, double b, double tol, int depth) {
        double i10 = rule(g, a, b, X10, W10);
        double i20 = rule(g, a, b, X20, W20);
        if (Math.abs(i20 - i10) <= Math.max(tol, 1e-13 * Math.abs(i20)) || depth >= 40) {
            return i20;
        }
        double mid = 0.5 * (a + b);
        return adapt(g, a, mid, 0.5 * tol, depth + 1) + adapt(g, mid, b, 0.5 * tol, depth + 1);
    }

    private static double rule(DoubleUnaryOperator g, double a, double b, double[] x, double[] w) {
        double half = 0.5 * (b - a);
        double mid = a + half;
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double z = mid + half * x[i];
            s += w[i] * g.applyAsDouble(z) * Math.exp(-0.5 * z * z);
        }
        return s * half * INV_SQRT_2PI;
    }
}
