package org.aleph.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.aleph.kernel.spi.GramProvider;

/**
 * Computes the NNGP and NTK of a {@link Network} for X1 (n1 x d) against X2 (n2 x d).
 *
 * <p>The output is cut into square tiles. For each tile a worker computes the input Gram
 * block ({@link InputGram}) and then pushes the whole block through every layer with
 * {@link TileRecursion}, calling each activation once per tile and layer on primitive
 * arrays. Tiles are handed out to {@code threads} workers; every entry is computed the same
 * way whatever the thread count, so results are bit-for-bit reproducible.
 *
 * <p>When X2 is absent only tiles on and above the diagonal are computed and mirrored, so the
 * matrices are exactly symmetric and each pair is computed once (diagonal tiles excepted).
 */
public final class KernelComputer {

    /** Tile side: 64 x 64 entries keep a tile's dozen work arrays inside L2. */
    static final int TILE = 64;

    /** Receives the number of tiles done out of the total, from worker threads, at most once per tile. */
    @FunctionalInterface
    public interface Progress {
        /** Called after each finished tile; must be thread-safe and cheap. */
        void update(long done, long total);
    }

    private final Network network;
    private final int threads;
    private final Progress progress;
    private final GramProvider gram;
    /** Kernels of at least this many entries warm the recursion up beside the Gram ({@link RecursionWarmUp}). */
    private final long warmUpEntries;

    /** A computer using every available core. */
    public KernelComputer(Network network) {
        this(network, Runtime.getRuntime().availableProcessors());
    }

    /** A computer using the given number of worker threads (at least 1). */
    public KernelComputer(Network network, int threads) {
        this(network, threads, (done, total) -> { });
    }

    /** A computer reporting its progress tile by tile. */
    public KernelComputer(Network network, int threads, Progress progress) {
        this(network, threads, progress, GramProviders.best());
    }

