package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;
import org.junit.jupiter.api.Nested;

/** The built-in {@code Erf(a, b, c)} = a erf(b x) + c passes the contract with its defaults and with (2, 0.5, 0.1). */
class ErfContractTest {

    @Nested
    class Default implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Erf");
        }
    }

    @Nested
    class ScaledShifted implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Erf", 2, 0.5, 0.1);
        }
    }
}
