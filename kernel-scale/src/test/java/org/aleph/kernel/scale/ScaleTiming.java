package org.aleph.kernel.scale;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * Timing harness (not a test): the tiled solver on the first n Fashion-MNIST training images
 * (standardised as aleph classify does) for several preconditioner ranks, printing iterations,
 * residual, stage seconds and test accuracy on the first m test images.
 * <pre>
 *   java -cp ... org.aleph.kernel.scale.ScaleTiming N M KIND TOL TILE RANK...
 * </pre>
 */
public final class ScaleTiming {

    private ScaleTiming() {
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        int m = Integer.parseInt(args[1]);
        KernelKind kind = KernelKind.valueOf(args[2]);
        double tol = Double.parseDouble(args[3]);
        int tile = Integer.parseInt(args[4]);
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        Matrix xTrain = images(dir.resolve("train-images-idx3-ubyte.gz"), n);
        int[] yTrain = labels(dir.resolve("train-labels-idx1-ubyte.gz"), n);
        Matrix xTest = images(dir.resolve("t10k-images-idx3-ubyte.gz"), m);
        int[] yTest = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"), m);
        double[] y = new double[n * 10];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 10; c++) {
                y[i * 10 + c] = c == yTrain[i] ? 0.9 : -0.1;
            }
        }
        Network net = Network.parse(Problems.SPEC);
        int[] direct = null;
        double[] directMean = null;
        if (args[5].startsWith("direct")) {
            long t0 = System.nanoTime();
            org.aleph.kernel.KernelComputer kc = new org.aleph.kernel.KernelComputer(net);
            var gp = new org.aleph.kernel.dynamics.GpInference(org.aleph.kernel.dynamics.KernelPair.of(kc.compute(xTrain, null)),
                    Matrix.wrap(n, 10, y), DiagonalRegularizer.relative(1e-4), LinearAlgebra.automatic());
            Matrix mean = gp.predict(kind == KernelKind.NNGP ? org.aleph.kernel.dynamics.PosteriorKind.NNGP
                    : org.aleph.kernel.dynamics.PosteriorKind.NTK, org.aleph.kernel.dynamics.KernelPair.of(kc.compute(xTest, xTrain)),
                    null, org.aleph.kernel.dynamics.Uncertainty.NONE).mean();
            direct = Problems.argmax(mean);
            directMean = mean.data();
            int ok = 0;
            for (int i = 0; i < m; i++) {
                ok += direct[i] == yTest[i] ? 1 : 0;
            }
            System.out.printf("direct: accuracy %.4f in %.1f s, notes %s%n", ok / (double) m, (System.nanoTime() - t0) / 1e9, gp.notes());
        }
        int rankFixed = args[5].startsWith("direct") ? Integer.parseInt(args[5].substring(7)) : -1;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "aleph-timing");
        for (int a = 5; a < args.length; a++) {
            if (rankFixed >= 0 && a == 5) {
                continue;
            }
            int rank = rankFixed >= 0 ? rankFixed : Integer.parseInt(args[a]);
            if (rankFixed >= 0) {
                tol = Double.parseDouble(args[a]);
            }
            TiledRegression.Settings s = TiledRegression.Settings.defaults(work).withBlock(tile).withRank(rank)
                    .withTolerance(tol).withKeep(true);
            long t0 = System.nanoTime();
            ScaleProgress p = new ScaleProgress() {
                @Override
                public void update(String stage, long done, long total) {
                }

                @Override
                public void iteration(int it, double r) {
                    if (it % 25 == 0) {
                        System.out.printf("  it %d residual %.3e at %.1f s%n", it, r, (System.nanoTime() - t0) / 1e9);
                    }
                }
            };
            TiledRegression.Result r = new TiledRegression(net, null, s, LinearAlgebra.automatic(), p)
                    .fitPredict(kind, xTrain, Matrix.wrap(n, 10, y), xTest, DiagonalRegularizer.relative(1e-4));
            int[] pred = Problems.argmax(r.mean());
            int ok = 0;
            for (int i = 0; i < m; i++) {
                ok += pred[i] == yTest[i] ? 1 : 0;
            }
            if (direct != null) {
                int differ = 0;
                double diff = 0;
                for (int i = 0; i < m; i++) {
                    differ += pred[i] != direct[i] ? 1 : 0;
                }
                for (int e = 0; e < directMean.length; e++) {
                    diff = Math.max(diff, Math.abs(directMean[e] - r.mean().data()[e]));
                }
                System.out.printf("tol %.0e: %d labels differ from direct, max |diff| %.3e%n", tol, differ, diff);
            }
            System.out.printf("n %d kind %s rank %d (used %d): %d iterations, residual %.3e, accuracy %.4f, seconds %s%n",
                    n, kind, rank, r.rank(), r.iterations(), r.residual(), ok / (double) m, r.seconds());
        }
    }

    static Matrix images(Path file, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            in.readInt();
            int total = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            int n = Math.min(count, total);
            int d = h * w;
            double[] x = new double[n * d];
            byte[] buf = new byte[d];
            for (int i = 0; i < n; i++) {
                in.readFully(buf);
                double mean = 0;
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (buf[j] & 0xff) / 255.0;
                    mean += x[i * d + j];
                }
                mean /= d;
                double ss = 0;
                for (int j = 0; j < d; j++) {
                    x[i * d + j] -= mean;
                    ss += x[i * d + j] * x[i * d + j];
                }
                double scale = ss > 0 ? Math.sqrt(d / ss) : 1;
                for (int j = 0; j < d; j++) {
                    x[i * d + j] *= scale;
                }
            }
            return Matrix.wrap(n, d, x);
        }
    }

    static int[] labels(Path file, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            in.readInt();
            int total = in.readInt();
            int n = Math.min(count, total);
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                l[i] = in.readUnsignedByte();
            }
            return l;
        }
    }

    private static InputStream open(Path file) throws IOException {
        return new GZIPInputStream(Files.newInputStream(file), 1 << 16);
    }
}
