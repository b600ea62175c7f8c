package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Gelu}, phi(x) = x Phi(x), passes the activation contract. */
class GeluContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Gelu");
    }
}
