package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code LeakyRelu(0.1)}, phi(x) = x > 0 ? x : 0.1 x, passes the activation contract. */
class LeakyReluContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("LeakyRelu", 0.1);
    }
}
