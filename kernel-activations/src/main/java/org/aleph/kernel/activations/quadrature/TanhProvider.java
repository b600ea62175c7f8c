package org.aleph.kernel.activations.quadrature;

import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Tanh}: phi(x) = tanh(x) (neural-tangents stax.Tanh), phi'(x) = 1 / cosh^2(x) evaluated as 4 e^(-2|x|) / (1 + e^(-2|x|))^2.
 * No closed form is used: the expectations come from
 * {@link QuadratureActivation} (provenance kind QUADRATURE).
 */
public final class TanhProvider extends QuadratureProvider {

    public TanhProvider() {
        super("Tanh", "phi(x) = tanh(x)");
    }

    @Override
    public Activation create(Arguments arguments) {
        return new QuadratureActivation("Tanh", x -> Math.tanh(x), x -> Smooth.tanhDerivative(x), new double[] {});
    }
}
