package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.aleph.kernel.dynamics.Prediction;
import org.aleph.kernel.dynamics.Uncertainty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aleph predict} and {@code aleph classify} with convolutional specs on tiny image data,
 * against the library called directly: the train-train, test-train and test-test kernels all
 * see the image shape, and IDX images keep their H x W shape through the preprocessing.
 */
class ImagePredictClassifyTest {

    static final String CNN = "Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu "
            + "Flatten Dense(1,0)";
    static final String POOLING = "Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu AvgPool(window=2) "
            + "Conv(1.5,0.05,filter=2,stride=1,padding=VALID) Relu GlobalAvgPool Dense(1,0)";

    @TempDir
    Path dir;

    private static double[] gaussian(SplittableRandom r, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextGaussian();
        }
        return d;
    }

    @Test
    void predictOnImagesEqualsTheLibraryWithTheShapeInEveryKernel() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        ImageShape shape = new ImageShape(4, 6, 1);
        int n = 7;
        int m = 3;
        double[] x = gaussian(r, n * shape.features());
        double[] xt = gaussian(r, m * shape.features());
        Matrix y = Matrix.wrap(n, 2, gaussian(r, n * 2));
        NpyArrays.write(dir.resolve("x.npy"), x, n, 4, 6); // (n, H, W): one channel
        Path testCsv = dir.resolve("t.csv");
        MatrixFiles.write(testCsv, Matrix.wrap(m, shape.features(), xt), "t");
        MatrixFiles.write(dir.resolve("y.csv"), y, "y");
        for (String net : List.of(CNN, POOLING)) {
            Cli.Result res = Cli.run("predict", "--net", net, "--train-x", dir.resolve("x.npy").toString(), "--train-y",
                    dir.resolve("y.csv").toString(), "--test-x", testCsv.toString(), "--shape", "4,6,1", "--diag-reg", "1e-3",
                    "--mean", dir.resolve("m.npy").toString(), "--cov", dir.resolve("c.npy").toString(), "--json");
            assertEquals(0, res.status(), res::toString);
            KernelComputer kc = new KernelComputer(Network.parse(net), 1);
            Matrix xm = Matrix.wrap(n, shape.features(), x);
            Matrix xtm = Matrix.wrap(m, shape.features(), xt);
            KernelPair dd = KernelPair.of(kc.compute(xm, null, shape));
            KernelPair td = KernelPair.of(kc.compute(xtm, xm, shape));
            KernelPair tt = KernelPair.of(kc.compute(xtm, null, shape));
            GpInference gp = new GpInference(dd, y, DiagonalRegularizer.relative(1e-3), LinearAlgebra.automatic());
            Prediction p = gp.predict(PosteriorKind.NNGP, td, tt, Uncertainty.COVARIANCE);
            assertArrayEquals(p.mean().data(), MatrixFiles.read(dir.resolve("m.npy"), "m").data(), 1e-12, net);
            assertArrayEquals(p.covariance().data(), MatrixFiles.read(dir.resolve("c.npy"), "c").data(), 1e-12, net);
            Map<String, Object> j = MiniJson.object(res.out());
            assertEquals(List.of(4.0, 6.0, 1.0), ((List<?>) j.get("image_shape")).stream().map(o -> ((Number) o).doubleValue()).toList());
        }
        // The conv spec without --shape: the test file is plain vectors, refused before anything is written.
        Files.deleteIfExists(dir.resolve("m.npy"));
        Cli.Result bad = Cli.run("predict", "--net", CNN, "--train-x", dir.resolve("x.npy").toString(), "--train-y",
                dir.resolve("y.csv").toString(), "--test-x", testCsv.toString(), "--mean", dir.resolve("m.npy").toString());
        assertEquals(2, bad.status(), bad::toString);
        assertEquals(1, bad.errLines(), bad::toString);
        assertTrue(bad.err().contains("spec column 1") && bad.err().contains("--test-x") && bad.err().contains("--shape 4,6,1"), bad::toString);
        assertFalse(Files.exists(dir.resolve("m.npy")));
    }

    /** Writes an IDX file of unsigned bytes (magic 0x0000080N, big-endian sizes, data), gzip-compressed. */
    private static void writeIdx(Path file, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        try (OutputStream f = new GZIPOutputStream(Files.newOutputStream(file))) {
            f.write(bytes.toByteArray());
        }
    }

    /** n 8 x 8 images of three classes (a horizontal bar, a vertical bar, a diagonal) at one of two places, with noise. */
    private static byte[][] images(int n, long seed, int[] labels) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] img = new byte[n][64];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            labels[i] = c;
            int at = 3 + r.nextInt(2);
            for (int p = 0; p < 64; p++) {
                int h = p / 8;
                int w = p % 8;
                boolean on = c == 0 ? h == at : c == 1 ? w == at : Math.floorMod(h - w, 8) == at;
                img[i][p] = (byte) Math.min(255, (on ? 200 : 0) + r.nextInt(40));
            }
        }
        return img;
    }

    private void idxSet(String prefix, int n, long seed, double[] pixels, int[] labels) throws IOException {
        byte[][] img = images(n, seed, labels);
        byte[] flat = new byte[n * 64];
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(img[i], 0, flat, i * 64, 64);
            lab[i] = (byte) labels[i];
            for (int p = 0; p < 64; p++) {
                pixels[i * 64 + p] = img[i][p] & 0xff;
            }
        }
        writeIdx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), new int[] {n, 8, 8}, flat);
        writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[] {n}, lab);
    }

    /** DESIGN.md's classification preprocessing, written out: each image centred and scaled to |x|^2 / d = 1. */
    private static void standardize(double[] x, int d) {
        for (int i = 0; i < x.length / d; i++) {
            double mean = 0;
            for (int k = 0; k < d; k++) {
                mean += x[i * d + k] / d;
            }
            double sq = 0;
            for (int k = 0; k < d; k++) {
                x[i * d + k] -= mean;
                sq += x[i * d + k] * x[i * d + k];
            }
            for (int k = 0; k < d; k++) {
                x[i * d + k] *= Math.sqrt(d / sq);
            }
        }
    }

    @Test
    void classifyKeepsIdxImagesAsImagesAndAgreesWithTheLibrary() throws IOException {
        int n = 18;
        int m = 12;
        double[] x = new double[n * 64];
        double[] xt = new double[m * 64];
        int[] labels = new int[n];
        int[] testLabels = new int[m];
        idxSet("train", n, 1, x, labels);
        idxSet("t10k", m, 2, xt, testLabels);
        for (String net : List.of(CNN, POOLING)) {
            Cli.Result r = Cli.run("classify", "--net", net, "--train", dir.resolve("train-images-idx3-ubyte.gz").toString(),
                    "--test", dir.resolve("t10k-images-idx3-ubyte.gz").toString(), "--json");
            assertEquals(0, r.status(), r::toString);
            Map<String, Object> j = MiniJson.object(r.out());
            assertEquals(List.of(8.0, 8.0, 1.0), ((List<?>) j.get("image_shape")).stream().map(o -> ((Number) o).doubleValue()).toList());

            double[] a = x.clone();
            double[] b = xt.clone();
            standardize(a, 64);
            standardize(b, 64);
            ImageShape shape = new ImageShape(8, 8, 1);
            KernelComputer kc = new KernelComputer(Network.parse(net), 1);
            Matrix am = Matrix.wrap(n, 64, a);
            KernelPair dd = KernelPair.of(kc.compute(am, null, shape));
            KernelPair td = KernelPair.of(kc.compute(Matrix.wrap(m, 64, b), am, shape));
            double[] y = new double[n * 3];
            java.util.Arrays.fill(y, -0.1);
            for (int i = 0; i < n; i++) {
                y[i * 3 + labels[i]] = 0.9;
            }
            GpInference gp = new GpInference(dd, Matrix.wrap(n, 3, y), DiagonalRegularizer.relative(1e-4), LinearAlgebra.automatic());
            Matrix mean = gp.predict(PosteriorKind.NNGP, td, null, Uncertainty.NONE).mean();
            int correct = 0;
            for (int i = 0; i < m; i++) {
                int best = 0;
                for (int c = 1; c < 3; c++) {
                    best = mean.get(i, c) > mean.get(i, best) ? c : best;
                }
                correct += best == testLabels[i] ? 1 : 0;
            }
            assertEquals((double) correct / m, ((Number) j.get("accuracy")).doubleValue(), 0.0, net);
            assertTrue(correct >= m - 1, () -> net + ": bars and diagonals are easy, got " + r.out());
        }
        // The same images as a CSV (label first) need --shape for the conv spec; with it they classify alike.
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < n; i++) {
            csv.append(labels[i]);
            for (int p = 0; p < 64; p++) {
                csv.append(',').append(x[i * 64 + p]);
            }
            csv.append('\n');
        }
        Path train = dir.resolve("train.csv");
        Files.writeString(train, csv);
        Cli.Result plain = Cli.run("classify", "--net", CNN, "--train", train.toString(),
                "--test", dir.resolve("t10k-images-idx3-ubyte.gz").toString());
        assertEquals(2, plain.status(), plain::toString);
        assertTrue(plain.err().contains("--train " + train) && plain.err().contains("--shape 8,8,1"), plain::toString);
        Cli.Result shaped = Cli.run("classify", "--net", CNN, "--train", train.toString(), "--shape", "8,8",
                "--test", dir.resolve("t10k-images-idx3-ubyte.gz").toString(), "--json");
        assertEquals(0, shaped.status(), shaped::toString);
        Cli.Result idx = Cli.run("classify", "--net", CNN, "--train", dir.resolve("train-images-idx3-ubyte.gz").toString(),
                "--test", dir.resolve("t10k-images-idx3-ubyte.gz").toString(), "--json");
        assertEquals(MiniJson.object(idx.out()).get("confusion"), MiniJson.object(shaped.out()).get("confusion"));
        Cli.Result wrong = Cli.run("classify", "--net", CNN, "--train", train.toString(), "--shape", "4,16",
                "--test", dir.resolve("t10k-images-idx3-ubyte.gz").toString());
        assertEquals(2, wrong.status(), wrong::toString);
        assertTrue(wrong.err().contains("t10k-images") && wrong.err().contains("8x8x1") && wrong.err().contains("4x16x1"), wrong::toString);
    }
}
