package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code Rbf(gamma=1)}: phi(x) = sqrt(2) sin(sqrt(2 gamma) x + pi/4), the activation whose dual
 * kernel is the squared-exponential (RBF) kernel (neural-tangents {@code stax.Rbf}; random
 * Fourier features, Rahimi &amp; Recht, "Random features for large-scale kernel machines", NIPS
 * 2007). It is {@code Sin(a=sqrt 2, b=sqrt(2 gamma), c=pi/4)}, for which cos^2(c) = sin^2(c) =
 * 1/2, so the kernels of {@link SinusoidActivation} collapse to
 * <pre>
 *   E[phi(u)phi(v)]   = exp(-gamma (q11 + q22 - 2 q12)) = exp(-gamma Var(u - v))
 *   E[phi'(u)phi'(v)] = 2 gamma exp(-gamma Var(u - v))
 * </pre>
 * exactly neural-tangents' kernel map ({@code nngp = exp(gamma (2 q12 - q11 - q22))},
 * {@code ntk *= 2 gamma nngp}); with the input kernel x.x'/d this is exp(-gamma |x - x'|^2 / d),
 * gamma = 1 / (2 l^2). Var(u - v) is formed as (s1 - s2)^2 + 2 s1 s2 (1 - rho),
 * s1 - s2 = (q11 - q22) / (s1 + s2), without cancellation near rho = 1; E[phi(u)^2] = 1.
 */
public final class RbfProvider extends BuiltinProvider {

    public RbfProvider() {
        super("Rbf", "sqrt(2) sin(sqrt(2 gamma) x + pi/4), dual to exp(-gamma |x - x'|^2)",
                Parameter.number("gamma", 1, "inverse squared length scale, gamma = 1 / (2 l^2), >= 0"));
    }

    @Override
    public Activation create(Arguments arguments) {
        double gamma = arguments.number("gamma");
        if (!(gamma >= 0)) {
            throw new InvalidArgumentException("gamma", "parameter gamma must be >= 0 (gamma = 1 / (2 l^2)), got " + gamma);
        }
        return new Rbf(arguments.toSpec(name()), gamma);
    }

    static final class Rbf extends ClosedFormActivation {
        private static final double SQRT2 = Math.sqrt(2);
        private final double gamma;
        private final double b;

        Rbf(String name, double gamma) {
            super(name, "random Fourier features, Rahimi & Recht 2007; neural-tangents Rbf");
            this.gamma = gamma;
            this.b = Math.sqrt(2 * gamma);
        }

        @Override
        public double phi(double x) {
            return SQRT2 * Math.sin(b * x + Math.PI / 4);
        }

        @Override
        public double dphi(double x) {
            return SQRT2 * b * Math.cos(b * x + Math.PI / 4);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            double g2 = 2 * gamma;
            for (int e = 0; e < n; e++) {
                double v1 = q11[e];
                double v2 = q22[e];
                double s1 = Math.sqrt(v1);
                double s2 = Math.sqrt(v2);
                double s = s1 * s2;
                double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
                double sum = s1 + s2;
                double diff = sum > 0 ? (v1 - v2) / sum : 0.0;
                double k = Math.exp(-gamma * (diff * diff + 2 * s * (1 - rho)));
                nngp[e] = k;
                if (dnngp != null) {
                    dnngp[e] = g2 * k;
                }
            }
        }

        /** phi'' = -2 gamma phi: dF/dq11 = dF/dq22 = -gamma F (as for {@link SinusoidActivation}). */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            return scaledExpectations(this, q11, q12, q22, n, -gamma, dq11, dq22);
        }

    }
}
