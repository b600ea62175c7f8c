package org.aleph.kernel.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * Timing harness (not a test) for docs/scale.md: the tiled solver on the first n Fashion-MNIST
 * training images (standardised as aleph classify does), then the per-iteration product on the
 * same tiles timed with the plain-Java product and with dgemm, alternating. Prints stage seconds,
 * iterations, accuracy on the first m test images, and writes the predicted labels to
 * {@code OUT} (one per line) for comparing precisions.
 * <pre>
 *   java -cp ... org.aleph.kernel.scale.ScaleBench N M KIND TILE RANK PRECISION TOL OUT [PRODUCT_REPEATS]
 * </pre>
 */
public final class ScaleBench {

    private ScaleBench() {
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        int m = Integer.parseInt(args[1]);
        KernelKind kind = KernelKind.valueOf(args[2]);
        int tile = Integer.parseInt(args[3]);
        int rank = Integer.parseInt(args[4]);
        TilePrecision precision = TilePrecision.parse(args[5]);
        double tol = Double.parseDouble(args[6]);
        Path out = Path.of(args[7]);
        int repeats = args.length > 8 ? Integer.parseInt(args[8]) : 0;
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        Matrix xTrain = ScaleTiming.images(dir.resolve("train-images-idx3-ubyte.gz"), n);
        int[] yTrain = ScaleTiming.labels(dir.resolve("train-labels-idx1-ubyte.gz"), n);
        Matrix xTest = ScaleTiming.images(dir.resolve("t10k-images-idx3-ubyte.gz"), m);
        int[] yTest = ScaleTiming.labels(dir.resolve("t10k-labels-idx1-ubyte.gz"), m);
        double[] y = new double[n * 10];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 10; c++) {
                y[i * 10 + c] = c == yTrain[i] ? 0.9 : -0.1;
            }
        }
        Network net = Network.parse(Problems.SPEC);
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "aleph-bench-scale");
        boolean keep = Boolean.getBoolean("keep") || repeats > 0;
        TiledRegression.Settings s = TiledRegression.Settings.defaults(work).withBlock(tile).withRank(rank)
                .withTolerance(tol).withKeep(keep).withPrecision(precision);
        long t0 = System.nanoTime();
        ScaleProgress p = new ScaleProgress() {
            @Override
            public void update(String stage, long done, long total) {
            }

            @Override
            public void iteration(int it, double r) {
                if (it % 50 == 0) {
                    System.out.printf(Locale.ROOT, "  it %d residual %.3e at %.1f s%n", it, r, (System.nanoTime() - t0) / 1e9);
                }
            }
        };
        System.out.printf(Locale.ROOT, "tile products: %s; load %s%n", TiledKernel.Product.best(), load());
        TiledRegression.Result r = new TiledRegression(net, null, s, LinearAlgebra.automatic(), p)
                .fitPredict(kind, xTrain, Matrix.wrap(n, 10, y), xTest, DiagonalRegularizer.relative(1e-4));
        int[] pred = Problems.argmax(r.mean());
        int ok = 0;
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < m; i++) {
            ok += pred[i] == yTest[i] ? 1 : 0;
            labels.append(pred[i]).append('\n');
        }
        Files.writeString(out, labels);
        System.out.printf(Locale.ROOT, "n %d m %d %s %s tile %d rank %d (used %d): %d iterations, residual %.3e, accuracy %.4f, "
                        + "seconds %s, per iteration %.3f s; load %s%n", n, m, kind, precision.label(), tile, rank, r.rank(),
                r.iterations(), r.residual(), ok / (double) m, r.seconds(), r.seconds().get("solve") / Math.max(1, r.iterations()),
                load());
        if (repeats > 0) {
            TileLayout layout = new TileLayout(n, tile);
            TileStore store = TileStore.open(work, JobId.of(net, null, tile, xTrain, precision),
                    kind.name().toLowerCase(Locale.ROOT), precision);
            double[] x = new double[n * 10];
            java.util.Random rnd = new java.util.Random(1);
            for (int e = 0; e < x.length; e++) {
                x[e] = rnd.nextGaussian();
            }
            double[] yy = new double[x.length];
            TiledKernel java = new TiledKernel(layout, store, 2, TiledKernel.Product.JAVA);
            TiledKernel blas = new TiledKernel(layout, store, Integer.getInteger("workers", 2), TiledKernel.Product.best());
            for (int rep = 0; rep < repeats; rep++) {
                long a = System.nanoTime();
                java.multiply(x, 10, 1.0, yy);
                long b = System.nanoTime();
                blas.multiply(x, 10, 1.0, yy);
                long c = System.nanoTime();
                System.out.printf(Locale.ROOT, "product n %d %s: java %.3f s, dgemm %.3f s (ratio %.2f); load %s%n", n,
                        precision.label(), (b - a) / 1e9, (c - b) / 1e9, (b - a) / (double) (c - b), load());
            }
            double shift = 1e-4 * blas.meanDiagonal();
            long p0 = System.nanoTime();
            PivotedCholesky chol = PivotedCholesky.compute(blas, rank, 1e-3 * shift, LinearAlgebra.automatic(), ScaleProgress.NONE);
            long p1 = System.nanoTime();
            NystromPreconditioner pre = new NystromPreconditioner(chol, shift);
            long p2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "preconditioner rank %d: pivoted Cholesky %.2f s, eigendecomposition %.2f s; factor %s%n",
                    rank, (p1 - p0) / 1e9, (p2 - p1) / 1e9, FactorStore.offHeap() ? "off heap" : "on heap");
            for (int rep = 0; rep < repeats; rep++) {
                long a = System.nanoTime();
                pre.apply(x, 10, yy);
                long b = System.nanoTime();
                BlockPcg.solve((v, kk, o) -> blas.multiply(v, kk, shift, o), pre::apply, x, n, 10, 1e-30, 5, 10, ScaleProgress.NONE);
                long c = System.nanoTime();
                System.out.printf(Locale.ROOT, "preconditioner apply %.3f s; 5 PCG iterations %.3f s (%.3f s each with the final check); "
                        + "load %s%n", (b - a) / 1e9, (c - b) / 1e9, (c - b) / 6e9, load());
            }
            chol.factor.close();
            if (!Boolean.getBoolean("keep")) {
                store.delete();
            }
        }
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
