package org.aleph.kernel.activations.quadrature;

import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Sigmoid}: phi(x) = 1 / (1 + exp(-x)) (the logistic function), phi' = sigma(x) sigma(-x), both evaluated without overflow.
 * No closed form is used: the expectations come from
 * {@link QuadratureActivation} (provenance kind QUADRATURE).
 */
public final class SigmoidProvider extends QuadratureProvider {

    public SigmoidProvider() {
        super("Sigmoid", "phi(x) = 1 / (1 + exp(-x))");
    }

    @Override
    public Activation create(Arguments arguments) {
        return new QuadratureActivation("Sigmoid", x -> Smooth.sigmoid(x), x -> Smooth.sigmoidDerivative(x), new double[] {});
    }
}
