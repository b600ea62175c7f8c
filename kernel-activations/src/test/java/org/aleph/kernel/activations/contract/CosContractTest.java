package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;
import org.junit.jupiter.api.Nested;

/** The built-in {@code Cos(a, b, c)} = a cos(b x + c) passes the contract with its defaults (cos x) and with (1.5, 0.7, 0.4). */
class CosContractTest {

    @Nested
    class Default implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Cos");
        }
    }

    @Nested
    class ScaledShifted implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Cos", 1.5, 0.7, 0.4);
        }
    }
}
