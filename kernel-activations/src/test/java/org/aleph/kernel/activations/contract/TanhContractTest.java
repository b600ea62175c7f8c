package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Tanh}, phi(x) = tanh(x), by quadrature, passes the activation contract. */
class TanhContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Tanh");
    }
}
