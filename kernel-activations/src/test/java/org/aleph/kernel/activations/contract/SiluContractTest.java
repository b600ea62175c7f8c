package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Silu}, phi(x) = x sigmoid(x), by quadrature, passes the activation contract. */
class SiluContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Silu");
    }
}
