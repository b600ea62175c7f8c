package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code Sin(a=1, b=1, c=0)}: phi(x) = a sin(b x + c) (neural-tangents {@code stax.Sin});
 * kernels in {@link SinusoidActivation}.
 */
public final class SinProvider extends BuiltinProvider {

    public SinProvider() {
        super("Sin", "a sin(b x + c)",
                Parameter.number("a", 1, "output scale"),
                Parameter.number("b", 1, "frequency"),
                Parameter.number("c", 0, "phase"));
    }

    @Override
    public Activation create(Arguments arguments) {
        double c = arguments.number("c");
        double cos = Math.cos(c);
        double sin = Math.sin(c);
        return new SinusoidActivation(arguments.toSpec(name()), arguments.number("a"), arguments.number("b"), c,
                cos * cos, sin * sin);
    }
}
