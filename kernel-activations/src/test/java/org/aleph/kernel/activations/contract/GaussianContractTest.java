package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Gaussian}, phi(x) = exp(-x^2), passes the activation contract. */
class GaussianContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Gaussian");
    }
}
