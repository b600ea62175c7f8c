package org.aleph.kernel.activations.quadrature;

import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Selu}: phi(x) = lambda Elu_alpha(x) with the self-normalising constants of
 * Klambauer et al., "Self-normalizing neural networks" (NIPS 2017):
 * lambda = {@value #LAMBDA}, alpha = {@value #ALPHA} (neural-tangents {@code stax.Selu}).
 * phi'(0) = lambda (1 + alpha) / 2. Expectations by {@link QuadratureActivation}, split at 0.
 */
public final class SeluProvider extends QuadratureProvider {

    static final double LAMBDA = 1.0507009873554804934193349852946;
    static final double ALPHA = 1.6732632423543772848170429916717;

    public SeluProvider() {
        super("Selu", "lambda (x > 0 ? x : alpha (exp(x) - 1)), lambda = 1.0507..., alpha = 1.6733...");
    }

    @Override
    public Activation create(Arguments arguments) {
        return new QuadratureActivation("Selu",
                x -> LAMBDA * EluProvider.elu(ALPHA, x), x -> LAMBDA * EluProvider.eluDerivative(ALPHA, x),
                new double[] {0.0});
    }
}
