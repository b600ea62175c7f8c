package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;
import org.junit.jupiter.api.Nested;

/** The built-in {@code Sin(a, b, c)} = a sin(b x + c) passes the contract with its defaults and with (2, 0.5, 0.3). */
class SinContractTest {

    @Nested
    class Default implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Sin");
        }
    }

    @Nested
    class ScaledShifted implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Sin", 2, 0.5, 0.3);
        }
    }
}
