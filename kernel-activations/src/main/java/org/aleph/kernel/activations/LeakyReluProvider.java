package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code LeakyRelu(alpha=0.01)}: phi(x) = x for x &gt; 0, alpha x otherwise (neural-tangents
 * {@code stax.LeakyRelu}), i.e. ABRelu(a = alpha, b = 1); kernels in {@link ABReluActivation}.
 */
public final class LeakyReluProvider extends BuiltinProvider {

    public LeakyReluProvider() {
        super("LeakyRelu", "x > 0 ? x : alpha x", Parameter.number("alpha", 0.01, "slope for x < 0"));
    }

    @Override
    public Activation create(Arguments arguments) {
        return new ABReluActivation(arguments.toSpec(name()), arguments.number("alpha"), 1.0);
    }
}
