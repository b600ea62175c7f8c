package org.example.swish;

import java.util.List;
import java.util.Map;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;
import org.junit.jupiter.api.Nested;

/**
 * Swish passes Aleph's activation contract: expectations against an independent quadrature
 * and Monte Carlo, symmetry, Cauchy-Schwarz, positive semi-definite kernels, phi' against
 * finite differences, no undeclared kinks, block calls, provenance and name parsing. The
 * activations are obtained by name, as a spec would, so the META-INF/services entry is
 * tested too.
 */
class SwishContractTest {

    private static Activation swish(double... beta) {
        List<Object> args = beta.length == 0 ? List.of() : List.of(beta[0]);
        return ActivationRegistry.defaultRegistry().create("Swish", args, Map.of());
    }

    @Nested
    class DefaultBeta implements ActivationContract {
        @Override
        public Activation activation() {
            return swish();
        }
    }

    @Nested
    class BetaTwo implements ActivationContract {
        @Override
        public Activation activation() {
            return swish(2);
        }
    }
}
