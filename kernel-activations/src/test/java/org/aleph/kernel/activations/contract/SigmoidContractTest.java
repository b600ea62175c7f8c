package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Sigmoid}, phi(x) = 1/(1+exp(-x)), by quadrature, passes the activation contract. */
class SigmoidContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Sigmoid");
    }
}
