package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

/**
 * Training that diverges is reported as such, never as NaN columns (issue 15): a learning rate
 * above the stable limit 2N / lambda_max of the analytic NTK is refused with that limit, a rate
 * just below it gives finite numbers; a sweep that would take hours is refused with the estimate.
 */
class VerificationDivergenceTest {

    private static final Network NET = Network.parse("Dense(1.5, 0.05) Relu Dense(1, 0)");

    private static VerificationReport run(double lr, int steps) {
        return Verification.run(Verification.Settings.builtIn(NET, new int[] {32, 64}, 1, 3, lr, steps, 1), null);
    }

    @Test
    void aRateAboveTheStableLimitIsRefusedWithTheLimit() {
        double critical = 2 * run(Double.NaN, 1).learningRate(); // the default is half the limit
        UserErrorException e = assertThrows(UserErrorException.class, () -> run(1.05 * critical, 10));
        assertTrue(e.getMessage().contains("diverges") && e.getMessage().contains(String.format(java.util.Locale.ROOT, "%.6g", critical)),
                e.getMessage());
        assertThrows(UserErrorException.class, () -> run(1e6, 10));
        VerificationReport below = run(0.9 * critical, 10);
        for (Quantity q : Quantity.values()) {
            for (double v : below.values(q)) {
                assertTrue(Double.isFinite(v), q + " " + v);
            }
        }
        assertEquals(0.9 * critical, below.learningRate(), 1e-12 * critical);
    }

    @Test
    void aSweepOfHoursIsRefusedUpFrontWithTheEstimate() {
        long t0 = System.nanoTime();
        UserErrorException e = assertThrows(UserErrorException.class, () -> Verification.run(
                Verification.Settings.builtIn(NET, new int[] {64, 4096}, 1_000_000, 1, Double.NaN, 100, 2), null));
        assertTrue(e.getMessage().contains("hours") && e.getMessage().contains("seeds"), e.getMessage());
        assertTrue((System.nanoTime() - t0) < 5e9, "refused before any network was drawn");
    }
}
