package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code Exp(a=1, b=1)}: phi(x) = a exp(b x) (neural-tangents {@code stax.Exp}). From the
 * moment generating function E[exp(b (u + v))] = exp(b^2 Var(u + v) / 2):
 * <pre>
 *   E[phi(u)phi(v)]   = a^2 exp(b^2 (q11 + q22 + 2 q12) / 2)
 *   E[phi'(u)phi'(v)] = a^2 b^2 exp(b^2 (q11 + q22 + 2 q12) / 2)
 * </pre>
 * Var(u + v) is formed as (s1 - s2)^2 + 2 s1 s2 (1 + rho), (s1 - s2) = (q11 - q22) / (s1 + s2),
 * which does not cancel near rho = -1. The kernel grows like exp(2 b^2 q): above about
 * b^2 q = 354 it overflows and the result is +Infinity (the true value exceeds the double range).
 */
public final class ExpProvider extends BuiltinProvider {

    public ExpProvider() {
        super("Exp", "a exp(b x)",
                Parameter.number("a", 1, "output scale"),
                Parameter.number("b", 1, "rate"));
    }

    @Override
    public Activation create(Arguments arguments) {
        return new Exp(arguments.toSpec(name()), arguments.number("a"), arguments.number("b"));
    }

    static final class Exp extends ClosedFormActivation {
        private final double a;
        private final double b;

        Exp(String name, double a, double b) {
            super(name, "Gaussian moment generating function");
            this.a = a;
            this.b = b;
        }

        @Override
        public double phi(double x) {
            return a * Math.exp(b * x);
        }

        @Override
        public double dphi(double x) {
            return a * b * Math.exp(b * x);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            double a2 = a * a;
            double hb2 = 0.5 * b * b;
            double b2 = b * b;
            for (int e = 0; e < n; e++) {
                double v1 = q11[e];
                double v2 = q22[e];
                double s1 = Math.sqrt(v1);
                double s2 = Math.sqrt(v2);
                double s = s1 * s2;
                double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
                double sum = s1 + s2;
                double diff = sum > 0 ? (v1 - v2) / sum : 0.0;
                double m = a2 * Math.exp(hb2 * (diff * diff + 2 * s * (1 + rho)));
                nngp[e] = m;
                if (dnngp != null) {
                    dnngp[e] = b2 * m;
                }
            }
        }

        /**
         * phi'' = b^2 phi, so dF/dq11 = E[phi''(u) phi(v)] / 2 = (b^2 / 2) F = dF/dq22; false where
         * F overflows.
         */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            return scaledExpectations(this, q11, q12, q22, n, 0.5 * b * b, dq11, dq22);
        }
    }
}
