package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;
import org.junit.jupiter.api.Nested;

/** The built-in {@code RectifiedMonomial(n)} = max(0, x)^n (the arc-cosine kernels of Cho &amp; Saul 2009) passes the contract for n = 0, 1, 2 and 3. */
class RectifiedMonomialContractTest {

    @Nested
    class Degree0 implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("RectifiedMonomial", 0);
        }
    }

    @Nested
    class Degree1 implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("RectifiedMonomial", 1);
        }
    }

    @Nested
    class Degree2 implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("RectifiedMonomial", 2);
        }
    }

    @Nested
    class Degree3 implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("RectifiedMonomial", 3);
        }
    }
}
