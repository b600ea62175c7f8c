package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The branching combinators (FanOut, Parallel, FanInSum, FanInProd, FanInConcat, Repeat) against
 * identities and closed forms that do not use the branch code: Residual(f) is the same network as
 * FanOut(2) Parallel(Identity; f) FanInSum; a concatenation of equal branches is one branch;
 * Repeat(3, f) is f f f; the sum of two Dense branches is twice one branch (fresh weights: no
 * cross term); the sum of two identical streams is 4 K; x + Relu(x) has the arc-cosine closed form
 * with Stein's cross term; a product of independent branches is the entry-wise product of the
 * branches' kernels (with the NTK's product rule). Then symmetry and positive semi-definiteness,
 * round trips of specs and the column of every mistake.
 */
class BranchingKernelTest {

    private static final ActivationRegistry REGISTRY = TestActivations.registry();
    private static final ImageShape SHAPE = new ImageShape(4, 5, 2);

    private static Network net(String spec) {
        return Network.parse(spec, REGISTRY);
    }

    private static Matrix inputs(long seed, int n, int d) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int c = 0; c < d; c++) {
                row[c] = r.nextGaussian();
            }
        }
        x[n - 1] = x[0].clone(); // a duplicate: rho = 1
        return Matrix.of(x);
    }

    private static KernelResult flat(String spec, Matrix x) {
        return new KernelComputer(net(spec), 2).compute(x, null);
    }

    private static KernelResult conv(String spec, Matrix x) {
        return new KernelComputer(net(spec), 2).compute(x, null, SHAPE);
    }

    private static void same(KernelResult a, KernelResult b, double tol) {
        close(a.nngp().data(), b.nngp().data(), tol);
        close(a.ntk().data(), b.ntk().data(), tol);
        close(a.var1(), b.var1(), tol);
    }

    private static void close(double[] a, double[] b, double tol) {
        assertEquals(a.length, b.length);
        for (int e = 0; e < a.length; e++) {
            double scale = Math.max(1e-300, Math.max(Math.abs(a[e]), Math.abs(b[e])));
            int ee = e;
            assertTrue(Math.abs(a[e] - b[e]) <= tol * scale, () -> "entry " + ee + ": " + a[ee] + " vs " + b[ee]);
        }
    }

    @Test
    void residualIsFanOutParallelIdentityFanInSumExactly() {
        Matrix x = inputs(1, 5, 3);
        for (String f : List.of("Relu Dense(1.2, 0.1)", "Relu", "Erf", "Dense(0.8, 0.2)", "Erf Dense(1, 0) Relu Dense(1.1, 0)")) {
            KernelResult r = flat("Dense(1.3, 0.1) Residual(" + f + ") Dense(1, 0.1)", x);
            KernelResult b = flat("Dense(1.3, 0.1) FanOut(2) Parallel(Identity; " + f + ") FanInSum Dense(1, 0.1)", x);
            same(r, b, 0);
        }
        Matrix img = inputs(2, 4, SHAPE.features());
        for (String f : List.of("Relu Conv(1.2, 0.1)", "Relu")) {
            KernelResult r = conv("Conv(1.3, 0.1) Residual(" + f + ") GlobalAvgPool Dense(1, 0)", img);
            KernelResult b = conv("Conv(1.3, 0.1) FanOut(2) Parallel(Identity; " + f + ") FanInSum GlobalAvgPool Dense(1, 0)", img);
            same(r, b, 0);
        }
    }

    @Test
    void concatenationOfEqualBranchesIsOneBranch() {
        Matrix x = inputs(3, 5, 4);
        same(flat("Dense(1.2, 0.1) FanOut(3) Parallel(Relu Dense(1.5, 0.1); Relu Dense(1.5, 0.1); Relu Dense(1.5, 0.1)) "
                + "FanInConcat Dense(1, 0)", x), flat("Dense(1.2, 0.1) Relu Dense(1.5, 0.1) Dense(1, 0)", x), 1e-14);
        same(flat("Dense(1.2, 0.1) FanOut(2) FanInConcat Dense(1, 0)", x),
                flat("Dense(1.2, 0.1) Dense(1, 0)", x), 1e-14);
        Matrix img = inputs(4, 3, SHAPE.features());
        same(conv("Conv(1.2, 0.1) Relu FanOut(2) Parallel(Conv(1.5, 0); Conv(1.5, 0)) FanInConcat Flatten Dense(1, 0)", img),
                conv("Conv(1.2, 0.1) Relu Conv(1.5, 0) Flatten Dense(1, 0)", img), 1e-14);
    }

    @Test
    void repeatIsTheBodyWrittenOut() {
        Matrix x = inputs(5, 4, 3);
        same(flat("Dense(1, 0.1) Repeat(3, Relu Dense(1.4, 0.1)) Erf Dense(1, 0)", x),
                flat("Dense(1, 0.1) Relu Dense(1.4, 0.1) Relu Dense(1.4, 0.1) Relu Dense(1.4, 0.1) Erf Dense(1, 0)", x), 0);
        same(flat("Dense Repeat(2, Residual(Relu Dense(0.7, 0)) FanOut(2) Parallel(Identity; Erf) FanInSum Dense(0.5, 0)) Dense", x),
                flat("Dense Residual(Relu Dense(0.7, 0)) FanOut(2) Parallel(Identity; Erf) FanInSum Dense(0.5, 0) "
                        + "Residual(Relu Dense(0.7, 0)) FanOut(2) Parallel(Identity; Erf) FanInSum Dense(0.5, 0) Dense", x), 0);
        Matrix img = inputs(6, 3, SHAPE.features());
        same(conv("Conv(1.2, 0.1) Repeat(2, Relu Conv(1.5, 0.1)) GlobalAvgPool Dense(1, 0)", img),
                conv("Conv(1.2, 0.1) Relu Conv(1.5, 0.1) Relu Conv(1.5, 0.1) GlobalAvgPool Dense(1, 0)", img), 0);
    }

    @Test
    void sumOfTwoFreshDenseBranchesIsTwiceOneBranch() {
        Matrix x = inputs(7, 5, 3);
        KernelResult sum = flat("Dense(1.2, 0.3) Relu FanOut(2) Parallel(Dense(1.5, 0.2); Dense(1.5, 0.2)) FanInSum", x);
        KernelResult one = flat("Dense(1.2, 0.3) Relu Dense(1.5, 0.2)", x);
        close(sum.nngp().data(), scaled(one.nngp().data(), 2), 1e-15);
        close(sum.ntk().data(), scaled(one.ntk().data(), 2), 1e-15);
        Matrix img = inputs(8, 3, SHAPE.features());
        KernelResult csum = conv("Conv(1.2, 0.1) Relu FanOut(2) Parallel(Conv(1.5, 0.2); Conv(1.5, 0.2)) FanInSum GlobalAvgPool", img);
        KernelResult cone = conv("Conv(1.2, 0.1) Relu Conv(1.5, 0.2) GlobalAvgPool", img);
        close(csum.nngp().data(), scaled(cone.nngp().data(), 2), 1e-14);
        close(csum.ntk().data(), scaled(cone.ntk().data(), 2), 1e-14);
    }

    @Test
    void identicalStreamsAreFullyCorrelated() {
        Matrix x = inputs(9, 5, 3);
        KernelResult two = flat("Dense(1.2, 0.3) FanOut(2) FanInSum", x);
        KernelResult three = flat("Dense(1.2, 0.3) FanOut(3) Parallel(Relu; Relu; Relu) FanInSum", x);
        KernelResult one = flat("Dense(1.2, 0.3)", x);
        KernelResult relu = flat("Dense(1.2, 0.3) Relu", x);
        close(two.nngp().data(), scaled(one.nngp().data(), 4), 1e-15);
        close(two.ntk().data(), scaled(one.ntk().data(), 4), 1e-15);
        close(three.nngp().data(), scaled(relu.nngp().data(), 9), 1e-15);
        close(three.ntk().data(), scaled(relu.ntk().data(), 9), 1e-15);
    }

    /** x + Relu(x) on x = Dense(1, 0)(input): K = 2 K0 + K_relu, T = K0 (2 + (pi - theta) / (2 pi)) (Stein: E[u relu(v)] = K0 / 2). */
    @Test
    void identityPlusReluHasTheSteinClosedForm() {
        Matrix x = inputs(10, 6, 3);
        KernelResult r = flat("Dense(1, 0) Residual(Relu)", x);
        int n = x.rows();
        int d = x.cols();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double k12 = 0;
                double k11 = 0;
                double k22 = 0;
                for (int c = 0; c < d; c++) {
                    k12 += x.get(i, c) * x.get(j, c) / d;
                    k11 += x.get(i, c) * x.get(i, c) / d;
                    k22 += x.get(j, c) * x.get(j, c) / d;
                }
                double cos = Math.max(-1, Math.min(1, k12 / Math.sqrt(k11 * k22)));
                double theta = Math.acos(cos);
                double kRelu = Math.sqrt(k11 * k22) / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * cos);
                assertEquals(2 * k12 + kRelu, r.nngp().get(i, j), 1e-12 * Math.sqrt(k11 * k22));
                assertEquals(k12 * (2 + (Math.PI - theta) / (2 * Math.PI)), r.ntk().get(i, j), 1e-12 * Math.sqrt(k11 * k22));
            }
        }
    }

    /**
     * relu(g) + relu(h), h = Dense(1, 0)(relu(g)) independent of g: K = K_a + K_b + m_a(x) m_b(x') + m_b(x) m_a(x')
     * with the Relu means m = sqrt(q / (2 pi)), T = T_a + T_b (no cross-NTK through fresh weights).
     */
    @Test
    void independentStreamsWithNonzeroMeansAddTheProductOfTheirMeans() {
        Matrix x = inputs(13, 6, 3);
        KernelResult sum = flat("Dense(1, 0) Relu FanOut(2) Parallel(Identity; Dense(1, 0) Relu) FanInSum", x);
        KernelResult g = flat("Dense(1, 0)", x);
        KernelResult a = flat("Dense(1, 0) Relu", x);
        KernelResult b = flat("Dense(1, 0) Relu Dense(1, 0) Relu", x);
        int n = x.rows();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ma = Math.sqrt(g.var1()[i] / (2 * Math.PI));
                double mb = Math.sqrt(a.var1()[i] / (2 * Math.PI));
                double na = Math.sqrt(g.var1()[j] / (2 * Math.PI));
                double nb = Math.sqrt(a.var1()[j] / (2 * Math.PI));
                double k = a.nngp().get(i, j) + b.nngp().get(i, j) + ma * nb + mb * na;
                double scale = Math.sqrt(g.var1()[i] * g.var1()[j]);
                assertEquals(k, sum.nngp().get(i, j), 1e-13 * scale);
                assertEquals(a.ntk().get(i, j) + b.ntk().get(i, j), sum.ntk().get(i, j), 1e-13 * scale);
            }
        }
    }

    @Test
    void productOfIndependentBranchesFollowsTheProductRule() {
        Matrix x = inputs(11, 5, 3);
        KernelResult prod = flat("Dense(1.1, 0.2) Relu FanOut(2) Parallel(Dense(1.5, 0.2); Dense(0.7, 0.4)) FanInProd", x);
        KernelResult a = flat("Dense(1.1, 0.2) Relu Dense(1.5, 0.2)", x);
        KernelResult b = flat("Dense(1.1, 0.2) Relu Dense(0.7, 0.4)", x);
        double[] k = new double[a.nngp().data().length];
        double[] t = new double[k.length];
        for (int e = 0; e < k.length; e++) {
            k[e] = a.nngp().data()[e] * b.nngp().data()[e];
            t[e] = a.ntk().data()[e] * b.nngp().data()[e] + a.nngp().data()[e] * b.ntk().data()[e];
        }
        close(prod.nngp().data(), k, 1e-14);
        close(prod.ntk().data(), t, 1e-14);
        // on 1x1 images a 1x1 Conv is a Dense layer: the spatial recursion (both its diagonal and full
        // forms) gives the fully connected kernels of the same branches
        ImageShape pixel = new ImageShape(1, 1, 3);
        for (String[] pair : new String[][] {
                {"Conv(1.1, 0.2, filter=1) Relu FanOut(2) Parallel(Conv(1.5, 0.2, filter=1); Conv(0.7, 0.4, filter=1)) FanInProd ",
                    "Dense(1.1, 0.2) Relu FanOut(2) Parallel(Dense(1.5, 0.2); Dense(0.7, 0.4)) FanInProd"},
                {"Conv(1, 0, filter=1) Residual(Relu) Conv(0.9, 0.1, filter=1) FanOut(2) Parallel(Identity; Erf) FanInSum ",
                    "Dense(1, 0) Residual(Relu) Dense(0.9, 0.1) FanOut(2) Parallel(Identity; Erf) FanInSum"}}) {
            for (String reduce : List.of("Flatten", "GlobalAvgPool")) {
                KernelResult c = new KernelComputer(net(pair[0] + reduce), 2).compute(x, null, pixel);
                same(c, flat(pair[1], x), 1e-14);
            }
        }
    }

    @Test
    void branchedKernelsAreSymmetricAndPositiveSemidefinite() {
        List<String> specs = List.of(
                "Dense(1.3, 0.1) FanOut(3) Parallel(Identity; Relu Dense(1.2, 0); Erf) FanInSum Dense",
                "Dense(1.3, 0.1) FanOut(2) Parallel(Relu Dense(1.5, 0.1); Erf Dense(1, 0.2)) FanInProd Dense",
                "Dense(1.3, 0.1) FanOut(2) Parallel(Relu; Erf Dense) FanInConcat Dense",
                "Dense Repeat(3, Residual(Relu) Dense(0.6, 0.1)) Relu Dense",
                "Dense(1.1, 0.2) Relu FanOut(3) Parallel(Identity; Dense(1.3, 0.1) Erf; Dense Relu LayerNorm) FanInSum Dense",
                "Dense FanOut(2) Parallel(FanOut(2) Parallel(Identity; Relu) FanInSum Dense; Identity) FanInSum Relu Dense");
        qt().withFixedSeed(99L).withShrinkCycles(0).withExamples(15).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            Network net = net(specs.get(r.nextInt(specs.size())));
            double[][] x = RandomCases.inputs(r, 2 + r.nextInt(8), 1 + r.nextInt(4));
            KernelResult k = net.kernels(Matrix.of(x), null);
            for (Matrix m : List.of(k.nngp(), k.ntk())) {
                for (int i = 0; i < m.rows(); i++) {
                    for (int j = 0; j < m.rows(); j++) {
                        assertEquals(m.get(i, j), m.get(j, i));
                    }
                }
                assertTrue(smallestCorrelationEigenvalue(m) >= -1e-10, net + ": not positive semi-definite");
            }
            for (int i = 0; i < x.length; i++) {
                assertEquals(k.var1()[i], k.nngp().get(i, i), 1e-12 * Math.max(1, k.var1()[i]));
            }
        });
    }

    @Test
    void specsRoundTrip() {
        for (String spec : List.of("Dense FanOut(2) Parallel(Identity; Relu Dense(1.2, 0)) FanInSum Dense",
                "Dense FanOut(3) FanInSum Dense", "Dense FanOut(2) Parallel(Relu; Dense) Parallel(Dense; Identity) FanInConcat Dense",
                "Dense Repeat(2, Relu FanOut(2) Parallel(Dense; Dense) FanInProd Dense) Dense", "Dense FanOut(2) Parallel(; Erf) FanInSum Dense")) {
            Network n = net(spec);
            assertEquals(n, net(n.spec()), spec);
        }
        assertEquals("FanOut(2) Parallel(Relu Dense(1, 0); Dense(1, 0) Identity) FanInConcat",
                net("Dense FanOut(2) Parallel(Relu; Dense) Parallel(Dense; Identity) FanInConcat Dense").layers().get(1).spec());
        assertEquals(net("Dense Residual(Relu) Dense"), Layers.serial(Layers.dense(), Layers.residual(
                new Layer.Nonlinearity(REGISTRY.create("Relu"))), Layers.dense()));
        assertEquals("Repeat(3, Relu Dense(1, 0))", Layers.repeat(3, new Layer.Nonlinearity(REGISTRY.create("Relu")), Layers.dense()).spec());
    }

    @Test
    void mistakesNameTheirColumn() {
        assertColumn(17, "Parallel has 2 branches but FanOut(3)", "Dense FanOut(3) Parallel(Relu; Dense) FanInSum Dense");
        assertColumn(7, "joins streams, but none is open", "Dense FanInSum Dense");
        assertColumn(7, "joins streams, but none is open", "Dense FanInConcat Dense");
        assertColumn(7, "Parallel needs a FanOut(k) before it", "Dense Parallel(Relu; Dense) FanInSum Dense");
        assertColumn(7, "must be joined", "Dense FanOut(2) Parallel(Relu; Dense) Dense");
        assertColumn(7, "the end of the spec", "Dense FanOut(2)");
        assertColumn(26, "must be joined", "Dense FanOut(2) Parallel(FanOut(2) Parallel(Relu; Dense); Dense) FanInSum Dense");
        assertColumn(14, "whole number of copies from 1", "Dense Repeat(0, Dense) Dense");
        assertColumn(14, "whole number of copies from 1", "Dense Repeat(2.5, Dense) Dense");
        assertColumn(7, "nothing to repeat", "Dense Repeat(2, ) Dense");
        assertColumn(7, "from 2 to 1024", "Dense FanOut(1) FanInSum Dense");
        assertColumn(11, "';' separates the branches", "Dense Relu; Dense");
        assertColumn(7, "not independent", "Dense FanOut(2) Parallel(Identity; Relu) FanInProd Dense");
        assertColumn(7, "no exact rule", "Dense FanOut(2) Parallel(Relu; Erf) FanInSum Dense");
        assertColumn(1, "product of their means", "FanOut(2) Parallel(Identity; Dense Relu) FanInSum Dense");
        assertColumn(1, "does not end at the common width", "FanOut(2) Parallel(Identity; Dense) FanInConcat Dense");
        assertColumn(19, "does not end at the common width", "Conv Relu Flatten FanOut(2) Parallel(Identity; Dense) FanInConcat Dense");
        assertColumn(7, "does not end at the common width",
                "Dense FanOut(2) Parallel(FanOut(2) Parallel(Relu; Erf) FanInConcat; Dense) FanInConcat Dense");
        assertColumn(11, "not per pixel", "Conv Relu FanOut(2) Parallel(Identity; Conv Relu) FanInSum Flatten Dense");
        assertColumn(51, "the output of FanInConcat", "Dense FanOut(2) Parallel(Relu; Dense) FanInConcat Relu Dense");
        assertColumn(35, "cannot be inside a Parallel branch",
                "Conv Relu FanOut(2) Parallel(Conv Flatten; Conv Flatten) FanInSum Dense");
        assertColumn(26, "cannot be inside Repeat", "Conv Relu Repeat(1, Conv Flatten) Dense");
        assertColumn(37, "missing ')' to close Parallel(", "Dense FanOut(2) Parallel(Relu; Dense");
        assertColumn(38, "joins streams, but none is open", "Dense FanOut(2) Parallel(Relu; Dense FanInSum");
        SpecException nested = assertThrows(SpecException.class,
                () -> net("Dense " + "Repeat(2, ".repeat(SpecParser.MAX_NESTING + 1) + "Dense" + ")".repeat(SpecParser.MAX_NESTING + 1)));
        assertTrue(nested.getMessage().contains("nested more than"), nested.getMessage());
        SpecException size = assertThrows(SpecException.class, () -> conv(
                "Conv Relu FanOut(2) Parallel(Conv(stride=2); Conv) FanInSum GlobalAvgPool Dense", inputs(1, 2, SHAPE.features())));
        assertEquals(11, size.column());
        assertTrue(size.getMessage().contains("cannot be joined"), size.getMessage());
    }

    private static void assertColumn(int column, String text, String spec) {
        SpecException e = assertThrows(SpecException.class, () -> net(spec), spec);
        assertTrue(e.getMessage().contains(text), spec + " -> " + e.getMessage());
        assertEquals(column, e.column(), spec + " -> " + e.getMessage());
    }

    private static double[] scaled(double[] a, double s) {
        double[] out = new double[a.length];
        for (int e = 0; e < a.length; e++) {
            out[e] = s * a[e];
        }
        return out;
    }

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
        double[] ev = new org.hipparchus.linear.EigenDecompositionSymmetric(new org.hipparchus.linear.Array2DRowRealMatrix(c))
                .getEigenvalues();
        return java.util.Arrays.stream(ev).min().orElse(0);
    }
}
