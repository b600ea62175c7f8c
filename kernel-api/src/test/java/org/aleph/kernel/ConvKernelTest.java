package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Convolutional kernels (DESIGN.md, "Convolutional networks") against the plain four-index
 * {@link ReferenceConvRecursion} and against identities that must hold exactly: Flatten on a
 * fully connected network, a 1 x 1 convolution as a per-pixel Dense, invariance of circular
 * global pooling to cyclic shifts, symmetry and positive semi-definiteness.
 */
class ConvKernelTest {

    private final ActivationRegistry registry = TestActivations.registry();

    @Test
    void randomConvolutionalNetworksEqualThePlainReference() {
        AtomicInteger pooling = new AtomicInteger();
        AtomicInteger flatten = new AtomicInteger();
        AtomicInteger paddings = new AtomicInteger();
        qt().withExamples(40).forAll(integers().between(0, 1_000_000)).checkAssert(seed -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            ImageShape shape = new ImageShape(2 + rnd.nextInt(4), 2 + rnd.nextInt(4), 1 + rnd.nextInt(3));
            Network net = randomNetwork(rnd, shape);
            if (net.spec().contains("Pool")) {
                pooling.incrementAndGet();
            } else {
                flatten.incrementAndGet();
            }
            if (net.spec().contains("CIRCULAR") || net.spec().contains("VALID")) {
                paddings.incrementAndGet();
            }
            int n1 = 1 + rnd.nextInt(5);
            int n2 = 1 + rnd.nextInt(4);
            double[][] x1 = images(rnd, n1, shape);
            double[][] x2 = images(rnd, n2, shape);
            x2[0] = negated(x1[rnd.nextInt(n1)]);
            KernelResult r = new KernelComputer(net, 2).compute(Matrix.of(x1), Matrix.of(x2), shape);
            KernelResult self = new KernelComputer(net, 2).compute(Matrix.of(x1), null, shape);
            for (int i = 0; i < n1; i++) {
                for (int j = 0; j < n2; j++) {
                    double[] ref = ReferenceConvRecursion.pair(net, image(x1[i], shape), image(x2[j], shape));
                    assertClose(ref[0], r.nngp().get(i, j), net + " nngp (" + i + "," + j + ")");
                    assertClose(ref[1], r.ntk().get(i, j), net + " ntk (" + i + "," + j + ")");
                }
                for (int j = 0; j < n1; j++) {
                    double[] ref = ReferenceConvRecursion.pair(net, image(x1[i], shape), image(x1[j], shape));
                    assertClose(ref[0], self.nngp().get(i, j), net + " self nngp (" + i + "," + j + ")");
                    assertEquals(self.nngp().get(i, j), self.nngp().get(j, i), "symmetric");
                }
                assertEquals(self.nngp().get(i, i), self.var1()[i], "the diagonal is the propagated variance, bit for bit");
            }
        });
        assertTrue(pooling.get() >= 8 && flatten.get() >= 8 && paddings.get() >= 8,
                "coverage: pooling " + pooling + ", flatten " + flatten + ", VALID/CIRCULAR " + paddings);
    }

    @Test
    void leadingAvgPoolsPoolTheImagesAndEqualPoolingTheCovariance() {
        // the plan pools the images themselves; the reference pools the (H W)^2 input covariance
        SplittableRandom rnd = new SplittableRandom(17);
        ImageShape shape = new ImageShape(7, 6, 2);
        double[][] x1 = images(rnd, 4, shape);
        double[][] x2 = images(rnd, 3, shape);
        for (String spec : List.of(
                "AvgPool(window=2) Conv(1.5, 0.1) Relu GlobalAvgPool Dense(1, 0)",
                "AvgPool(window=3, stride=1, padding=SAME) Conv(1.5, 0.1) Relu Flatten Dense(1, 0)",
                "AvgPool(window=2x3, stride=1x2, padding=CIRCULAR) AvgPool(window=2, padding=SAME) Conv(1.2, 0, filter=2) Erf "
                        + "GlobalAvgPool Dense(1, 0)",
                "AvgPool(window=2, stride=1) GlobalAvgPool Dense(1, 0.1) Relu Dense(1, 0)")) {
            Network net = Network.parse(spec, registry);
            KernelResult r = net.kernels(Matrix.of(x1), Matrix.of(x2), shape);
            KernelResult self = net.kernels(Matrix.of(x1), null, shape);
            for (int i = 0; i < x1.length; i++) {
                for (int j = 0; j < x2.length; j++) {
                    double[] ref = ReferenceConvRecursion.pair(net, image(x1[i], shape), image(x2[j], shape));
                    assertClose(ref[0], r.nngp().get(i, j), spec + " nngp");
                    assertClose(ref[1], r.ntk().get(i, j), spec + " ntk");
                }
                assertEquals(self.nngp().get(i, i), self.var1()[i], spec + ": diagonal = variance");
            }
        }
    }

    @Test
    void flattenBeforeAFullyConnectedNetworkEqualsTheNetworkOnFlatVectors() {
        SplittableRandom rnd = new SplittableRandom(7);
        ImageShape shape = new ImageShape(4, 3, 2);
        double[][] x = images(rnd, 6, shape);
        KernelResult conv = Network.parse("Flatten Dense(1.5, 0.1) Relu Dense(2, 0.3) Erf Dense(1, 0)", registry)
                .kernels(Matrix.of(x), null, shape);
        KernelResult flat = Network.parse("Dense(1.5, 0.1) Relu Dense(2, 0.3) Erf Dense(1, 0)", registry)
                .kernels(Matrix.of(x), null);
        assertClose(flat.nngp().data(), conv.nngp().data(), 1e-13);
        assertClose(flat.ntk().data(), conv.ntk().data(), 1e-13);
    }

    @Test
    void aOneByOneConvolutionIsAPerPixelDenseLayer() {
        SplittableRandom rnd = new SplittableRandom(11);
        ImageShape shape = new ImageShape(3, 5, 3);
        double[][] x = images(rnd, 5, shape);
        for (String tail : List.of("Flatten Dense(1, 0)", "GlobalAvgPool Dense(1, 0)")) {
            KernelResult conv = Network.parse("Conv(1.5, 0.2, filter=1) Relu Conv(0.8, 0.1, filter=1) Erf " + tail, registry)
                    .kernels(Matrix.of(x), null, shape);
            KernelResult dense = Network.parse("Dense(1.5, 0.2) Relu Dense(0.8, 0.1) Erf " + tail, registry)
                    .kernels(Matrix.of(x), null, shape);
            assertArrayEquals(dense.nngp().data(), conv.nngp().data(), tail);
            assertArrayEquals(dense.ntk().data(), conv.ntk().data(), tail);
        }
    }

    @Test
    void circularPaddingMakesGlobalPoolingInvariantToCyclicShifts() {
        qt().withExamples(10).forAll(integers().between(0, 1_000_000)).checkAssert(seed -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            ImageShape shape = new ImageShape(3 + rnd.nextInt(3), 3 + rnd.nextInt(3), 1 + rnd.nextInt(2));
            Network net = Network.parse("Conv(1.4, 0.1, filter=3, padding=CIRCULAR) Relu Conv(1.2, 0.05, filter=2x3, padding=CIRCULAR) "
                    + "Erf GlobalAvgPool Dense(1, 0)", registry);
            double[][] x = images(rnd, 3, shape);
            double[][] shifted = new double[3][];
            int dh = rnd.nextInt(shape.height());
            int dw = rnd.nextInt(shape.width());
            for (int i = 0; i < 3; i++) {
                shifted[i] = i == 1 ? shift(x[i], shape, dh, dw) : x[i];
            }
            KernelResult a = net.kernels(Matrix.of(x), null, shape);
            KernelResult b = net.kernels(Matrix.of(shifted), null, shape);
            assertClose(a.nngp().data(), b.nngp().data(), 1e-12);
            assertClose(a.ntk().data(), b.ntk().data(), 1e-12);
        });
    }

    @Test
    void convolutionalKernelsAreSymmetricAndPositiveSemiDefinite() {
        qt().withExamples(15).forAll(integers().between(0, 1_000_000)).checkAssert(seed -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            ImageShape shape = new ImageShape(2 + rnd.nextInt(4), 2 + rnd.nextInt(4), 1 + rnd.nextInt(3));
            Network net = randomNetwork(rnd, shape);
            int n = 2 + rnd.nextInt(10);
            KernelResult r = net.kernels(Matrix.of(images(rnd, n, shape)), null, shape);
            for (Matrix m : List.of(r.nngp(), r.ntk())) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(m.get(i, j), m.get(j, i));
                    }
                }
                double min = smallestCorrelationEigenvalue(m);
                assertTrue(min >= -1e-10, net + ": smallest eigenvalue of the correlation matrix " + min);
            }
        });
    }

    @Test
    void specsRoundTripAndMistakesNameTheirColumn() {
        Network net = Network.parse("Conv(1.5, 0.05, filter=3x5, stride=2x1, padding=valid) Relu AvgPool(window=2, padding=SAME) "
                + "Residual(Conv(1, 0) Relu Conv(1, 0)) LayerNorm Flatten Dense(1, 0)", registry);
        assertEquals(net, Network.parse(net.spec(), registry));
        assertTrue(net.spec().contains("filter=3x5, stride=2x1, padding=VALID"), net.spec());
        assertEquals("AvgPool(window=2, stride=2, padding=SAME)", net.layers().get(2).spec());
        assertColumn(6, "ends with a spatial kernel", "Conv Relu");
        assertColumn(25, "already flat", "Conv Relu Flatten Dense Conv Relu GlobalAvgPool Dense");
        assertColumn(19, "must follow a Dense or Conv", "Conv Relu Flatten Relu Dense");
        assertColumn(1, "stride must be", "Conv(stride=0) Flatten Dense");
        assertColumn(1, "padding must be SAME, VALID or CIRCULAR", "Conv(padding=FULL) Flatten Dense");
        assertColumn(1, "filter must be", "Conv(filter=2.5) Flatten Dense");
        assertColumn(25, "cannot be inside a Residual", "Conv Relu Residual(Conv GlobalAvgPool Dense) Dense");
        SpecException tooLarge = assertThrows(SpecException.class, () -> Network.parse("Conv Relu Conv(filter=5, padding=VALID) Flatten Dense", registry)
                .kernels(Matrix.of(new double[][] {new double[12]}), null, new ImageShape(3, 4, 1)));
        assertEquals(11, tooLarge.column(), tooLarge.getMessage());
        assertTrue(tooLarge.getMessage().contains("larger than the image"), tooLarge.getMessage());
        UserErrorException vectors = assertThrows(UserErrorException.class, () -> Network.parse("Dense Relu Conv Flatten Dense", registry)
                .kernels(Matrix.of(new double[][] {{1, 2}}), null));
        assertTrue(vectors.getMessage().contains("spec column 12 needs images"), vectors.getMessage());
    }

    @Test
    void theJavaBuilderGivesTheParsedNetwork() {
        Layer relu = Layers.activation(registry.create("Relu"));
        Network built = Layers.serial(Layers.conv(1.5, 0.05, 3), relu, Layers.avgPool(2),
                Layers.conv(1.5, 0.05, 3, 5, 2, 1, Layer.Padding.VALID), relu, Layers.globalAvgPool(), Layers.dense(1, 0));
        assertEquals(Network.parse("Conv(1.5, 0.05) Relu AvgPool Conv(1.5, 0.05, filter=3x5, stride=2x1, padding=VALID) Relu "
                + "GlobalAvgPool Dense(1, 0)", registry), built);
        assertTrue(built.takesImages());
        assertEquals(Layers.conv(1.5, 0.05, 3), built.firstSpatialLayer());
        assertEquals(null, Layers.serial(Layers.dense(1, 0)).firstSpatialLayer());
        assertTrue(Layers.serial(Layers.flatten(), Layers.dense(1, 0)).takesImages());
    }

    private void assertColumn(int column, String text, String spec) {
        SpecException e = assertThrows(SpecException.class, () -> Network.parse(spec, registry));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    /** A random convolutional network that fits the shape: conv blocks, pooling, Residual, LayerNorm, a reduction, a readout. */
    private Network randomNetwork(SplittableRandom rnd, ImageShape shape) {
        List<String> acts = List.of("Relu", "Erf", "Identity");
        StringBuilder spec = new StringBuilder();
        int h = shape.height();
        int w = shape.width();
        int blocks = 1 + rnd.nextInt(3);
        boolean pooled = false;
        for (int b = 0; b < blocks; b++) {
            Layer.Padding pad = Layer.Padding.values()[rnd.nextInt(3)];
            int fh = 1 + rnd.nextInt(3);
            int fw = 1 + rnd.nextInt(3);
            int sh = 1 + rnd.nextInt(2);
            int sw = 1 + rnd.nextInt(2);
            if (pad.outputSize(h, fh, sh) < 1 || pad.outputSize(w, fw, sw) < 1) {
                pad = Layer.Padding.SAME;
            }
            spec.append(String.format(java.util.Locale.ROOT, "Conv(%.3f, %.3f, filter=%dx%d, stride=%dx%d, padding=%s) %s ",
                    0.5 + 1.5 * rnd.nextDouble(), rnd.nextInt(3) == 0 ? 0 : rnd.nextDouble(), fh, fw, sh, sw, pad,
                    acts.get(rnd.nextInt(acts.size()))));
            h = pad.outputSize(h, fh, sh);
            w = pad.outputSize(w, fw, sw);
            switch (rnd.nextInt(5)) {
                case 0 -> spec.append("Residual(Conv(0.9, 0.1, filter=3) Relu Conv(1.2, 0.1, filter=3)) ");
                case 1 -> spec.append("LayerNorm ");
                case 2 -> {
                    if (h >= 2 && w >= 2) {
                        spec.append("AvgPool(window=2, padding=").append(rnd.nextBoolean() ? "VALID" : "SAME").append(") ");
                        h = h / 2;
                        w = w / 2;
                        pooled = true;
                    }
                }
                case 3 -> spec.append("Dense(1.1, 0.2) Erf ");
                default -> { }
            }
        }
        boolean gap = pooled ? rnd.nextInt(3) > 0 : rnd.nextBoolean();
        spec.append(gap ? "GlobalAvgPool Dense(1.3, 0.1) Relu " : "Flatten ").append("Dense(1, 0)");
        return Network.parse(spec.toString(), registry);
    }

    /** The smallest eigenvalue of D^-1/2 K D^-1/2 over the rows of non-zero variance (Hipparchus). */
    private static double smallestCorrelationEigenvalue(Matrix m) {
        int[] keep = java.util.stream.IntStream.range(0, m.rows()).filter(i -> m.get(i, i) > 0).toArray();
        if (keep.length == 0) {
            return 0;
        }
        double[][] c = new double[keep.length][keep.length];
        for (int a = 0; a < keep.length; a++) {
            for (int b = 0; b < keep.length; b++) {
                c[a][b] = m.get(keep[a], keep[b]) / Math.sqrt(m.get(keep[a], keep[a]) * m.get(keep[b], keep[b]));
            }
        }
        double[] ev = new org.hipparchus.linear.EigenDecompositionSymmetric(
                new org.hipparchus.linear.Array2DRowRealMatrix(c)).getEigenvalues();
        return java.util.Arrays.stream(ev).min().orElseThrow();
    }

    private static double[][] images(SplittableRandom rnd, int n, ImageShape shape) {
        double[][] x = new double[n][shape.features()];
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(6);
            for (int e = 0; e < x[i].length; e++) {
                x[i][e] = kind == 0 ? 0.0 : rnd.nextGaussian() * (kind == 1 ? 30 : 1);
            }
            if (kind == 2 && i > 0) {
                x[i] = x[i - 1].clone();
            }
        }
        return x;
    }

    private static double[] negated(double[] x) {
        double[] y = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            y[e] = -x[e];
        }
        return y;
    }

    private static double[] shift(double[] x, ImageShape s, int dh, int dw) {
        double[] y = new double[x.length];
        int c = s.channels();
        for (int h = 0; h < s.height(); h++) {
            for (int w = 0; w < s.width(); w++) {
                int from = (h * s.width() + w) * c;
                int to = (((h + dh) % s.height()) * s.width() + (w + dw) % s.width()) * c;
                System.arraycopy(x, from, y, to, c);
            }
        }
        return y;
    }

    private static double[][][] image(double[] row, ImageShape s) {
        double[][][] img = new double[s.height()][s.width()][s.channels()];
        for (int h = 0; h < s.height(); h++) {
            for (int w = 0; w < s.width(); w++) {
                for (int c = 0; c < s.channels(); c++) {
                    img[h][w][c] = row[(h * s.width() + w) * s.channels() + c];
                }
            }
        }
        return img;
    }

    private static void assertClose(double expected, double actual, String what) {
        double tol = 1e-12 * Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= tol, what + ": expected " + expected + " got " + actual);
    }

    private static void assertClose(double[] expected, double[] actual, double rel) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], actual[e], rel * Math.max(scale, 1e-300), "entry " + e);
        }
    }
}
