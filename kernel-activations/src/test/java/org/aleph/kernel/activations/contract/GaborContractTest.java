package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Gabor}, phi(x) = exp(-x^2) sin(x), passes the activation contract. */
class GaborContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Gabor");
    }
}
