package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** {@code Gelu(approximate=true)}, the tanh approximation with its kernel by quadrature, passes the activation contract. */
class GeluApproximateContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Gelu", 1);
    }
}
