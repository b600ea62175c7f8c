package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** The built-in {@code Polynomial(1, -2, 0.5)}, phi(x) = 1 - 2x + 0.5x^2, passes the activation contract. */
class PolynomialContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Polynomial", 1, -2, 0.5);
    }
}
