package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Abs}, phi(x) = |x|, passes the activation contract. */
class AbsContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Abs");
    }
}
