package org.aleph.kernel.scale;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * Timing harness (not a test): one conjugate-gradient iteration's parts on the float32 NNGP tiles
 * of the first n Fashion-MNIST training images (ProductBench's kept folder): the tile product
 * (K + sI) X, the preconditioner application P^-1 R at the given rank, and 5 PCG iterations, each
 * in wall and process CPU seconds, so that processes with different products
 * ({@code -Daleph.scale.product=system|vector}) can be alternated on a shared machine.
 * <pre>
 *   java -cp ... org.aleph.kernel.scale.IterationBench N RANK REPEATS
 * </pre>
 */
public final class IterationBench {

    private IterationBench() {
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        int rank = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        Matrix x = ScaleTiming.images(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"), n);
        Network net = Network.parse(Problems.SPEC);
        TileLayout layout = new TileLayout(n, 2000);
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "aleph-bench-products");
        TileStore store = TileStore.open(work, JobId.of(net, null, 2000, x, TilePrecision.FLOAT32), "nngp", TilePrecision.FLOAT32);
        new TileBuilder(net, null, 2).build(x, layout, store, KernelKind.NNGP, ScaleProgress.NONE);
        TiledKernel k = new TiledKernel(layout, store, 2);
        double shift = 1e-4 * k.meanDiagonal();
        long c0 = System.nanoTime();
        PivotedCholesky chol = PivotedCholesky.compute(k, rank, 1e-3 * shift, LinearAlgebra.automatic(), ScaleProgress.NONE);
        NystromPreconditioner pre = new NystromPreconditioner(chol, shift);
        System.out.printf(Locale.ROOT, "%s: preconditioner rank %d in %.1f s; load %s%n", k.product(), rank,
                (System.nanoTime() - c0) / 1e9, ScaleBench.load());
        double[] v = new double[n * 10];
        java.util.Random rnd = new java.util.Random(1);
        for (int e = 0; e < v.length; e++) {
            v[e] = rnd.nextGaussian();
        }
        double[] y = new double[v.length];
        for (int r = 0; r < repeats; r++) {
            long w0 = System.nanoTime();
            long u0 = ProductBench.cpuNanos();
            k.multiply(v, 10, shift, y);
            long w1 = System.nanoTime();
            long u1 = ProductBench.cpuNanos();
            pre.apply(v, 10, y);
            long w2 = System.nanoTime();
            long u2 = ProductBench.cpuNanos();
            BlockPcg.solve((a, kk, o) -> k.multiply(a, kk, shift, o), pre::apply, v, n, 10, 1e-30, 5, 10, ScaleProgress.NONE);
            long w3 = System.nanoTime();
            long u3 = ProductBench.cpuNanos();
            System.out.printf(Locale.ROOT, "%s n %d: product %.3f s (CPU %.2f), preconditioner %.3f s (CPU %.2f), "
                            + "PCG iteration %.3f s (CPU %.2f, 5 iterations and the final check / 6); load %s%n", k.product(), n,
                    (w1 - w0) / 1e9, (u1 - u0) / 1e9, (w2 - w1) / 1e9, (u2 - u1) / 1e9, (w3 - w2) / 6e9, (u3 - u2) / 6e9,
                    ScaleBench.load());
        }
        chol.factor.close();
    }
}
