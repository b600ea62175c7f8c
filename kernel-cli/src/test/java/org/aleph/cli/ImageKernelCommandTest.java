package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aleph kernel} on images (issue 12): NHWC {@code .npy} of shape (n, H, W, C) or
 * (n, H, W), 2-D files with {@code --shape}, against the library called directly on the same
 * arrays; and every image mistake exits 2 with one sentence and writes nothing.
 */
class ImageKernelCommandTest {

    static final int H = 5;
    static final int W = 4;
    static final int C = 2;
    static final ImageShape SHAPE = new ImageShape(H, W, C);
    /** Pools (full spatial covariance), strides, VALID and SAME, two activations. */
    static final String POOLING = "Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu AvgPool(window=2,padding=SAME) "
            + "Conv(1.2,0.1,filter=2,padding=VALID) Erf GlobalAvgPool Dense(1,0)";
    /** Reduces by Flatten alone (diagonal spatial covariance). */
    static final String FLATTEN = "Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu Conv(1.5,0.05,filter=3x1,stride=2x1,padding=CIRCULAR) "
            + "Relu Flatten Dense(1,0)";

    @TempDir
    Path dir;

    double[] a;
    double[] b;

    @BeforeEach
    void images() {
        SplittableRandom r = new SplittableRandom(12);
        a = new double[4 * SHAPE.features()];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        int f = SHAPE.features();
        for (int k = 0; k < f; k++) {
            a[3 * f + k] = -a[k]; // image 3 is image 0 negated: rho = -1 at the input
        }
        b = new double[3 * f];
        for (int i = 0; i < f; i++) {
            b[i] = 0; // a zero image
            b[f + i] = a[f + i]; // a duplicate of X1's image 1
            b[2 * f + i] = 3 * r.nextGaussian();
        }
    }

    private Path npy(String name, double[] values, int... shape) throws IOException {
        Path p = dir.resolve(name);
        NpyArrays.write(p, values, shape);
        return p;
    }

    private KernelResult library(String net, double[] x1, double[] x2, ImageShape shape) {
        int f = shape.features();
        return new KernelComputer(Network.parse(net), 1).compute(Matrix.wrap(x1.length / f, f, x1),
                x2 == null ? null : Matrix.wrap(x2.length / f, f, x2), shape);
    }

    private static void ok(Cli.Result r) {
        assertEquals(0, r.status(), r::toString);
    }

    private double[] read(String name) {
        return MatrixFiles.read(dir.resolve(name), name).data();
    }

    @Test
    void fourDimensionalNpyGivesTheLibrarysKernelsAndReportsTheShape() throws IOException {
        Path x1 = npy("x1.npy", a, 4, H, W, C);
        Path x2 = npy("x2.npy", b, 3, H, W, C);
        for (String net : List.of(POOLING, FLATTEN)) {
            Cli.Result r = Cli.run("kernel", "--net", net, "--x1", x1.toString(), "--x2", x2.toString(), "--threads", "1",
                    "--nngp", dir.resolve("k.npy").toString(), "--ntk", dir.resolve("t.csv").toString(),
                    "--var1", dir.resolve("v1.npy").toString(), "--var2", dir.resolve("v2.npy").toString(), "--json");
            ok(r);
            KernelResult expected = library(net, a, b, SHAPE);
            assertArrayEquals(expected.nngp().data(), read("k.npy"), 0.0, net);
            assertArrayEquals(expected.ntk().data(), read("t.csv"), 0.0, net);
            assertArrayEquals(expected.var1(), read("v1.npy"), 0.0, net);
            assertArrayEquals(expected.var2(), read("v2.npy"), 0.0, net);
            Map<String, Object> j = MiniJson.object(r.out());
            assertEquals(List.of(5.0, 4.0, 2.0), numbers(j.get("image_shape")), r::toString);
            assertEquals(List.of(5.0, 4.0, 2.0), numbers(((Map<?, ?>) j.get("x1")).get("image_shape")), r::toString);
            assertEquals(40.0, ((Number) ((Map<?, ?>) j.get("x2")).get("cols")).doubleValue());
        }
        // The text summary names the image shape too.
        Cli.Result text = Cli.run("kernel", "--net", FLATTEN, "--x1", x1.toString());
        ok(text);
        assertTrue(text.out().contains("5x4x2"), text::toString);
    }

