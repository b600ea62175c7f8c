package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Relu}, phi(x) = max(0, x), passes the activation contract. */
class ReluContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Relu");
    }
}
