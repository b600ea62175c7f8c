package org.aleph.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The NNGP and NTK of a convolutional network for images X1 against X2 (DESIGN.md,
 * "Convolutional networks"; Novak et al. 2019; Arora et al. 2019).
 *
 * <p>First every image is run against itself ({@link SpatialRecursion#self}), which records
 * the per-pixel variances that the activations of every pair with that image need and gives
 * its reduced variance. Then the pairs are cut into square tiles handed out to the workers;
 * each pair runs through the spatial layers and the reduction, and the tile of reduced kernels
 * goes through the fully connected layers after the reduction with {@link TileRecursion}. As
 * in {@link KernelComputer}, every entry is computed the same way whatever the thread count,
 * and X against itself computes each pair once and mirrors it.
 */
final class SpatialKernelComputer {

    private final SpatialPlan plan;
    private final int threads;
    private final KernelComputer.Progress progress;

    SpatialKernelComputer(SpatialPlan plan, int threads, KernelComputer.Progress progress) {
        this.plan = plan;
        this.threads = threads;
        this.progress = progress;
    }

    /** Pairs per tile side: a pooling pair is large work on its own, a diagonal one is small. */
    int tileSide() {
        return plan.full ? 4 : 16;
    }

    /**
     * The bytes the computation holds beyond its inputs and the two output matrices: the
     * per-pixel variances recorded for every image and each worker's workspace.
     */
    static long workingMemory(SpatialPlan plan, long images, int threads) {
        long records = images * (plan.recordedPixels * 8L + 64L * plan.slots + 64);
        long workspace = 8L * plan.capacity * 8 + 5L * 8 * Math.max(SpatialWorkspace.CHUNK, plan.shape.width());
        return records + threads * workspace;
    }

    KernelResult compute(Matrix images1, Matrix images2) {
        boolean symmetric = images2 == null;
        Matrix x1 = plan.poolInputs(images1);
        Matrix b = symmetric ? x1 : plan.poolInputs(images2);
        int n1 = x1.rows();
        int n2 = b.rows();
        SpatialRecursion recursion = new SpatialRecursion(plan);
        double[][][] rec1 = new double[n1][][];
        double[] flat1 = new double[n1];
        selfRuns(recursion, x1.data(), rec1, flat1);
        double[][][] rec2 = rec1;
        double[] flat2 = flat1;
        if (!symmetric) {
            rec2 = new double[n2][][];
            flat2 = new double[n2];
            selfRuns(recursion, b.data(), rec2, flat2);
        }
        int side = tileSide();
        List<int[]> tiles = new ArrayList<>();
        for (int i0 = 0; i0 < n1; i0 += side) {
            for (int j0 = symmetric ? i0 : 0; j0 < n2; j0 += side) {
                tiles.add(new int[] {i0, j0});
            }
        }
        double[] nngp = new double[Math.multiplyExact(n1, n2)];
        double[] ntk = new double[nngp.length];
        TileRecursion suffix = new TileRecursion(plan.suffix, plan.suffixWidth);
        double[][][] r1 = rec1;
        double[][][] r2 = rec2;
        double[] f1 = flat1;
        double[] f2 = flat2;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            SpatialWorkspace sws = recursion.workspace();
            TileRecursion.Workspace tws = suffix.workspace(side, side);
            double[] kTile = new double[side * side];
            double[] tTile = new double[side * side];
            double[] out = new double[2];
            try {
                for (int t = next.getAndIncrement(); t < tiles.size() && failure.get() == null; t = next.getAndIncrement()) {
                    int i0 = tiles.get(t)[0];
                    int j0 = tiles.get(t)[1];
                    int tr = Math.min(side, n1 - i0);
                    int tc = Math.min(side, n2 - j0);
                    boolean diagonal = symmetric && i0 == j0;
                    for (int i = 0; i < tr; i++) {
                        for (int j = diagonal ? i : 0; j < tc; j++) {
                            recursion.pair(x1.data(), i0 + i, r1[i0 + i], b.data(), j0 + j, r2[j0 + j], sws, out,
                                    diagonal && i == j);
                            kTile[i * tc + j] = out[0];
                            tTile[i * tc + j] = out[1];
                            if (diagonal) {
                                kTile[j * tc + i] = out[0];
                                tTile[j * tc + i] = out[1];
                            }
                        }
                    }
                    tws.load(kTile, tTile, f1, i0, tr, f2, j0, tc);
                    tws.sameInputs = diagonal;
                    suffix.run(tws);
                    KernelComputer.store(tws, nngp, ntk, n2, i0, tr, j0, tc, symmetric);
                    progress.update(done.incrementAndGet(), tiles.size());
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        };
        KernelComputer.runWorkers(worker, Math.min(threads, tiles.size()));
        if (failure.get() != null) {
            throw failure.get();
        }
        double[] var1 = suffix.variances(flat1);
        double[] var2 = symmetric ? var1.clone() : suffix.variances(flat2);
        KernelComputer.checkFinite(nngp, ntk, n2);
        return new KernelResult(Matrix.wrap(n1, n2, nngp), Matrix.wrap(n1, n2, ntk), var1, var2);
    }

    /** Runs every image against itself on all workers, filling its record and reduced variance. */
    private void selfRuns(SpatialRecursion recursion, double[] x, double[][][] records, double[] flat) {
        int n = records.length;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            SpatialWorkspace ws = recursion.workspace();
            try {
                for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) {
                    records[i] = new double[plan.slots][];
                    flat[i] = recursion.self(x, i, records[i], ws);
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        };
        KernelComputer.runWorkers(worker, Math.min(threads, n));
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
