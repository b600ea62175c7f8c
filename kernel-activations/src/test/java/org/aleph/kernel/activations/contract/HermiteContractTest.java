package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Hermite(3)}, phi(x) = He_3(x)/sqrt(3!), passes the activation contract. */
class HermiteContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Hermite", 3);
    }
}
