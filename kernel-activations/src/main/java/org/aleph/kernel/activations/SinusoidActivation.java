package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Gaussians;

/**
 * phi(x) = a sin(b x + c), the kernel of {@code Sin} and {@code Cos} (neural-tangents
 * {@code stax.Sin}). From E[cos(X + k)] = cos(k) exp(-Var X / 2) for a centred Gaussian X
 * (the characteristic function; Rahimi &amp; Recht 2007 use the same identity), with
 * x = b^2 q12 and E0 = exp(-b^2 (q11 + q22) / 2):
 * <pre>
 *   E[phi(u)phi(v)]   = a^2 E0 (cos^2(c) sinh(x) + sin^2(c) cosh(x))
 *   E[phi'(u)phi'(v)] = a^2 b^2 E0 (sin^2(c) sinh(x) + cos^2(c) cosh(x))
 * </pre>
 * For |x| &lt; 1 the products E0 sinh(x), E0 cosh(x) are formed directly (sinh keeps its
 * relative accuracy at small x); otherwise as (exp(-A) -/+ exp(-B)) / 2 with
 * A = b^2 Var(u - v) / 2, B = b^2 Var(u + v) / 2, Var(u -/+ v) = (s1 - s2)^2 + 2 s1 s2 (1 -/+ rho),
 * so that nothing overflows at large variances and nothing cancels near rho = +-1.
 */
class SinusoidActivation extends ClosedFormActivation {

    private final double a;
    private final double b;
    private final double c;
    private final double cc;
    private final double ss;

    /**
     * @param cos2 cos^2(c), passed exactly (0 for Cos)
     * @param sin2 sin^2(c), passed exactly (1 for Cos)
     */
    SinusoidActivation(String name, double a, double b, double c, double cos2, double sin2) {
        super(name, "Gaussian characteristic function; neural-tangents Sin");
        this.a = a;
        this.b = b;
        this.c = c;
        this.cc = cos2;
        this.ss = sin2;
    }

    @Override
    public double phi(double x) {
        return a * Math.sin(b * x + c);
    }

    @Override
    public double dphi(double x) {
        return a * b * Math.cos(b * x + c);
    }

    @Override
    public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
        double b2 = b * b;
        double a2 = a * a;
        double a2b2 = a2 * b2;
        for (int e = 0; e < n; e++) {
            double v1 = q11[e];
            double v2 = q22[e];
            double s1 = Math.sqrt(v1);
            double s2 = Math.sqrt(v2);
            double s = s1 * s2;
            double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
            double x = b2 * rho * s;
            double sh;
            double ch;
            if (Math.abs(x) < 1) {
                double e0 = Math.exp(-0.5 * b2 * (v1 + v2));
                double em = Math.expm1(x); // sinh and cosh from one call, no cancellation at small x
                double inv = em / (em + 1);
                sh = e0 * 0.5 * (em + inv);
                ch = e0 * (1 + 0.5 * em * inv);
            } else {
                double diff = (v1 - v2) / (s1 + s2);
                double dd = diff * diff;
                double ea = Math.exp(-0.5 * b2 * (dd + 2 * s * (1 - rho)));
                double eb = Math.exp(-0.5 * b2 * (dd + 2 * s * (1 + rho)));
                sh = 0.5 * (ea - eb);
                ch = 0.5 * (ea + eb);
            }
            nngp[e] = a2 * (cc * sh + ss * ch);
            if (dnngp != null) {
                dnngp[e] = a2b2 * (ss * sh + cc * ch);
            }
        }
    }

    /**
     * phi'' = -b^2 phi, so by the heat equation dF/dq11 = E[phi''(u) phi(v)] / 2 = -(b^2 / 2) F,
     * and dF/dq22 the same (only E0 depends on the variances).
     */
    @Override
    public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
        return ClosedFormActivation.scaledExpectations(this, q11, q12, q22, n, -0.5 * b * b, dq11, dq22);
    }
}
