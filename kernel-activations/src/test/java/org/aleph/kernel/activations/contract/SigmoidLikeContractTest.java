package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Sigmoid_like}, erf(x / 2.4020563531719796) / 2 + 1/2, passes the activation contract. */
class SigmoidLikeContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Sigmoid_like");
    }
}