    /** A computer with a given Gram backend (null: the pure-Java tiles). */
    KernelComputer(Network network, int threads, Progress progress, GramProvider gram) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.network = java.util.Objects.requireNonNull(network, "network");
        this.threads = threads;
        this.progress = java.util.Objects.requireNonNull(progress, "progress");
        this.gram = gram;
        this.warmUpEntries = RecursionWarmUp.minEntries();
    }

    private KernelComputer(KernelComputer base, long warmUpEntries) {
        this.network = base.network;
        this.threads = base.threads;
        this.progress = base.progress;
        this.gram = base.gram;
        this.warmUpEntries = warmUpEntries;
    }

    /** This computer with the recursion warm-up starting at kernels of the given number of entries (for tests). */
    KernelComputer warmUpFrom(long entries) {
        return new KernelComputer(this, entries);
    }

    /**
     * The bytes a computation of n1 x n2 kernels holds at its peak: the two output matrices,
     * plus per worker a tile workspace (callers add their own inputs).
     */
    public static long memoryEstimate(long n1, long n2, int threads) {
        long tile = (long) TILE * TILE + 2L * TILE;
        return 16L * n1 * n2 + 16L * (n1 + n2) + threads * tile * 8L * 10;
    }

    /**
     * The kernels of X1 against X2, or of X1 against itself when {@code x2} is null.
     *
     * @throws UserErrorException when the widths differ, a matrix is empty or holds a
     *                            non-finite value, or the kernel overflows
     */
    public KernelResult compute(Matrix x1, Matrix x2) {
        if (network.takesImages()) {
            Layer first = network.firstSpatialLayer();
            throw new UserErrorException(first.spec() + " at spec column " + Math.max(1, network.column(first))
                    + " needs images, but the inputs are plain vectors; give images of shape (n, H, W, C)"
                    + " (a 4-D .npy, an IDX image file, or a CSV with --shape H,W,C)");
        }
        check(x1, "X1");
        if (x2 != null) {
            check(x2, "X2");
            if (x2.cols() != x1.cols()) {
                throw new UserErrorException("X1 has " + x1.cols() + " columns but X2 has " + x2.cols()
                        + "; both must have one column per input feature");
            }
        }
        boolean symmetric = x2 == null;
        Matrix b = symmetric ? x1 : x2;
        int n1 = x1.rows();
        int n2 = b.rows();
        int d = x1.cols();
        TileRecursion recursion = new TileRecursion(network.layers(), d);
        GramProvider blas = gram;
        boolean fullGram = blas != null && (long) n1 * n2 * d >= GramProviders.MIN_WORK;
        // the recursion's loops compile beside the allocation of the outputs and the Gram (RecursionWarmUp)
        boolean large = (long) n1 * n2 >= warmUpEntries;
        RecursionWarmUp warmUp = fullGram && large && RecursionWarmUp.needed(network.layers())
                ? RecursionWarmUp.start(recursion, x1.data(), n1, symmetric ? null : b.data(), n2, d) : null;
        double[] q1 = InputGram.squaredNorms(x1.data(), n1, d);
        double[] q2 = symmetric ? q1 : InputGram.squaredNorms(b.data(), n2, d);
        double[] nngp = new double[Math.multiplyExact(n1, n2)];
        double[] ntk = new double[nngp.length];
        // With an optimised BLAS the whole Gram is computed first, into the NNGP output: each
        // tile reads its block before it writes the same block (and, when mirroring, blocks
        // below the diagonal that no tile reads).
        if (fullGram) {
            try {
                blas.gram(x1.data(), n1, symmetric ? null : b.data(), n2, d, nngp);
            } finally {
                if (warmUp != null) {
                    warmUp.stop();
                }
            }
            if (symmetric) {
                for (int i = 0; i < n1; i++) {
                    q1[i] = nngp[i * n2 + i] / d; // the diagonal pairs and the variances agree bit for bit
                }
            }
        }

        List<int[]> tiles = new ArrayList<>();
        for (int i0 = 0; i0 < n1; i0 += TILE) {
            for (int j0 = symmetric ? i0 : 0; j0 < n2; j0 += TILE) {
                tiles.add(new int[] {i0, j0});
            }
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long total = tiles.size();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            TileRecursion.Workspace ws = recursion.workspace(TILE, TILE);
            double[] gram = new double[TILE * TILE];
            try {
                for (int t = next.getAndIncrement(); t < tiles.size() && failure.get() == null; t = next.getAndIncrement()) {
                    int i0 = tiles.get(t)[0];
                    int j0 = tiles.get(t)[1];
                    int tr = Math.min(TILE, n1 - i0);
                    int tc = Math.min(TILE, n2 - j0);
                    if (fullGram) {
                        InputGram.copyTile(nngp, n2, d, i0, tr, j0, tc, symmetric && i0 == j0, gram);
                    } else {
                        InputGram.tile(x1.data(), b.data(), d, i0, tr, j0, tc, gram);
                    }
                    ws.load(gram, q1, i0, tr, q2, j0, tc);
                    ws.sameInputs = symmetric && i0 == j0;
                    recursion.run(ws);
                    store(ws, nngp, ntk, n2, i0, tr, j0, tc, symmetric);
                    progress.update(done.incrementAndGet(), total);
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        };
        runWorkers(worker, Math.min(threads, tiles.size()));
        if (failure.get() != null) {
            throw failure.get();
        }
        if (large) {
            RecursionWarmUp.compiled(network.layers());
        }
        double[] var1 = recursion.variances(q1);
        double[] var2 = symmetric ? var1.clone() : recursion.variances(q2);
        checkFinite(nngp, ntk, n2);
        return new KernelResult(Matrix.wrap(n1, n2, nngp), Matrix.wrap(n1, n2, ntk), var1, var2);
    }

    /**
     * The kernels of images X1 against X2 (or X1 against itself when {@code x2} is null): each
     * row holds one image of the given shape in NHWC order. A fully connected network reads each
     * image as one flat vector (the same as {@link #compute(Matrix, Matrix)}); a convolutional
     * one follows DESIGN.md's "Convolutional networks".
     *
     * @throws UserErrorException when a row does not hold one image of the shape, a layer does
     *                            not fit the image, or a value is not finite
     */
    public KernelResult compute(Matrix x1, Matrix x2, ImageShape shape) {
        java.util.Objects.requireNonNull(shape, "shape");
        checkImages(x1, "X1", shape);
        if (x2 != null) {
            checkImages(x2, "X2", shape);
        }
        if (!network.takesImages()) {
            return compute(x1, x2);
        }
        check(x1, "X1");
        if (x2 != null) {
            check(x2, "X2");
        }
        SpatialPlan plan = SpatialPlan.compile(network, shape);
        return new SpatialKernelComputer(plan, threads, progress).compute(x1, x2);
    }

    /**
     * The bytes a convolutional computation of n1 x n2 kernels on images of the given shape
     * holds at its peak beyond its inputs: the two output matrices, the per-pixel variances
     * recorded for every image, and each worker's workspace (the full spatial covariance of a
     * pair when the network pools).
     *
     * @throws SpecException when a layer does not fit the image
     */
    public static long memoryEstimate(Network network, ImageShape shape, long n1, long n2, int threads) {
        if (!network.takesImages()) {
            return memoryEstimate(n1, n2, threads);
        }
        SpatialPlan plan = SpatialPlan.compile(network, shape);
        return 16L * n1 * n2 + 16L * (n1 + n2) + SpatialKernelComputer.workingMemory(plan, n1 + n2, threads);
    }

    /**
     * What one kernel entry of a convolutional network costs on images of the given shape: the
     * floating-point operations of its window sums and affine maps and its activation
     * evaluations (both for the pair, excluding the images' own runs), and whether it needs the
     * full spatial covariance. For benchmarks ({@code aleph bench --cnn}).
     *
     * @throws SpecException when a layer does not fit the image
     */
    public static EntryCost entryCost(Network network, ImageShape shape) {
        SpatialPlan plan = SpatialPlan.compile(network, shape);
        return new EntryCost(plan.full, plan.linearFlops, plan.pointwiseEvaluations);
    }

    /**
     * The work of one kernel entry of a convolutional network.
     *
     * @param fullCovariance       whether pairs carry the full (H W)^2 covariance (pooling networks)
     * @param linearFlops          additions and multiplications of the window sums and affine maps
     * @param activationEvaluations evaluations of activations and per-pixel normalisations
     */
    public record EntryCost(boolean fullCovariance, long linearFlops, long activationEvaluations) {
    }

    private static void checkImages(Matrix x, String name, ImageShape shape) {
        if (x.cols() != shape.features()) {
            throw new UserErrorException(name + " has " + x.cols() + " values per row but images of shape " + shape
                    + " have " + shape.features());
        }
    }

    /** The name of the matrix-product backend in use: an optimised BLAS provider or pure Java. */
    public static String gramBackend() {
        GramProvider p = GramProviders.best();
        return p == null ? "pure Java (register-blocked dot products)" : p.name();
    }

    static void store(TileRecursion.Workspace ws, double[] nngp, double[] ntk, int n2,
                              int i0, int tr, int j0, int tc, boolean symmetric) {
        double[] k = ws.nngp();
        double[] t = ws.ntk();
        for (int i = 0; i < tr; i++) {
            System.arraycopy(k, i * tc, nngp, (i0 + i) * n2 + j0, tc);
            System.arraycopy(t, i * tc, ntk, (i0 + i) * n2 + j0, tc);
        }
        if (symmetric) {
            boolean diagonal = i0 == j0;
            for (int i = 0; i < tr; i++) {
                for (int j = diagonal ? i + 1 : 0; j < tc; j++) {
                    int dst = (j0 + j) * n2 + i0 + i;
                    nngp[dst] = k[i * tc + j];
                    ntk[dst] = t[i * tc + j];
                }
            }
        }
    }

    static void runWorkers(Runnable worker, int count) {
        if (count <= 1) {
            worker.run();
            return;
        }
        Thread[] pool = new Thread[count - 1];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = new Thread(worker, "aleph-kernel-" + i);
            pool[i].setDaemon(true);
            pool[i].start();
        }
        worker.run();
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while computing kernels", e);
            }
        }
    }

    private static void check(Matrix x, String name) {
        if (x.rows() == 0 || x.cols() == 0) {
            throw new UserErrorException(name + " is empty (" + x.rows() + " x " + x.cols() + "); it needs at least one row and one column");
        }
        double[] a = x.data();
        for (int e = 0; e < a.length; e++) {
            if (!Double.isFinite(a[e])) {
                throw new UserErrorException(name + " row " + (e / x.cols() + 1) + " column " + (e % x.cols() + 1)
                        + " is " + a[e] + "; inputs must be finite numbers");
            }
        }
    }

    static void checkFinite(double[] nngp, double[] ntk, int n2) {
        for (int e = 0; e < nngp.length; e++) {
            if (!Double.isFinite(nngp[e]) || !Double.isFinite(ntk[e])) {
                throw new UserErrorException("the kernel is not finite at entry (" + (e / n2 + 1) + ", " + (e % n2 + 1)
                        + "): NNGP " + nngp[e] + ", NTK " + ntk[e]
                        + "; an activation overflowed for these variances, so scale the inputs or W_std down");
            }
        }
    }
}
