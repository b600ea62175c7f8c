package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code Gaussian(a=1, b=-1)}: phi(x) = a exp(b x^2) (neural-tangents {@code stax.Gaussian}).
 * Multiplying the N(0, Sigma) density by exp(b (u^2 + v^2)) gives, with
 * D = det(I - 2 b Sigma) = 1 - 2 b (q11 + q22) + 4 b^2 (q11 q22 - q12^2):
 * <pre>
 *   E[phi(u)phi(v)]   = a^2 / sqrt(D)
 *   E[phi'(u)phi'(v)] = 4 a^2 b^2 E[u v exp(b(u^2 + v^2))] = 4 a^2 b^2 q12 / D^(3/2)
 * </pre>
 * (the second since [Sigma (I - 2 b Sigma)^(-1)]_12 = q12 / D). For b &lt;= 0 every term of D
 * is non-negative and the formulas hold for all covariances.
 *
 * <p><b>Divergence for b &gt; 0.</b> The expectations are finite only while I - 2 b Sigma is
 * positive definite, i.e. 1 - 2 b q11 &gt; 0, 1 - 2 b q22 &gt; 0 and D &gt; 0 (every eigenvalue of
 * Sigma below 1 / (2 b); on the diagonal, q &lt; 1 / (4 b)). Outside that region the integrals
 * diverge, and the result says so rather than being a meaningless number: the NNGP is
 * +Infinity (the integrand is positive; 0 when a = 0), the derivative kernel is 0 when a = 0 or
 * a variance is 0 (phi'(0) = 0), +-Infinity when rho = +-1, and NaN otherwise (its positive
 * and negative parts are both infinite, the integral is undefined).
 */
public final class GaussianProvider extends BuiltinProvider {

    public GaussianProvider() {
        super("Gaussian", "a exp(b x^2)",
                Parameter.number("a", 1, "output scale"),
                Parameter.number("b", -1, "exponent coefficient (b > 0 diverges for large variances)"));
    }

    @Override
    public Activation create(Arguments arguments) {
        return new Gaussian(arguments.toSpec(name()), arguments.number("a"), arguments.number("b"));
    }

    static final class Gaussian extends ClosedFormActivation {
        private final double a;
        private final double b;

        Gaussian(String name, double a, double b) {
            super(name, "Gaussian integral det(I - 2b Sigma)^(-1/2)");
            this.a = a;
            this.b = b;
        }

        @Override
        public double phi(double x) {
            return a * Math.exp(b * x * x);
        }

        @Override
        public double dphi(double x) {
            return 2 * a * b * x * Math.exp(b * x * x);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            double a2 = a * a;
            double d4 = 4 * a2 * b * b;
            double twoB = 2 * b;
            for (int e = 0; e < n; e++) {
                double v1 = q11[e];
                double v2 = q22[e];
                double s = Math.sqrt(v1 * v2);
                double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
                double det = 1 - twoB * (v1 + v2) + twoB * twoB * s * s * ((1 - rho) * (1 + rho));
                if (b > 0 && !(det > 0 && 1 - twoB * v1 > 0 && 1 - twoB * v2 > 0)) {
                    nngp[e] = a == 0 ? 0.0 : Double.POSITIVE_INFINITY;
                    if (dnngp != null) {
                        dnngp[e] = a == 0 || s == 0 ? 0.0
                                : (Math.abs(rho) == 1 ? Math.copySign(Double.POSITIVE_INFINITY, rho) : Double.NaN);
                    }
                    continue;
                }
                double root = Math.sqrt(det);
                nngp[e] = a2 / root;
                if (dnngp != null) {
                    dnngp[e] = d4 * rho * s / (det * root);
                }
            }
        }

        /**
         * dF/dq11 = a^2 (b - 2 b^2 q22) / D^(3/2) (from dD/dq11 = -2 b + 4 b^2 q22), dF/dq22 the
         * same with q11; false where the expectations diverge (b &gt; 0 outside the region above)
         * or a result is not finite.
         */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            double a2 = a * a;
            double twoB = 2 * b;
            double b2 = 2 * b * b;
            for (int e = 0; e < n; e++) {
                double v1 = q11[e];
                double v2 = q22[e];
                double s = Math.sqrt(v1 * v2);
                double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
                double det = 1 - twoB * (v1 + v2) + twoB * twoB * s * s * ((1 - rho) * (1 + rho));
                if (b > 0 && !(det > 0 && 1 - twoB * v1 > 0 && 1 - twoB * v2 > 0)) {
                    if (a != 0) {
                        return false;
                    }
                    dq11[e] = 0;
                    dq22[e] = 0;
                    continue;
                }
                double scale = a2 / (det * Math.sqrt(det));
                dq11[e] = scale * (b - b2 * v2);
                dq22[e] = scale * (b - b2 * v1);
                if (!Double.isFinite(dq11[e]) || !Double.isFinite(dq22[e])) {
                    return false;
                }
            }
            return true;
        }
    }
}
