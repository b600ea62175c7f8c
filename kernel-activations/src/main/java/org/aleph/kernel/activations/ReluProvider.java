package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Relu}: phi(x) = max(0, x), phi'(x) = step(x) (1/2 at 0). With s = sqrt(q11 q22),
 * rho = q12 / s and theta = arccos(rho), the arc-cosine kernels of degree 1 and 0
 * (Cho &amp; Saul 2009, eq. 6):
 * <pre>
 *   E[phi(u)phi(v)]   = s (sin theta + (pi - theta) cos theta) / (2 pi)
 *   E[phi'(u)phi'(v)] = (pi - theta) / (2 pi)
 * </pre>
 * sin theta + (pi - theta) cos theta vanishes like (pi - theta)^3 / 3 as rho -&gt; -1; it is
 * evaluated without cancellation by {@link ArcCosine#j1}.
 */
public final class ReluProvider extends BuiltinProvider {

    public ReluProvider() {
        super("Relu", "max(0, x)");
    }

    @Override
    public Activation create(Arguments arguments) {
        return Relu.INSTANCE;
    }

    static final class Relu extends ClosedFormActivation {
        static final Relu INSTANCE = new Relu();

        private Relu() {
            super("Relu", "arc-cosine kernel, Cho & Saul 2009", 0.0);
        }

        @Override
        public double phi(double x) {
            return x > 0 ? x : 0.0;
        }

        @Override
        public double dphi(double x) {
            return x > 0 ? 1.0 : (x < 0 ? 0.0 : 0.5);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e] * q22[e]);
                double rho = clampedRho(q12[e], s);
                double c = sine(rho);
                double t = org.aleph.kernel.spi.KernelMath.acos(-rho); // pi - theta (fdlibm acos inlined: 3x cheaper than atan2)
                nngp[e] = s * ArcCosine.j1(rho, c, t) * INV_2PI;
                if (dnngp != null) {
                    dnngp[e] = t * INV_2PI;
                }
            }
        }
    }
}
