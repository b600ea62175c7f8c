package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Cos}, phi(x) = cos(x), passes the activation contract. */
class CosContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Cos");
    }
}
