package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.KernelMath;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code Erf(a=1, b=1, c=0)}: phi(x) = a erf(b x) + c (neural-tangents {@code stax.Erf}).
 * Williams, "Computing with infinite networks" (NIPS 1997), with P_i = 1 + 2 b^2 q_ii and
 * D = P_1 P_2 - 4 b^4 q12^2 = 1 + 2 b^2 (q11 + q22) + 4 b^4 (q11 q22 - q12^2):
 * <pre>
 *   E[phi(u)phi(v)]   = a^2 (2/pi) arcsin(2 b^2 q12 / sqrt(P_1 P_2)) + c^2
 *                     = a^2 (2/pi) atan2(2 b^2 q12, sqrt(D)) + c^2
 *   E[phi'(u)phi'(v)] = (4 a^2 b^2 / pi) / sqrt(D)
 * </pre>
 * (the second from E[exp(-b^2 (u^2 + v^2))] = det(I + 2 b^2 Sigma)^(-1/2)). The atan2 form
 * has no cancellation near |rho| = 1 when q11 q22 - q12^2 is taken as a difference of products
 * with fused multiply-adds ({@link ClosedFormActivation#gapOfProducts}, the Kahan algorithm): one
 * square root, one division and an inlined fdlibm arctangent per entry.
 */
public final class ErfProvider extends BuiltinProvider {

    public ErfProvider() {
        super("Erf", "a erf(b x) + c",
                Parameter.number("a", 1, "output scale"),
                Parameter.number("b", 1, "input scale"),
                Parameter.number("c", 0, "output shift"));
    }

    @Override
    public Activation create(Arguments arguments) {
        return new Erf(arguments.toSpec(name()), arguments.number("a"), arguments.number("b"), arguments.number("c"));
    }

    static final class Erf extends ClosedFormActivation {
        private static final double TWO_OVER_PI = 2 / Math.PI;
        private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

        private final double a;
        private final double b;
        private final double c;

        Erf(String name, double a, double b, double c) {
            super(name, "Williams 1997");
            this.a = a;
            this.b = b;
            this.c = c;
        }

        @Override
        public double phi(double x) {
            return a * org.hipparchus.special.Erf.erf(b * x) + c;
        }

        @Override
        public double dphi(double x) {
            return a * b * TWO_OVER_SQRT_PI * Math.exp(-b * b * x * x);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            double b2 = 2 * b * b;
            double a2 = a * a;
            double c2 = c * c;
            double dscale = a2 * b2 * TWO_OVER_PI;
            for (int e = 0; e < n; e++) {
                double x = q11[e];
                double y = q22[e];
                double k = q12[e];
                double gap = gapOfProducts(x, y, k); // q11 q22 - q12^2, to an ulp or two
                if (gap < 0) { // beyond Cauchy-Schwarz by rounding: rho = +-1
                    k = Math.copySign(Math.sqrt(x * y), k);
                    gap = 0;
                }
                double root = Math.sqrt(1 + b2 * (x + y) + b2 * b2 * gap);
                nngp[e] = a2 * TWO_OVER_PI * KernelMath.atan2(b2 * k, root) + c2;
                if (dnngp != null) {
                    dnngp[e] = dscale / root;
                }
            }
        }

        /**
         * dF/dq11 = -a^2 (2 b^2)^2 q12 / (pi P_1 sqrt(D)), dF/dq22 the same with P_2: the derivative
         * of arcsin(z), z = 2 b^2 q12 / sqrt(P_1 P_2), is 1 / sqrt(1 - z^2) = sqrt(P_1 P_2 / D), and
         * dz/dq11 = -b^2 z / P_1. D &gt;= 1, so every finite triple has finite derivatives.
         */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            double b2 = 2 * b * b;
            double scale = -a * a * b2 * b2 / Math.PI;
            for (int e = 0; e < n; e++) {
                double x = q11[e];
                double y = q22[e];
                double k = q12[e];
                double gap = gapOfProducts(x, y, k);
                if (gap < 0) { // beyond Cauchy-Schwarz by rounding: rho = +-1, as in expectations
                    k = Math.copySign(Math.sqrt(x * y), k);
                    gap = 0;
                }
                double common = scale * k / Math.sqrt(1 + b2 * (x + y) + b2 * b2 * gap);
                dq11[e] = common / (1 + b2 * x);
                dq22[e] = common / (1 + b2 * y);
                if (!Double.isFinite(dq11[e]) || !Double.isFinite(dq22[e])) {
                    return false;
                }
            }
            return true;
        }
    }
}
