package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code ABRelu(-0.5, 2)}, phi(x) = -0.5 min(x, 0) + 2 max(x, 0), passes the activation contract. */
class ABReluContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("ABRelu", -0.5, 2);
    }
}