    @Test
    void threeDimensionalNpyIsOneChannelImages() throws IOException {
        double[] gray = java.util.Arrays.copyOf(a, 4 * H * W);
        Path three = npy("g3.npy", gray, 4, H, W);
        Path four = npy("g4.npy", gray, 4, H, W, 1);
        ok(Cli.run("kernel", "--net", POOLING, "--x1", three.toString(), "--nngp", dir.resolve("k3.npy").toString(),
                "--ntk", dir.resolve("t3.npy").toString(), "--threads", "1"));
        ok(Cli.run("kernel", "--net", POOLING, "--x1", four.toString(), "--nngp", dir.resolve("k4.npy").toString(),
                "--ntk", dir.resolve("t4.npy").toString(), "--threads", "1"));
        assertArrayEquals(read("k4.npy"), read("k3.npy"), 0.0);
        assertArrayEquals(read("t4.npy"), read("t3.npy"), 0.0);
        KernelResult expected = library(POOLING, gray, null, new ImageShape(H, W, 1));
        assertArrayEquals(expected.nngp().data(), read("k3.npy"), 0.0);
        // The shape matters: the same numbers read as W x H images give other kernels.
        KernelResult transposed = library(POOLING, gray, null, new ImageShape(W, H, 1));
        assertFalse(java.util.Arrays.equals(transposed.nngp().data(), read("k3.npy")));
    }

    @Test
    void csvOrTwoDimensionalNpyWithShapeEqualsTheImageNpy() throws IOException {
        Path x1 = npy("x1.npy", a, 4, H, W, C);
        Path csv = dir.resolve("x1.csv");
        MatrixFiles.write(csv, Matrix.wrap(4, SHAPE.features(), a), "csv");
        Path flat = npy("flat.npy", a, 4, SHAPE.features());
        ok(Cli.run("kernel", "--net", POOLING, "--x1", x1.toString(), "--nngp", dir.resolve("k.npy").toString(), "--threads", "1"));
        ok(Cli.run("kernel", "--net", POOLING, "--x1", csv.toString(), "--shape", "5,4,2", "--nngp", dir.resolve("kc.npy").toString(),
                "--threads", "1"));
        ok(Cli.run("kernel", "--net", POOLING, "--x1", flat.toString(), "--shape", "5x4x2", "--nngp", dir.resolve("kf.npy").toString(),
                "--threads", "1"));
        assertArrayEquals(read("k.npy"), read("kc.npy"), 0.0);
        assertArrayEquals(read("k.npy"), read("kf.npy"), 0.0);
        // H,W means one channel: the CSV of gray images equals the (n, H, W) .npy.
        double[] gray = java.util.Arrays.copyOf(a, 4 * H * W);
        Path g3 = npy("g3.npy", gray, 4, H, W);
        Path gcsv = dir.resolve("g.csv");
        MatrixFiles.write(gcsv, Matrix.wrap(4, H * W, gray), "csv");
        ok(Cli.run("kernel", "--net", FLATTEN, "--x1", g3.toString(), "--ntk", dir.resolve("g3.npy.out.npy").toString()));
        ok(Cli.run("kernel", "--net", FLATTEN, "--x1", gcsv.toString(), "--shape", "5,4", "--ntk", dir.resolve("gc.npy").toString()));
        assertArrayEquals(read("g3.npy.out.npy"), read("gc.npy"), 0.0);
        // An image .npy with the --shape it already has is accepted.
        ok(Cli.run("kernel", "--net", POOLING, "--x1", x1.toString(), "--shape", "5,4,2"));
    }

    @Test
    void flattenFirstOnImagesEqualsTheFullyConnectedNetworkOnFlatRows() throws IOException {
        Path x1 = npy("x1.npy", a, 4, H, W, C);
        Path x2 = npy("x2.npy", b, 3, H, W, C);
        Path c1 = dir.resolve("x1.csv");
        Path c2 = dir.resolve("x2.csv");
        MatrixFiles.write(c1, Matrix.wrap(4, SHAPE.features(), a), "csv");
        MatrixFiles.write(c2, Matrix.wrap(3, SHAPE.features(), b), "csv");
        String fc = "Dense(1.5,0.05) Relu Dense(1.2,0.1) Erf Dense(1,0)";
        ok(Cli.run("kernel", "--net", "Flatten " + fc, "--x1", x1.toString(), "--x2", x2.toString(),
                "--nngp", dir.resolve("k.npy").toString(), "--ntk", dir.resolve("t.npy").toString()));
        ok(Cli.run("kernel", "--net", fc, "--x1", c1.toString(), "--x2", c2.toString(),
                "--nngp", dir.resolve("kf.npy").toString(), "--ntk", dir.resolve("tf.npy").toString()));
        // Flatten averages S[p, p] = sum_c x[p, c] x'[p, c] / C over the H W pixels: x.x' / (H W C), the dense input kernel.
        assertClose(read("kf.npy"), read("k.npy"), 1e-13);
        assertClose(read("tf.npy"), read("t.npy"), 1e-13);
        // And the fully connected network reads images flat: the same kernels whether the rows came as images or not.
        ok(Cli.run("kernel", "--net", fc, "--x1", x1.toString(), "--x2", x2.toString(),
                "--nngp", dir.resolve("ki.npy").toString(), "--ntk", dir.resolve("ti.npy").toString()));
        assertArrayEquals(read("kf.npy"), read("ki.npy"), 0.0);
        assertArrayEquals(read("tf.npy"), read("ti.npy"), 0.0);
    }

