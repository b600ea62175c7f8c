package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

/**
 * The width sweep of {@code aleph verify} on a convolutional spec (the Fashion-MNIST
 * network) with the built-in images: the relative errors of the empirical NNGP and NTK against
 * kernel-api's CNN-GP and convolutional NTK fall like channels^-1/2 (fitted slopes within
 * -0.5 +- 0.2 over 16..256 channels, 12 networks each; over 16..128 alone the slope of the seed means still
 * wanders by about +-0.2), and a few steps of training leave the network close to
 * its linearisation with a gap that shrinks with width. Conv specs without images are refused.
 */
class ConvVerificationTest {

    private static final Network NET = Network.parse("Conv(1.5, 0.05, filter=3, stride=1, padding=SAME) Relu "
            + "Conv(1.5, 0.05, filter=3, stride=1, padding=SAME) Relu Flatten Dense(1, 0)");

    @Test
    void kernelErrorsFallAsInverseSquareRootOfChannels() {
        VerificationReport r = Verification.run(Verification.Settings.builtIn(NET, new int[] {16, 32, 64, 128, 256}, 12, 3,
                Double.NaN, 3, 2), null);
        assertEquals(Verification.IMAGE_TRAIN, r.trainCount());
        assertEquals(Verification.IMAGE_TEST, r.testCount());
        String values = java.util.Arrays.toString(r.values(Quantity.NNGP_ERROR)) + " "
                + java.util.Arrays.toString(r.values(Quantity.NTK_ERROR));
        System.out.printf(java.util.Locale.ROOT, "conv verify slopes: NNGP %.3f NTK %.3f lin gap %.3f%n", r.slope(Quantity.NNGP_ERROR),
                r.slope(Quantity.NTK_ERROR), r.slope(Quantity.LINEARIZATION_GAP));
        assertEquals(-0.5, r.slope(Quantity.NNGP_ERROR), 0.2, "NNGP errors " + values);
        assertEquals(-0.5, r.slope(Quantity.NTK_ERROR), 0.2, "NTK errors " + values);
        assertTrue(r.slope(Quantity.LINEARIZATION_GAP) < -0.3, "linearisation gap slope " + r.slope(Quantity.LINEARIZATION_GAP));
    }

    @Test
    void convSpecsNeedImagesThatFit() {
        Matrix x = SphereData.points(3, 72, 1);
        double[] y = SphereData.targets(x);
        assertThrows(UserErrorException.class, () -> new Verification.Settings(NET, new int[] {8}, 1, 1, x, y, Matrix.zeros(0, 72),
                Double.NaN, 1, 1));
        assertThrows(UserErrorException.class, () -> new Verification.Settings(NET, new int[] {8}, 1, 1, x, y, Matrix.zeros(0, 72),
                Double.NaN, 1, 1, new ImageShape(5, 5, 3)));
        Verification.Settings ok = new Verification.Settings(NET, new int[] {8}, 1, 1, x, y, Matrix.zeros(0, 72), Double.NaN, 1, 1,
                new ImageShape(6, 4, 3));
        assertEquals(1, Verification.run(ok, null).widths().length);
    }
}
