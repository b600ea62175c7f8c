package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.KernelMath;
import org.aleph.kernel.spi.support.ArcCosine;

/**
 * {@code Sign}: phi(x) = sign(x) (0 at 0), phi' = 0 almost everywhere (neural-tangents
 * {@code stax.Sign}). Sheppard's formula P(u &gt; 0, v &gt; 0) = 1/4 + arcsin(rho) / (2 pi)
 * (Sheppard 1899; the arc-cosine kernel of degree 0, Cho &amp; Saul 2009) gives
 * <pre>
 *   E[sign u sign v]  = (2/pi) arcsin(rho),     E[phi'(u)phi'(v)] = 0.
 * </pre>
 */
public final class SignProvider extends BuiltinProvider {

    private static final Sign SIGN = new Sign();

    public SignProvider() {
        super("Sign", "sign(x)");
    }

    @Override
    public Activation create(Arguments arguments) {
        return SIGN;
    }

    static final class Sign extends ClosedFormActivation {
        private static final double TWO_OVER_PI = 2 / Math.PI;

        Sign() {
            super("Sign", "Sheppard 1899 / arc-cosine kernel of degree 0", 0.0);
        }

        @Override
        public double phi(double x) {
            return Math.signum(x);
        }

        @Override
        public double dphi(double x) {
            return 0.0;
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e] * q22[e]);
                double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
                nngp[e] = TWO_OVER_PI * KernelMath.atan2(rho, ArcCosine.sine(rho)); // arcsin(rho)
            }
            if (dnngp != null) {
                java.util.Arrays.fill(dnngp, 0, n, 0.0);
            }
        }
    }
}
