package org.aleph.kernel.testkit;

import java.util.List;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.junit.jupiter.api.Nested;

/** Correct closed forms written in the tests pass the whole contract, including the parse-back check. */
class SampleContractTests {

    /** A provider for a sample, so that the name parses back through a registry of it (the smallest provider: parameters and kind by default). */
    static ActivationRegistry registryOf(Activation a) {
        return ActivationRegistry.of(List.of(new ActivationProvider() {
            @Override
            public String name() {
                return a.name();
            }

            @Override
            public Activation create(Arguments arguments) {
                return a;
            }
        }));
    }

    @Nested
    class ReluContract implements ActivationContract {
        private final Activation relu = Samples.relu();

        @Override
        public Activation activation() {
            return relu;
        }

        @Override
        public ActivationRegistry registry() {
            return registryOf(relu);
        }
    }

    @Nested
    class ErfContract implements ActivationContract {
        private final Activation erf = Samples.erf();

        @Override
        public Activation activation() {
            return erf;
        }

        @Override
        public ActivationRegistry registry() {
            return registryOf(erf);
        }
    }

    @Nested
    class SignContract implements ActivationContract {
        private final Activation sign = Samples.sign();

        @Override
        public Activation activation() {
            return sign;
        }

        @Override
        public ActivationRegistry registry() {
            return registryOf(sign);
        }
    }
}
