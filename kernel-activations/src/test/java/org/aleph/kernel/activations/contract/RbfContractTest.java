package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;
import org.junit.jupiter.api.Nested;

/** The built-in {@code Rbf(gamma)} = sqrt(2) sin(sqrt(2 gamma) x + pi/4) passes the contract for gamma = 1 and 0.3. */
class RbfContractTest {

    @Nested
    class Default implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Rbf");
        }
    }

    @Nested
    class Wide implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Rbf", 0.3);
        }
    }
}
