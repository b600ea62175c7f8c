package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Sign}, phi(x) = sign(x), passes the activation contract. */
class SignContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Sign");
    }
}
