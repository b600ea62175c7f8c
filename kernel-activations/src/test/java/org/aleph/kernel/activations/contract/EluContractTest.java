package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Elu}, phi(x) = x > 0 ? x : exp(x)-1, by quadrature, passes the activation contract. */
class EluContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Elu");
    }
}
