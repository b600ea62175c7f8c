package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;
import org.junit.jupiter.api.Nested;

/** The built-in {@code Monomial(n)} = x^n passes the contract for n = 0, 1, 2, 3 and 7. */
class MonomialContractTest {

    @Nested
    class Degree0 implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Monomial", 0);
        }
    }

    @Nested
    class Degree1 implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Monomial", 1);
        }
    }

    @Nested
    class Degree2 implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Monomial", 2);
        }
    }

    @Nested
    class Degree3 implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Monomial", 3);
        }
    }

    @Nested
    class Degree7 implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("Monomial", 7);
        }
    }
}
