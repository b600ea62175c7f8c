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

    /** CPU time of this process (user + system, from /proc/self/stat, 10 ms ticks). */
    static long cpuNanos() throws IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
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
        TiledKernel k = new TiledKernel(layout, store, Integer.getInteger("workers", 2));
        double[] v = new double[n * 10];
        java.util.Random rnd = new java.util.Random(1);
        for (int e = 0; e < v.length; e++) {
            v[e] = rnd.nextGaussian();
        }
        double[] y = new double[v.length];
        double best = Double.POSITIVE_INFINITY;
        double sum = 0;
        double bestCpu = Double.POSITIVE_INFINITY;
        double sumCpu = 0;
        for (int r = 0; r < repeats; r++) {
            long a = System.nanoTime();
            long ca = cpuNanos();
            k.multiply(v, 10, 1.0, y);
            double s = (System.nanoTime() - a) / 1e9;
            double cpu = (cpuNanos() - ca) / 1e9;
            if (r > 0) { // the first product compiles and pages the tiles in
                best = Math.min(best, s);
                sum += s;
                bestCpu = Math.min(bestCpu, cpu);
                sumCpu += cpu;
            }
        }
        double flops = 2.0 * 2 * 10 * n * (double) n / 2; // both products of the upper triangle, k = 10
        System.out.printf(Locale.ROOT, "product n %d %s workers %d OPENBLAS_NUM_THREADS=%s: wall best %.3f mean %.3f s, "
                        + "CPU best %.3f mean %.3f s (%.1f GF per CPU second) over %d; load %s%n", n, k.product(),
                Integer.getInteger("workers", 2), System.getenv("OPENBLAS_NUM_THREADS"), best, sum / (repeats - 1), bestCpu,
                sumCpu / (repeats - 1), flops / bestCpu / 1e9, repeats - 1, ScaleBench.load());
    }
}
