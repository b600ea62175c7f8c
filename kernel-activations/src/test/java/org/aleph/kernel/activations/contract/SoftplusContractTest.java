package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Softplus}, phi(x) = log(1+exp(x)), by quadrature, passes the activation contract. */
class SoftplusContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Softplus");
    }
}
