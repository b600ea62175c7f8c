package org.aleph.kernel.activations.quadrature;

import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Silu}: phi(x) = x sigmoid(x) (SiLU / swish, Elfwing et al. 2018), phi' = sigma(x) + x sigma(x) sigma(-x).
 * No closed form is used: the expectations come from
 * {@link QuadratureActivation} (provenance kind QUADRATURE).
 */
public final class SiluProvider extends QuadratureProvider {

    public SiluProvider() {
        super("Silu", "phi(x) = x sigmoid(x)");
    }

    @Override
    public Activation create(Arguments arguments) {
        return new QuadratureActivation("Silu", x -> x * Smooth.sigmoid(x), x -> Smooth.sigmoid(x) + x * Smooth.sigmoidDerivative(x), new double[] {});
    }
}
