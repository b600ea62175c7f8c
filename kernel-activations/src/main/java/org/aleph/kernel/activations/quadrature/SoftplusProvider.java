package org.aleph.kernel.activations.quadrature;

import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Softplus}: phi(x) = log(1 + exp(x)) evaluated as max(x, 0) + log1p(exp(-|x|)); phi' = sigmoid(x).
 * No closed form is used: the expectations come from
 * {@link QuadratureActivation} (provenance kind QUADRATURE).
 */
public final class SoftplusProvider extends QuadratureProvider {

    public SoftplusProvider() {
        super("Softplus", "phi(x) = log(1 + exp(x))");
    }

    @Override
    public Activation create(Arguments arguments) {
        return new QuadratureActivation("Softplus", x -> Smooth.softplus(x), x -> Smooth.sigmoid(x), new double[] {});
    }
}
