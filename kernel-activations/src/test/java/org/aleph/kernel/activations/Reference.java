package org.aleph.kernel.activations;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * The independent numerical reference for E[f(u) g(v)], (u, v) ~ N(0, [[q11, q12], [q12, q22]]):
 * nested adaptive Gauss-Kronrod in the Cholesky coordinates u = s1 z1,
 * v = s2 (rho z1 + c z2), c = sqrt(1 - rho^2), over z in [centre - halfWidth, centre + halfWidth],
 * each integral split where f or g has a kink (and at the given feature points). Degenerate
 * cases are reduced to one dimension: a zero variance makes that variable the constant 0,
 * |rho| = 1 makes v = rho s2 z1.
 */
final class Reference {

    static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** Relative tolerance of each adaptive integral. */
    static final double REL_TOL = 1e-13;

    private final double[] points;
    private final double[] kinks;
    private final double halfWidth;

    /**
     * @param points    x values where f or g is not smooth or has a feature (e.g. 0)
     * @param kinks     x values where f or g is not smooth (a subset of points)
     * @param halfWidth the half width of the integration domain in standard-normal units
     */
    Reference(double[] points, double[] kinks, double halfWidth) {
        this.points = points.clone();
        this.kinks = kinks.clone();
        this.halfWidth = halfWidth;
    }

    static double density(double z) {
        return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }

    /** E[f(s z)], z ~ N(0,1), integrated around centre (in z units). */
    double single(DoubleUnaryOperator f, double s, double centre, double absTol) {
        if (s == 0) {
            return f.applyAsDouble(0);
        }
        double[] sp = scaled(points, 1 / s, 0);
        return GaussKronrod.integrate(z -> f.applyAsDouble(s * z) * density(z),
                centre - halfWidth, centre + halfWidth, sp, REL_TOL, absTol);
    }

    /**
     * E[f(u) g(v)].
     *
     * @param centre1 centre of the z1 domain; centre2 centre of the z2 domain
     * @param absTol  absolute tolerance of the outer integral (the inner ones get a share)
     */
    double pair(DoubleUnaryOperator f, DoubleUnaryOperator g, double q11, double q12, double q22,
                double centre1, double centre2, double absTol) {
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        if (s1 == 0) {
            return f.applyAsDouble(0) * single(g, s2, centre1, absTol);
        }
        if (s2 == 0) {
            return g.applyAsDouble(0) * single(f, s1, centre1, absTol);
        }
        double rho = q12 / Math.sqrt(q11 * q22);
        rho = Math.max(-1, Math.min(1, rho));
        double c = Math.sqrt((1 - rho) * (1 + rho));
        double r = rho;
        if (c == 0) {
            double[] sp = merge(scaled(points, 1 / s1, 0), scaled(points, 1 / (s2 * r), 0));
            return GaussKronrod.integrate(z -> f.applyAsDouble(s1 * z) * g.applyAsDouble(s2 * r * z) * density(z),
                    centre1 - halfWidth, centre1 + halfWidth, sp, REL_TOL, absTol);
        }
        double[] outer = scaled(points, 1 / s1, 0);
        if (r != 0) {
            outer = merge(outer, scaled(points, 1 / (s2 * r), 0));
            // Where a feature of g, seen in the inner variable, sits at the inner domain's edges or
            // within a few c of the centre: the inner integral changes character there.
            double[] anchors = kinks.length == 0 ? new double[] {0} : kinks;
            for (double off : new double[] {0, 1, -1, 3, -3, halfWidth, -halfWidth}) {
                outer = merge(outer, scaled(anchors, 1 / (s2 * r), off * c / r));
            }
        }
        double innerTol = absTol * 1e-2;
        DoubleUnaryOperator outerF = z1 -> {
            double fz = f.applyAsDouble(s1 * z1);
            if (fz == 0) {
                return 0.0;
            }
            double[] sp = scaled(points, 1 / (s2 * c), -r * z1 / c);
            double inner = GaussKronrod.integrate(z2 -> g.applyAsDouble(s2 * (r * z1 + c * z2)) * density(z2),
                    centre2 - halfWidth, centre2 + halfWidth, sp, REL_TOL, innerTol / Math.max(1e-300, Math.abs(fz)));
            return fz * inner * density(z1);
        };
        return GaussKronrod.integrate(outerF, centre1 - halfWidth, centre1 + halfWidth, outer, REL_TOL, absTol,
                10 * REL_TOL);
    }

    private static double[] scaled(double[] p, double factor, double shift) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] * factor + shift;
        }
        Arrays.sort(out);
        return out;
    }

    private static double[] merge(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        Arrays.sort(out);
        return out;
    }
}
