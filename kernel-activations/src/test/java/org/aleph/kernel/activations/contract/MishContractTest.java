package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Mish}, phi(x) = x tanh(softplus(x)), by quadrature, passes the activation contract. */
class MishContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Mish");
    }
}
