package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Cos}: phi(x) = cos(x), i.e. Sin(a = 1, b = 1, c = pi/2) with cos^2(c) = 0 exactly:
 * E[cos u cos v] = exp(-(q11 + q22)/2) cosh(q12), E[sin u sin v] = exp(-(q11 + q22)/2) sinh(q12);
 * kernels in {@link SinusoidActivation}.
 */
public final class CosProvider extends BuiltinProvider {

    private static final Activation COS = new SinusoidActivation("Cos", 1, 1, Math.PI / 2, 0, 1) {
        @Override
        public double phi(double x) {
            return Math.cos(x);
        }

        @Override
        public double dphi(double x) {
            return -Math.sin(x);
        }
    };

    public CosProvider() {
        super("Cos", "cos(x)");
    }

    @Override
    public Activation create(Arguments arguments) {
        return COS;
    }
}
