package org.aleph.kernel;

import static org.aleph.kernel.StandardParameterizationTest.assertRel;
import static org.aleph.kernel.StandardParameterizationTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dropout in training mode (neural-tangents' {@code stax.Dropout(keep, mode='train')}: the
 * entries of an input with itself times 1/keep, every other entry unchanged) and LayerNorm with
 * neural-tangents' eps ({@code K / sqrt((eps + K11)(eps + K22))}), against closed forms and
 * identities written from those definitions.
 */
class DropoutLayerNormTest {

    private final ActivationRegistry registry = TestActivations.registry();

    @Test
    void dropoutZeroIsNoLayer() {
        Matrix x = random(new SplittableRandom(1), 5, 3);
        Matrix x2 = random(new SplittableRandom(2), 4, 3);
        Network with = Network.parse("Dense(1.5, 0.1) Relu Dropout(0) Dense(1.2, 0.1) Erf Dropout(0) Dense(1, 0)", registry);
        Network without = Network.parse("Dense(1.5, 0.1) Relu Dense(1.2, 0.1) Erf Dense(1, 0)", registry);
        assertSame(without.kernels(x, null), with.kernels(x, null));
        assertSame(without.kernels(x, x2), with.kernels(x, x2));
        ImageShape shape = new ImageShape(3, 4, 2);
        Matrix images = random(new SplittableRandom(3), 3, shape.features());
        for (String tail : new String[] {"Flatten Dense(1, 0)", "GlobalAvgPool Dense(1, 0)"}) {
            assertSame(Network.parse("Conv(1.5, 0.1) Relu Conv(1, 0) " + tail, registry).kernels(images, null, shape),
                    Network.parse("Conv(1.5, 0.1) Relu Dropout(0) Conv(1, 0) " + tail, registry).kernels(images, null, shape));
        }
    }

