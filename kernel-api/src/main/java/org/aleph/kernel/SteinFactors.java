package org.aleph.kernel;

import static org.aleph.kernel.spi.Gaussians.INV_SQRT_2PI;

import java.util.Arrays;
import org.aleph.kernel.spi.Activation;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * The one-dimensional Gaussian expectations behind the cross term of an identity stream g and
 * a stream phi(g) (Stein's lemma; {@link BranchRule.Relation#STEIN}): for {@code v ~ N(0, q)}
 * <pre>
 *   dK(q) = E[v phi(v)] / q      (= E[phi'(v)] when phi is absolutely continuous; 0 when q = 0)
 *   dT(q) = E[phi'(v)]           (phi' the almost-everywhere derivative, as backpropagation uses)
 * </pre>
 * so that {@code E[g(x) phi(g(x'))] = K(x,x') dK(q(x'))} and the cross-NTK is
 * {@code T(x,x') dT(q(x'))}; and the mean {@code E[phi(v)]} of an activation of a centred
 * Gaussian, whose products are the cross-covariances of independent streams. Computed by composite Gauss-Legendre quadrature in
 * {@code z = v / sqrt(q)} over [-{@value #Z}, {@value #Z}] (the mass outside is below 1e-38),
 * split at the activation's kinks (and at 0) so that each panel is smooth, panels at most
 * {@value #PANEL} / max(1, sqrt(q)) long (phi(sqrt(q) z) varies on the scale 1 / sqrt(q) in z) with
 * {@value #NODES} nodes: exact for piecewise polynomials of degree
 * below 30 and within 1e-14 relative for the smooth built-ins (the 16-point rule integrates the
 * Gaussian weight times a polynomial to 1e-14 on panels up to 5 long). An activation that grows so
 * fast that the integrand has not decayed at the ends of the range (Exp at a large variance) is
 * refused with a {@link UserErrorException} rather than answered with a truncated integral.
 */
final class SteinFactors {

    static final double Z = 13.0;
    static final double PANEL = 1.0;
    static final int NODES = 16;
    private static final double[] X;
    private static final double[] W;

    static {
        GaussIntegrator rule = new GaussIntegratorFactory().legendre(NODES);
        X = new double[NODES];
        W = new double[NODES];
        for (int i = 0; i < NODES; i++) {
            X[i] = rule.getPoint(i);
            W[i] = rule.getWeight(i);
        }
    }

    private SteinFactors() {
    }

    /** For e in [from, to): dK[e] and dT[e] at variance q[e] (a non-positive variance gives 0 and phi'(0)). */
    static void compute(Activation act, double[] q, int from, int to, double[] dK, double[] dT) {
        for (int e = from; e < to; e++) {
            double v = q[e];
            if (!(v > 0)) {
                dK[e] = 0;
                dT[e] = act.dphi(0);
                continue;
            }
            double s = Math.sqrt(v);
            double[] r = expectations(act, s);
            dK[e] = r[0] / s;
            dT[e] = r[1];
        }
    }

    /** For e in [from, to): mean[e] = E[phi(v)], v ~ N(0, q[e]) (phi(0) when q[e] is not positive). */
    static void means(Activation act, double[] q, int from, int to, double[] mean) {
        for (int e = from; e < to; e++) {
            double v = q[e];
            mean[e] = v > 0 ? expectations(act, Math.sqrt(v))[2] : act.phi(0);
        }
    }

    /** {E[z phi(s z)], E[phi'(s z)], E[phi(s z)]} for z standard normal. */
    private static double[] expectations(Activation act, double s) {
        double[] kinks = act.kinks();
        double[] cuts = new double[kinks.length + 3];
        int n = 0;
        cuts[n++] = -Z;
        cuts[n++] = 0; // where most kinks are (Relu, Abs, Sign, Step), declared or not
        for (double k : kinks) {
            double z = k / s;
            if (z > -Z && z < Z) {
                cuts[n++] = z;
            }
        }
        cuts[n++] = Z;
        Arrays.sort(cuts, 0, n);
        double ek = 0;
        double et = 0;
        double em = 0;
        for (int c = 0; c + 1 < n; c++) {
            double a = cuts[c];
            double b = cuts[c + 1];
            // phi(s z) varies on the scale 1 / s in z: panels no longer than PANEL / max(1, s)
            int panels = Math.max(1, (int) Math.ceil((b - a) * Math.max(1, s) / PANEL));
            double h = (b - a) / panels;
            for (int p = 0; p < panels; p++) {
                double mid = a + (p + 0.5) * h;
                double half = 0.5 * h;
                for (int i = 0; i < NODES; i++) {
                    double z = mid + half * X[i];
                    double w = half * W[i] * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
                    double f = act.phi(s * z);
                    ek += w * z * f;
                    em += w * f;
                    et += w * act.dphi(s * z);
                }
            }
        }
        double edge = 0;
        for (double z : new double[] {-Z, Z}) {
            double f = act.phi(s * z);
            edge = Math.max(edge, INV_SQRT_2PI * Math.exp(-0.5 * z * z) * (Math.abs(z * f) + Math.abs(f) + Math.abs(act.dphi(s * z))));
        }
        if (!(edge <= 1e-13 * (Math.abs(ek) + Math.abs(et) + Math.abs(em)))) {
            throw new UserErrorException(act.name() + ": its Gaussian expectations E[v phi(v)], E[phi'(v)] at variance "
                    + s * s + " (for a cross term of branches that share their input) do not converge within "
                    + Z + " standard deviations; scale the inputs or W_std down");
        }
        return new double[] {ek, et, em};
    }
}
