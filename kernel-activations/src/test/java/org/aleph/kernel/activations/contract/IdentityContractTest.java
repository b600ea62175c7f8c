package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Identity}, phi(x) = x (provided by kernel-api), passes the activation contract. */
class IdentityContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Identity");
    }
}
