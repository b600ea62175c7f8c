package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * Exact identities between finite networks drawn with one seed (weights are seeded per
 * (seed, layer, output channel), and a 1 x 1 convolution with stride 1 is the same product as a
 * Dense layer applied per pixel, with the same scale W_std / sqrt(C_in)):
 * <ul>
 *   <li>a 1x1 Conv network equals the per-pixel Dense network bit for bit (parameters, outputs,
 *       empirical NTK, a training step);</li>
 *   <li>{@code Flatten Dense ...} on images equals the fully connected network on the flattened
 *       vectors bit for bit;</li>
 *   <li>a CNN gives the same bits with 1, 2 and 3 threads.</li>
 * </ul>
 */
class ConvEquivalenceTest {

    @Test
    void oneByOneConvEqualsPerPixelDense() {
        qt().withFixedSeed(77L).withShrinkCycles(0).withExamples(8).forAll(integers().between(1, 1000)).checkAssert(seed -> {
            ImageShape shape = new ImageShape(2 + seed % 3, 3, 1 + seed % 2);
            Network conv = Network.parse("Conv(1.5, 0.1, filter=1, padding=SAME) Relu Conv(1.2, 0.2, filter=1, stride=1, padding=VALID) "
                    + "Erf Flatten Dense(1, 0.1)");
            Network dense = Network.parse("Dense(1.5, 0.1) Relu Dense(1.2, 0.2) Erf Flatten Dense(1, 0.1)");
            int width = 5 + seed % 7;
            FiniteNetwork a = FiniteNetwork.sample(conv, shape, width, 2, seed, 1);
            FiniteNetwork b = FiniteNetwork.sample(dense, shape, width, 2, seed, 1);
            Matrix x = ConvMonteCarloTest.gaussianImages(3, shape, seed);
            assertIdentical(a, b, x);
        });
    }

    @Test
    void flattenThenDenseEqualsTheFullyConnectedNetworkOnFlattenedImages() {
        ImageShape shape = new ImageShape(3, 4, 2);
        Network images = Network.parse("Flatten Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)");
        Network flat = Network.parse("Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)");
        FiniteNetwork a = FiniteNetwork.sample(images, shape, 16, 2, 3, 2);
        FiniteNetwork b = FiniteNetwork.sample(flat, shape.features(), 16, 2, 3, 2);
        assertIdentical(a, b, ConvMonteCarloTest.gaussianImages(4, shape, 9));
    }

    @Test
    void cnnResultsAreBitEqualAcrossThreadCounts() {
        Network net = Network.parse("Conv(1.5, 0.05, filter=3, padding=SAME) Relu Conv(1.5, 0.05, filter=3, stride=2, padding=CIRCULAR) "
                + "Relu AvgPool(window=2, stride=1, padding=SAME) GlobalAvgPool Dense(1, 0)");
        ImageShape shape = new ImageShape(6, 6, 2);
        Matrix x = ConvMonteCarloTest.images(4, shape, 2);
        FiniteNetwork one = FiniteNetwork.sample(net, shape, 96, 1, 8, 1);
        for (int threads = 2; threads <= 3; threads++) {
            assertIdentical(one, FiniteNetwork.sample(net, shape, 96, 1, 8, threads), x);
        }
    }

    private static void assertIdentical(FiniteNetwork a, FiniteNetwork b, Matrix x) {
        assertArrayEquals(a.parameters(), b.parameters(), 0.0, "parameters");
        assertArrayEquals(a.apply(x).data(), b.apply(x).data(), 0.0, "outputs");
        assertArrayEquals(a.ntk(x).data(), b.ntk(x).data(), 0.0, "empirical NTK");
        double[] y = new double[x.rows() * a.outputs()];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.sin(i);
        }
        FiniteNetwork a1 = a.copy();
        FiniteNetwork b1 = b.copy();
        a1.step(x, y, 0.3);
        b1.step(x, y, 0.3);
        assertArrayEquals(a1.parameters(), b1.parameters(), 0.0, "parameters after a step");
    }
}
