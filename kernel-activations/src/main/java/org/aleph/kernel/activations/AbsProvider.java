package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Abs}: phi(x) = |x| (neural-tangents {@code stax.Abs}), i.e. ABRelu(a = -1, b = 1):
 * E[|u||v|] = (2/pi) s (sqrt(1 - rho^2) + rho arcsin rho), E[sign u sign v] = (2/pi) arcsin rho;
 * kernels in {@link ABReluActivation}.
 */
public final class AbsProvider extends BuiltinProvider {

    private static final ABReluActivation ABS = new ABReluActivation("Abs", -1.0, 1.0);

    public AbsProvider() {
        super("Abs", "|x|");
    }

    @Override
    public Activation create(Arguments arguments) {
        return ABS;
    }
}
