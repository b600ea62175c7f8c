package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

/**
 * Mistakes in a width sweep are refused up front with one sentence naming the option, before
 * any network is drawn: a sweep that cannot fit in the heap, a network without a Dense readout,
 * impossible counts.
 */
class VerificationSettingsTest {

    private static final Network NET = Network.parse("Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)");

    @Test
    void aSweepThatCannotFitIsRefusedWithAnEstimate() {
        UserErrorException e = assertThrows(UserErrorException.class, () -> Verification.run(
                Verification.Settings.builtIn(NET, new int[] {64, 200_000}, 2, 1, Double.NaN, 1, 2), null));
        assertTrue(e.getMessage().contains("GiB") && e.getMessage().contains("-Xmx"), e.getMessage());
    }

    @Test
    void aNetworkWithoutDenseReadoutIsRefused() {
        UserErrorException e = assertThrows(UserErrorException.class, () -> Verification.run(
                Verification.Settings.builtIn(Network.parse("Dense(1, 0) Relu"), new int[] {8}, 1, 1, Double.NaN, 1, 1), null));
        assertTrue(e.getMessage().contains("Dense"), e.getMessage());
    }

    @Test
    void impossibleCountsAreRefused() {
        assertThrows(UserErrorException.class, () -> Verification.Settings.builtIn(NET, new int[] {0}, 1, 1, Double.NaN, 1, 1));
        assertThrows(UserErrorException.class, () -> Verification.Settings.builtIn(NET, new int[] {8}, 0, 1, Double.NaN, 1, 1));
        assertThrows(UserErrorException.class, () -> Verification.Settings.builtIn(NET, new int[] {8}, 1, 1, -1, 1, 1));
        assertThrows(UserErrorException.class, () -> Verification.Settings.builtIn(NET, new int[] {8}, 1, 1, Double.NaN, -1, 1));
    }
}
