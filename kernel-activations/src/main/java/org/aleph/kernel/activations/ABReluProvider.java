package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code ABRelu(a=0, b=1)}: phi(x) = a min(x, 0) + b max(x, 0) (neural-tangents
 * {@code stax.ABRelu}); kernels in {@link ABReluActivation}.
 */
public final class ABReluProvider extends BuiltinProvider {

    public ABReluProvider() {
        super("ABRelu", "a min(x, 0) + b max(x, 0)",
                Parameter.number("a", 0, "slope for x < 0"),
                Parameter.number("b", 1, "slope for x > 0"));
    }

    @Override
    public Activation create(Arguments arguments) {
        return new ABReluActivation(arguments.toSpec(name()), arguments.number("a"), arguments.number("b"));
    }
}
