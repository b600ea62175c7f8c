package org.aleph.kernel.scale;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.KernelKind;

/**
 * Timing harness (not a test): the tile product K X (k = 10) on the float32 NNGP tiles of the
 * first n Fashion-MNIST training images, built once into a kept folder and reused by later runs,
 * so that processes with different OpenBLAS settings can be alternated.
 * <pre>
 *   java -cp ... org.aleph.kernel.scale.ProductBench N REPEATS
 * </pre>
 */
public final class ProductBench {

    private ProductBench() {
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        int repeats = Integer.parseInt(args[1]);
        Matrix x = ScaleTiming.images(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"), n);
        Network net = Network.parse(Problems.SPEC);
        TileLayout layout = new TileLayout(n, 2000);
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "aleph-bench-products");
        TileStore store = TileStore.open(work, JobId.of(net, null, 2000, x, TilePrecision.FLOAT32), "nngp", TilePrecision.FLOAT32);
        long t0 = System.nanoTime();
        TileBuilder.Counts c = new TileBuilder(net, null, 2).build(x, layout, store, KernelKind.NNGP, ScaleProgress.NONE);
        System.out.printf(Locale.ROOT, "tiles: %d computed, %d reused, %.1f s%n", c.computed(), c.reused(), (System.nanoTime() - t0) / 1e9);
        TiledKernel k = new TiledKernel(layout, store, 2);
        double[] v = new double[n * 10];
        java.util.Random rnd = new java.util.Random(1);
        for (int e = 0; e < v.length; e++) {
            v[e] = rnd.nextGaussian();
        }
        double[] y = new double[v.length];
        double best = Double.POSITIVE_INFINITY;
        double sum = 0;
        for (int r = 0; r < repeats; r++) {
            long a = System.nanoTime();
            k.multiply(v, 10, 1.0, y);
            double s = (System.nanoTime() - a) / 1e9;
            best = Math.min(best, s);
            sum += s;
        }
        System.out.printf(Locale.ROOT, "product n %d %s OPENBLAS_NUM_THREADS=%s: best %.3f s, mean %.3f s over %d; load %s%n", n,
                k.product(), System.getenv("OPENBLAS_NUM_THREADS"), best, sum / repeats, repeats, ScaleBench.load());
    }
}