    private static void assertClose(double[] expected, double[] actual, double relative) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relative * scale, "entry " + i);
        }
    }

    private static List<Double> numbers(Object list) {
        return ((List<?>) list).stream().map(o -> ((Number) o).doubleValue()).toList();
    }

    // ---- mistakes: exit 2, one sentence naming the place, nothing written ----

    private void userError(String net, List<String> inputs, String... words) {
        Path out = dir.resolve("never.npy");
        String[] args = new String[5 + inputs.size()];
        args[0] = "kernel";
        args[1] = "--net";
        args[2] = net;
        args[3] = "--nngp";
        args[4] = out.toString();
        for (int i = 0; i < inputs.size(); i++) {
            args[5 + i] = inputs.get(i);
        }
        Cli.Result r = Cli.run(args);
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.noStackTrace(), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertEquals("", r.out(), r::toString);
        for (String w : words) {
            assertTrue(r.err().contains(w), () -> "expected '" + w + "' in\n" + r);
        }
        assertFalse(Files.exists(out), "nothing may be written");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("never")), "no temporary file left");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void convOnPlainVectorsNamesTheSpecColumnAndHowToGiveImages() throws IOException {
        Path csv = dir.resolve("plain.csv");
        MatrixFiles.write(csv, Matrix.wrap(4, SHAPE.features(), a), "csv");
        userError("Dense(1,0) Relu Residual(Dense(1,0) Relu Conv(1,0)) Flatten Dense", List.of("--x1", csv.toString()),
                "spec column 42", "Conv", "needs images", "plain.csv", "--shape H,W,C", "(n, H, W, C)");
        // X1 images, X2 plain: the sentence names both files and the --shape that would read X2 as X1's images.
        Path x1 = npy("x1.npy", a, 4, H, W, C);
        userError(FLATTEN, List.of("--x1", x1.toString(), "--x2", csv.toString()),
                "spec column 1", "--x2 " + csv, "--shape 5,4,2", "x1.npy");
    }

    @Test
    void imageShapesOfX1AndX2MustAgree() throws IOException {
        Path x1 = npy("x1.npy", a, 4, H, W, C);
        Path x2 = npy("x2.npy", b, 3, W, H, C); // the same number of values, transposed shape
        userError(FLATTEN, List.of("--x1", x1.toString(), "--x2", x2.toString()), "x1.npy", "x2.npy", "5x4x2", "4x5x2");
        // Also for a fully connected network: the files disagree about what a row is.
        userError("Dense Relu Dense", List.of("--x1", x1.toString(), "--x2", x2.toString()), "x1.npy", "x2.npy");
        // And an image file against a --shape that says otherwise.
        userError(FLATTEN, List.of("--x1", x1.toString(), "--shape", "4,5,2"), "x1.npy", "--shape", "5x4x2", "4x5x2");
    }

    @Test
    void layersThatDoNotFitOrAreMalformedNameTheSpecColumn() throws IOException {
        Path x1 = npy("x1.npy", a, 4, H, W, C);
        List<String> in = List.of("--x1", x1.toString());
        userError("Conv(1,0,filter=3) Relu Conv(1,0,filter=6,padding=VALID) Relu Flatten Dense", in,
                "spec column 25", "filter height 6", "VALID");
        userError("Conv(1,0,stride=0) Relu Flatten Dense", in, "spec column 1", "stride", "0");
        userError("Conv(1,0,padding=REFLECT) Relu Flatten Dense", in, "spec column 1", "padding", "REFLECT");
        userError("Conv(1,0) Relu Conv(1,0)", in, "spec column 16", "Flatten or GlobalAvgPool");
        userError("AvgPool(window=6) GlobalAvgPool Dense", in, "spec column 1", "window height 6", "VALID");
    }

    @Test
    void malformedOrMismatchedShapeOptionNamesTheOptionAndTheFile() throws IOException {
        Path csv = dir.resolve("plain.csv");
        MatrixFiles.write(csv, Matrix.wrap(4, SHAPE.features(), a), "csv");
        List<String> in = List.of("--x1", csv.toString());
        userError(FLATTEN, concat(in, "--shape", "3,3,2"), "plain.csv", "--shape", "40 values", "H*W*C = 18");
        userError(FLATTEN, concat(in, "--shape", "5,4,2,1"), "--shape", "H,W,C");
        userError(FLATTEN, concat(in, "--shape", "five,4"), "--shape", "H,W,C");
        userError(FLATTEN, concat(in, "--shape", "40"), "--shape", "H,W,C");
        userError(FLATTEN, concat(in, "--shape=-5,4,2"), "--shape", "at least 1");
        userError(FLATTEN, concat(in, "--shape", "5,0,2"), "--shape", "W is 0", "at least 1");
        userError("Dense Relu Dense", concat(in, "--shape", "3,3"), "plain.csv", "--shape", "H*W*C = 9");
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(more));
        return all;
    }
}
