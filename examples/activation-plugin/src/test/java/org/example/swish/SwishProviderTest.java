package org.example.swish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/** Pinned values of Swish and its argument handling. */
class SwishProviderTest {

    @Test
    void phiAtPinnedPoints() {
        Activation a = ActivationRegistry.defaultRegistry().create("Swish", List.of(2.0), Map.of());
        // 1.5 sigmoid(3) = 1.5 / (1 + e^-3) = 1.42886119023365 (to a few ulps)
        assertEquals(1.42886119023365, a.phi(1.5), 1e-15);
        assertEquals(0, a.phi(0));
        // far left the gate closes: x sigmoid(2x) ~ x e^{2x}
        assertEquals(-800 * Math.exp(-1600), a.phi(-800), 0);
        assertEquals("Swish(beta=2)", a.name());
    }

    @Test
    void largeBetaTendsToRelu() {
        // E[Swish_beta(u)^2] -> E[relu(u)^2] = q / 2 as beta grows
        Activation a = ActivationRegistry.defaultRegistry().create("Swish", List.of(200.0), Map.of());
        double[] out = new double[1];
        a.expectations(new double[] {1}, new double[] {1}, new double[] {1}, 1, out, null);
        assertEquals(0.5, out[0], 1e-3);
    }

    @Test
    void nonFiniteBetaIsAUserError() {
        assertThrows(UserErrorException.class, () -> org.aleph.kernel.Network.parse("Dense Swish(beta=1e999) Dense"));
    }
}
