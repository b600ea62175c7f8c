package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Selu}, phi(x) = lambda (x > 0 ? x : alpha (exp(x)-1)), by quadrature, passes the activation contract. */
class SeluContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Selu");
    }
}
