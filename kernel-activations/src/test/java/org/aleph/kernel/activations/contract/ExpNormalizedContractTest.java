package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;
import org.junit.jupiter.api.Nested;

/**
 * {@code ExpNormalized} passes the contract in its normalised frame ({@link #normalizesScale()}):
 * at every triple its kernel is sqrt(q11 q22) times (NNGP), and equal to (NTK factor), its value at
 * (1, rho, 1), where phi = exp(sqrt(gamma) x + gamma (shift - 1) / 2) realises it, checked against
 * the independent quadrature and Monte Carlo. Defaults, and gamma = 2.5, shift = -0.5 with clipping.
 */
class ExpNormalizedContractTest {

    @Nested
    class Default implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("ExpNormalized");
        }

        @Override
        public boolean normalizesScale() {
            return true;
        }
    }

    @Nested
    class Clipped implements ActivationContract {
        @Override
        public Activation activation() {
            return Builtins.create("ExpNormalized", 2.5, -0.5, 1);
        }

        @Override
        public boolean normalizesScale() {
            return true;
        }
    }
}