    /**
     * {@code Dense Relu Dropout(r) Dense(W, b)} against the same network without Dropout: entries
     * between different inputs are unchanged; an input with itself has
     * {@code K_d = (K - b^2) / keep + b^2} and {@code T_d = K_d + (T - K) / keep}; two separately
     * given matrices are different inputs, even when a row repeats.
     */
    @Test
    void dropoutScalesOnlyAnInputWithItself() {
        qt().withExamples(20).forAll(doubles().between(0.0, 0.95)).checkAssert(rate -> {
            Matrix x = random(new SplittableRandom(Double.doubleToLongBits(rate)), 4, 3);
            Network with = Network.parse("Dense(1.5, 0.1) Relu Dropout(" + rate + ") Dense(1.2, 0.3)", registry);
            Network without = Network.parse("Dense(1.5, 0.1) Relu Dense(1.2, 0.3)", registry);
            double keep = 1 - rate;
            KernelResult a = without.kernels(x, null);
            KernelResult d = with.kernels(x, null);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    if (i != j) {
                        assertEquals(a.nngp().get(i, j), d.nngp().get(i, j), 0.0);
                        assertEquals(a.ntk().get(i, j), d.ntk().get(i, j), 0.0);
                        continue;
                    }
                    double k = (a.nngp().get(i, i) - 0.09) / keep + 0.09;
                    assertRel(k, d.nngp().get(i, i), 1e-14, "diagonal NNGP");
                    assertRel(k + (a.ntk().get(i, i) - a.nngp().get(i, i)) / keep, d.ntk().get(i, i), 1e-13, "diagonal NTK");
                    assertEquals(d.nngp().get(i, i), d.var1()[i], 0.0, "diagonal = variance");
                }
            }
            KernelResult cross = with.kernels(x, x);
            assertArrayEquals(a.nngp().data(), cross.nngp().data(), 0.0);
            assertArrayEquals(a.ntk().data(), cross.ntk().data(), 0.0);
            assertArrayEquals(d.var1(), cross.var2(), 0.0);
        });
    }

    /**
     * Per-pixel masks on images: for an image with itself Dropout scales the same-pixel entries
     * S[p, p] only, so after GlobalAvgPool (the mean of all S[p, p']) the NNGP grows by
     * {@code (1/keep - 1) mean_p S[p, p] / P}, and after Flatten (the mean of S[p, p]) it is
     * divided by keep; pairs of different images are unchanged.
     */
    @Test
    void dropoutOnImagesActsPerPixel() {
        ImageShape shape = new ImageShape(3, 3, 2);
        Matrix x = random(new SplittableRandom(4), 3, shape.features());
        double keep = 0.7;
        String body = "Conv(1.4, 0.1, filter=2) Relu ";
        KernelResult gap = Network.parse(body + "GlobalAvgPool Dense(1, 0)", registry).kernels(x, null, shape);
        KernelResult flat = Network.parse(body + "Flatten Dense(1, 0)", registry).kernels(x, null, shape);
        KernelResult gapD = Network.parse(body + "Dropout(0.3) GlobalAvgPool Dense(1, 0)", registry).kernels(x, null, shape);
        KernelResult flatD = Network.parse(body + "Dropout(0.3) Flatten Dense(1, 0)", registry).kernels(x, null, shape);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    assertRel(gap.nngp().get(i, j), gapD.nngp().get(i, j), 1e-15, "GAP, different images");
                    assertRel(flat.nngp().get(i, j), flatD.nngp().get(i, j), 1e-15, "Flatten, different images");
                    continue;
                }
                assertRel(flat.nngp().get(i, i) / keep, flatD.nngp().get(i, i), 1e-14, "Flatten");
                assertRel(gap.nngp().get(i, i) + (1 / keep - 1) * flat.nngp().get(i, i) / 9, gapD.nngp().get(i, i), 1e-14, "GAP");
                assertRel(gap.ntk().get(i, i) + (1 / keep - 1) * flat.ntk().get(i, i) / 9, gapD.ntk().get(i, i), 1e-14, "GAP NTK");
                assertEquals(gapD.nngp().get(i, i), gapD.var1()[i], 0.0);
            }
        }
    }

    /** {@code Dense(1, 0) LayerNorm(eps) Dense(1, 0)}: K = K0 / sqrt((eps + q)(eps + q')), T = 2 K, variance q / (eps + q). */
    @Test
    void layerNormEpsFollowsNeuralTangents() {
        Matrix x = random(new SplittableRandom(6), 4, 3);
        for (double eps : new double[] {0.0, 1e-12, 0.3, 2.0}) {
            KernelResult r = Network.parse("Dense(1, 0) LayerNorm(eps=" + eps + ") Dense(1, 0)", registry).kernels(x, null);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double qi = dot(x.row(i), x.row(i)) / 3;
                    double qj = dot(x.row(j), x.row(j)) / 3;
                    double k = dot(x.row(i), x.row(j)) / 3 / Math.sqrt((eps + qi) * (eps + qj));
                    assertRel(k, r.nngp().get(i, j), 1e-14, "eps " + eps);
                    assertRel(2 * k, r.ntk().get(i, j), 1e-14, "eps " + eps);
                }
                assertEquals(r.nngp().get(i, i), r.var1()[i], 0.0);
            }
        }
        Network plain = Network.parse("Dense(1, 0.1) Relu LayerNorm Dense(1, 0)", registry);
        Network zero = Network.parse("Dense(1, 0.1) Relu LayerNorm(eps=0) Dense(1, 0)", registry);
        assertEquals(plain, zero);
        ImageShape shape = new ImageShape(2, 3, 2);
        Matrix images = random(new SplittableRandom(7), 2, shape.features());
        KernelResult img = Network.parse("Conv(1, 0, filter=1) LayerNorm(0.5) Flatten Dense(1, 0)", registry)
                .kernels(images, null, shape);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double mean = 0;
                for (int p = 0; p < 6; p++) {
                    double sab = pixelDot(images.row(a), images.row(b), p);
                    double saa = pixelDot(images.row(a), images.row(a), p);
                    double sbb = pixelDot(images.row(b), images.row(b), p);
                    mean += sab / Math.sqrt((0.5 + saa) * (0.5 + sbb)) / 6;
                }
                assertRel(mean, img.nngp().get(a, b), 1e-14, "per pixel");
            }
        }
    }

    @Test
    void specsRoundTripAndMistakesNameTheirColumn() {
        Network net = Network.parse("Dense Relu Dropout(0.25) Dense LayerNorm(eps=1e-5) Dropout(rate=0) Dense", registry);
        assertEquals(net, Network.parse(net.spec(), registry));
        assertEquals("Dropout(0.25)", net.layers().get(2).spec());
        assertEquals("LayerNorm(eps=1.0E-5)", net.layers().get(4).spec());
        assertEquals(Layers.dropout(0.25), net.layers().get(2));
        assertEquals(Layers.layerNorm(1e-5), net.layers().get(4));
        assertColumn(12, "must lie in [0, 1)", "Dense Relu Dropout(1) Dense");
        assertColumn(12, "must lie in [0, 1)", "Dense Relu Dropout(-0.1) Dense");
        assertColumn(12, "must lie in [0, 1)", "Dense Relu Dropout(rate=1.5) Dense");
        assertColumn(20, "'nan' is not a number", "Dense Relu Dropout(nan) Dense");
        assertColumn(20, "'NaN' is not a finite number", "Dense Relu Dropout(NaN) Dense");
        assertColumn(12, "needs its rate", "Dense Relu Dropout Dense");
        assertColumn(1, "cannot act on the input data", "Dropout(0.1) Dense Relu Dense");
        assertColumn(31, "the output of Dropout", "Dense Relu Dense Dropout(0.1) Relu Dense");
        assertColumn(7, "eps must be finite and non-negative", "Dense LayerNorm(eps=-1) Dense");
        assertColumn(7, "has no parameter 'epsilon'", "Dense LayerNorm(epsilon=1) Dense");
    }

    private void assertColumn(int column, String text, String spec) {
        SpecException e = assertThrows(SpecException.class, () -> Network.parse(spec, registry));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    private static void assertSame(KernelResult expected, KernelResult actual) {
        assertArrayEquals(expected.nngp().data(), actual.nngp().data(), 0.0);
        assertArrayEquals(expected.ntk().data(), actual.ntk().data(), 0.0);
        assertArrayEquals(expected.var1(), actual.var1(), 0.0);
        assertArrayEquals(expected.var2(), actual.var2(), 0.0);
    }

    private static double pixelDot(double[] a, double[] b, int p) {
        return (a[2 * p] * b[2 * p] + a[2 * p + 1] * b[2 * p + 1]) / 2;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
