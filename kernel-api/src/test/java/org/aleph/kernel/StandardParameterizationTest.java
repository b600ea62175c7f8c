package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The standard parameterisation of Dense and Conv (neural-tangents' {@code stax.Dense} and
 * {@code stax.Conv} with {@code parameterization='standard'}, Sohl-Dickstein et al. 2020):
 * the NNGP equals the NTK parameterisation's bit for bit; the NTK follows
 * {@code T <- N_in K + W_std^2 T + [b_std > 0]}, checked against the closed form of a
 * one-hidden-layer Relu network written here from the arc-cosine kernel (Cho &amp; Saul 2009)
 * and against identities between the two parameterisations of a Conv layer.
 */
class StandardParameterizationTest {

    private final ActivationRegistry registry = TestActivations.registry();

    @Test
    void bothParameterisationsGiveTheSameNngpBitForBit() {
        qt().withExamples(60).forAll(integers().between(0, 1_000_000)).checkAssert(seed -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            int depth = 1 + rnd.nextInt(3);
            StringBuilder ntk = new StringBuilder();
            StringBuilder std = new StringBuilder();
            for (int l = 0; l < depth; l++) {
                String w = String.valueOf(0.5 + rnd.nextDouble() * 1.5);
                String b = rnd.nextBoolean() ? "0" : String.valueOf(rnd.nextDouble() * 0.5);
                String width = String.valueOf(1 + rnd.nextInt(500));
                ntk.append("Dense(").append(w).append(", ").append(b).append(") ");
                std.append("Dense(").append(w).append(", ").append(b).append(", parameterization=standard, width=")
                        .append(width).append(") ");
                String act = rnd.nextBoolean() ? "Relu " : "Erf ";
                ntk.append(act);
                std.append(act);
            }
            ntk.append("Dense(1, 0.1)");
            std.append("Dense(1, 0.1, parameterization=standard)");
            Matrix x = random(rnd, 1 + rnd.nextInt(5), 1 + rnd.nextInt(4));
            KernelResult a = Network.parse(ntk.toString(), registry).kernels(x, null);
            KernelResult b = Network.parse(std.toString(), registry).kernels(x, null);
            assertArrayEquals(a.nngp().data(), b.nngp().data(), 0.0, std.toString());
            assertArrayEquals(a.var1(), b.var1(), 0.0);
        });
        ImageShape shape = new ImageShape(4, 3, 2);
        Matrix images = random(new SplittableRandom(3), 4, shape.features());
        for (String tail : new String[] {"Flatten Dense(1, 0)", "GlobalAvgPool Dense(1, 0)"}) {
            KernelResult a = Network.parse("Conv(1.5, 0.1) Relu Conv(1.2, 0.2, filter=2) Relu " + tail, registry)
                    .kernels(images, null, shape);
            KernelResult b = Network.parse("Conv(1.5, 0.1, parameterization=standard, width=7) Relu "
                    + "Conv(1.2, 0.2, filter=2, parameterization=standard, width=3) Relu " + tail, registry).kernels(images, null, shape);
            assertArrayEquals(a.nngp().data(), b.nngp().data(), 0.0, tail);
        }
    }

    /**
     * One hidden layer, {@code Dense(W1, b1) Relu Dense(W2, b2)} on d features with declared
     * hidden width N. From neural-tangents' kernel_fn: with K0 = x.x'/d, K1 = W1^2 K0 + b1^2,
     * the arc-cosine kernel E[relu relu] = sqrt(q q') J1(c) / (2 pi) and E[relu' relu'] = (pi - acos c) / (2 pi):
     * <pre>
     *   NTK parameterisation:      T = W2^2 E[relu relu] + b2^2 + W2^2 K1 E[relu' relu']
     *   standard parameterisation: T = N E[relu relu] + 1 + W2^2 (d K0 + 1) E[relu' relu']
     * </pre>
     * so the ratio is {@code (N A + 1 + W2^2 (d K0 + 1) D) / (W2^2 A + b2^2 + W2^2 K1 D)}.
     */
    @Test
    void oneHiddenLayerNtkRatioIsTheClosedForm() {
        double w1 = 1.3;
        double b1 = 0.2;
        double w2 = 0.8;
        double b2 = 0.1;
        int n = 64;
        SplittableRandom rnd = new SplittableRandom(11);
        int d = 5;
        Matrix x = random(rnd, 4, d);
        Network ntk = Network.parse("Dense(1.3, 0.2) Relu Dense(0.8, 0.1)", registry);
        Network std = Network.parse("Dense(1.3, 0.2, parameterization=standard, width=64) Relu "
                + "Dense(0.8, 0.1, parameterization=standard)", registry);
        KernelResult a = ntk.kernels(x, null);
        KernelResult b = std.kernels(x, null);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double k0 = dot(x.row(i), x.row(j)) / d;
                double q1 = w1 * w1 * (dot(x.row(i), x.row(i)) / d) + b1 * b1;
                double q2 = w1 * w1 * (dot(x.row(j), x.row(j)) / d) + b1 * b1;
                double k1 = w1 * w1 * k0 + b1 * b1;
                double c = Math.max(-1, Math.min(1, k1 / Math.sqrt(q1 * q2)));
                double arc = Math.sqrt(q1 * q2) * (Math.sqrt(1 - c * c) + (Math.PI - Math.acos(c)) * c) / (2 * Math.PI);
                double dot = (Math.PI - Math.acos(c)) / (2 * Math.PI);
                double tNtk = w2 * w2 * arc + b2 * b2 + w2 * w2 * k1 * dot;
                double tStd = n * arc + 1 + w2 * w2 * (d * k0 + 1) * dot;
                assertRel(tNtk, a.ntk().get(i, j), 1e-12, "ntk (" + i + "," + j + ")");
                assertRel(tStd, b.ntk().get(i, j), 1e-12, "standard (" + i + "," + j + ")");
                assertRel(tStd / tNtk, b.ntk().get(i, j) / a.ntk().get(i, j), 1e-12, "ratio");
            }
        }
    }

    /**
     * The worked example of docs/parameterization.md: {@code Dense(1, 0, width=512) Relu Dense(1, 0)}
     * on x = (1, 1) and x' = (1, -1) (d = 2, K0 = 1 and 0): NNGP 1/2 and 1/(2 pi) in both;
     * NTK 1 and 1/(2 pi) (ntk), 512/2 + 2/2 = 257 and 512/(2 pi) (standard).
     */
    @Test
    void theDocumentedWorkedExample() {
        Matrix x = Matrix.of(new double[][] {{1, 1}, {1, -1}});
        KernelResult a = Network.parse("Dense(1, 0, width=512) Relu Dense(1, 0)", registry).kernels(x, null);
        KernelResult b = Network.parse("Dense(1, 0, parameterization=standard, width=512) Relu "
                + "Dense(1, 0, parameterization=standard)", registry).kernels(x, null);
        assertRel(0.5, a.nngp().get(0, 0), 1e-15, "NNGP(x, x)");
        assertRel(1 / (2 * Math.PI), a.nngp().get(0, 1), 1e-15, "NNGP(x, x')");
        assertArrayEquals(a.nngp().data(), b.nngp().data(), 0.0);
        assertRel(1.0, a.ntk().get(0, 0), 1e-15, "NTK(x, x), ntk");
        assertRel(1 / (2 * Math.PI), a.ntk().get(0, 1), 1e-15, "NTK(x, x'), ntk");
        assertRel(257.0, b.ntk().get(0, 0), 1e-15, "NTK(x, x), standard");
        assertRel(512 / (2 * Math.PI), b.ntk().get(0, 1), 1e-15, "NTK(x, x'), standard");
    }

    @Test
    void aStandardFirstLayerAddsTheInputWidthAndOneForTheBias() {
        Matrix x = random(new SplittableRandom(5), 3, 7);
        KernelResult withBias = Network.parse("Dense(2, 0.5, parameterization=standard)", registry).kernels(x, null);
        KernelResult noBias = Network.parse("Dense(2, 0, parameterization=standard)", registry).kernels(x, null);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double k0 = dot(x.row(i), x.row(j)) / 7;
                assertRel(7 * k0 + 1, withBias.ntk().get(i, j), 1e-14, "T = d K0 + 1");
                assertRel(7 * k0, noBias.ntk().get(i, j), 1e-14, "T = d K0 without a bias");
                assertRel(4 * k0 + 0.25, withBias.nngp().get(i, j), 1e-14, "K = W^2 K0 + b^2");
            }
        }
    }

    /**
     * A standard Conv layer on C input channels with a k x k filter, followed by a reduction and
     * {@code Dense(1, 0)}: both parameterisations share the window sum ws of the input
     * covariance, so per entry {@code T_std - T_ntk = (C k^2 / W^2 - 1) (K - b^2) + 1 - b^2},
     * K the NNGP (the same in both). A standard Dense after Flatten reads N_in = H W C_declared:
     * {@code T_std - T_ntk = (N_in - W^2) (K - b^2) / W^2 + 1 - b^2}.
     */
    @Test
    void convAndFlattenWidthsFollowNeuralTangentsFormulas() {
        ImageShape shape = new ImageShape(4, 5, 3);
        Matrix x = random(new SplittableRandom(8), 3, shape.features());
        Matrix x2 = random(new SplittableRandom(9), 2, shape.features());
        for (String reduce : new String[] {"Flatten", "GlobalAvgPool"}) {
            KernelResult a = Network.parse("Conv(1.5, 0.3, filter=3) " + reduce + " Dense(1, 0)", registry).kernels(x, x2, shape);
            KernelResult b = Network.parse("Conv(1.5, 0.3, filter=3, parameterization=standard) " + reduce + " Dense(1, 0)", registry)
                    .kernels(x, x2, shape);
            for (int e = 0; e < a.nngp().data().length; e++) {
                double k = a.nngp().data()[e];
                double expected = (3 * 9 / 2.25 - 1) * (k - 0.09) + 1 - 0.09;
                assertRel(expected, b.ntk().data()[e] - a.ntk().data()[e], 1e-12, reduce);
            }
        }
        String prefix = "Conv(1.2, 0.1, width=6) Relu Flatten ";
        KernelResult a = Network.parse(prefix + "Dense(0.9, 0.2)", registry).kernels(x, x2, shape);
        KernelResult b = Network.parse(prefix + "Dense(0.9, 0.2, parameterization=standard)", registry).kernels(x, x2, shape);
        double nIn = 4 * 5 * 6;
        for (int e = 0; e < a.nngp().data().length; e++) {
            double kIn = (a.nngp().data()[e] - 0.04) / 0.81;
            assertRel((nIn - 0.81) * kIn + 1 - 0.04, b.ntk().data()[e] - a.ntk().data()[e], 1e-12, "after Flatten");
        }
        KernelResult oneByOne = Network.parse("Conv(1.1, 0.2, filter=1, parameterization=standard, width=5) Relu Flatten "
                + "Dense(1, 0, parameterization=standard)", registry).kernels(x, x2, shape);
        KernelResult perPixel = Network.parse("Dense(1.1, 0.2, parameterization=standard, width=5) Relu Flatten "
                + "Dense(1, 0, parameterization=standard)", registry).kernels(x, x2, shape);
        for (int e = 0; e < a.nngp().data().length; e++) {
            assertRel(perPixel.ntk().data()[e], oneByOne.ntk().data()[e], 1e-14, "1x1 Conv = per-pixel Dense");
            assertRel(perPixel.nngp().data()[e], oneByOne.nngp().data()[e], 1e-14, "1x1 Conv = per-pixel Dense");
        }
    }

    @Test
    void specsRoundTripAndMistakesNameTheirColumn() {
        Network net = Network.parse("Dense(1.5, 0.1, parameterization=STANDARD, width=512) Relu "
                + "Dense(W_std=1, parameterization=\"ntk\", width=3) Dense(1, 0, parameterization=standard)", registry);
        assertEquals(net, Network.parse(net.spec(), registry));
        assertEquals("Dense(1.5, 0.1, parameterization=standard, width=512)", net.layers().get(0).spec());
        assertEquals("Dense(1, 0, width=3)", net.layers().get(2).spec());
        assertEquals(Layers.standardDense(1.5, 0.1, 512), net.layers().get(0));
        Network conv = Network.parse("Conv(1, 0, filter=3, parameterization=standard, width=8) Relu Flatten "
                + "Dense(1, 0, parameterization=standard)", registry);
        assertEquals(conv, Network.parse(conv.spec(), registry));
        assertColumn(12, "parameterization must be ntk or standard", "Dense Relu Dense(1, 0, parameterization=mup)");
        assertColumn(1, "parameterization must be ntk or standard", "Conv(parameterization=ntk2) Flatten Dense");
        assertColumn(12, "width=N", "Dense Relu Dense(1, 0, parameterization=standard)");
        assertColumn(19, "width=N", "Conv Relu Flatten Dense(1, 0, parameterization=standard)");
        assertColumn(1, "positive whole number", "Dense(width=2.5) Relu Dense");
        assertColumn(1, "positive whole number", "Dense(width=0) Relu Dense");
    }

    private void assertColumn(int column, String text, String spec) {
        SpecException e = assertThrows(SpecException.class, () -> Network.parse(spec, registry));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    static void assertRel(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + " but was " + actual);
    }

    static Matrix random(SplittableRandom rnd, int n, int d) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return Matrix.of(x);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
