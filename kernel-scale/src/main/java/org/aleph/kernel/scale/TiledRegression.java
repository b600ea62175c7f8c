package org.aleph.kernel.scale;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * Kernel regression at t = infinity (the NNGP posterior mean K*x (K + r I)^-1 Y, or the mean of
 * the NTK ensemble trained to convergence, Theta*x (Theta + r I)^-1 Y; Lee et al. 2019 eq. 16)
 * for training sets whose kernel does not fit in one array:
 * <ol>
 *   <li>the train-train kernel of the chosen kind is computed as tiles of row blocks and kept in
 *       memory-mapped files of a work folder ({@link TileStore}; reused when valid, so an
 *       interrupted run resumes);</li>
 *   <li>a partial pivoted Cholesky of rank r gives the Nystrom preconditioner
 *       ({@link NystromPreconditioner});</li>
 *   <li>(K + r I) A = Y is solved for all target columns at once by preconditioned conjugate
 *       gradients ({@link BlockPcg}), each pass over the tiles serving every column, until every
 *       relative residual |y - (K + r I) a| / |y| is at most the tolerance;</li>
 *   <li>the predictions K(test, train) A are streamed by blocks of test points
 *       ({@link StreamedPrediction}).</li>
 * </ol>
 * The job folder is deleted after success unless {@link Settings#keep()}; after a failure it is
 * kept so that a rerun reuses its tiles. With {@code keep} the tiles of the other kernel are
 * written too (the recursion computes the NNGP and the NTK together), so that a second run with
 * the other kernel reuses them instead of computing the recursion again.
 */
public final class TiledRegression {

    /**
     * How the solve runs.
     *
     * @param workDir       the folder under which the job folder of tiles is made
     * @param block         the side of a tile (points per row block)
     * @param rank          the rank of the pivoted Cholesky preconditioner (0: none, plain CG with 1 / r scaling)
     * @param tolerance     the relative residual at which a target column stops
     * @param maxIterations the most iterations
     * @param keep          keep the tiles after success
     * @param threads       worker threads of the kernel recursion and of the tile products
     * @param precision     how the tile entries are stored (products always accumulate in float64)
     */
    public record Settings(Path workDir, int block, int rank, double tolerance, int maxIterations, boolean keep,
                           int threads, TilePrecision precision) {

        /** Default tile side: 2000 x 2000 float64 = 32 MB per tile. */
        public static final int DEFAULT_BLOCK = 2000;
        /** Default preconditioner rank. */
        public static final int DEFAULT_RANK = 3000;
        /** Default relative residual. */
        public static final double DEFAULT_TOLERANCE = 1e-5;
        /** Default limit on iterations. */
        public static final int DEFAULT_MAX_ITERATIONS = 3000;

        /**
         * Default storage of the tile entries for library callers: float64, bit for bit the recursion's
         * values. {@code aleph classify} stores float32 unless told otherwise (docs/scale.md: the same
         * labels, half the bytes; outputs move by about 1e-5).
         */
        public static final TilePrecision DEFAULT_PRECISION = TilePrecision.FLOAT64;

        /** The settings with the default precision. */
        public Settings(Path workDir, int block, int rank, double tolerance, int maxIterations, boolean keep, int threads) {
            this(workDir, block, rank, tolerance, maxIterations, keep, threads, DEFAULT_PRECISION);
        }

        public Settings {
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(precision, "precision");
            if (block < 1) {
                throw new UserErrorException("the tile block size must be at least 1, got " + block);
            }
            if (rank < 0) {
                throw new UserErrorException("--rank must be at least 0, got " + rank);
            }
            if (!(tolerance > 0 && tolerance < 1)) {
                throw new UserErrorException("--solver-tol must be a number between 0 and 1 (exclusive), got " + tolerance);
            }
            if (maxIterations < 1) {
                throw new UserErrorException("the iteration limit must be at least 1, got " + maxIterations);
            }
            if (threads < 1) {
                throw new UserErrorException("threads must be at least 1, got " + threads);
            }
        }

        /** The defaults in a work folder, with every core. */
        public static Settings defaults(Path workDir) {
            return new Settings(workDir, DEFAULT_BLOCK, DEFAULT_RANK, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, false,
                    Runtime.getRuntime().availableProcessors());
        }

        public Settings withWorkDir(Path w) {
            return new Settings(w, block, rank, tolerance, maxIterations, keep, threads, precision);
        }

        public Settings withBlock(int b) {
            return new Settings(workDir, b, rank, tolerance, maxIterations, keep, threads, precision);
        }

        public Settings withRank(int r) {
            return new Settings(workDir, block, r, tolerance, maxIterations, keep, threads, precision);
        }

        public Settings withTolerance(double t) {
            return new Settings(workDir, block, rank, t, maxIterations, keep, threads, precision);
        }

        public Settings withMaxIterations(int m) {
            return new Settings(workDir, block, rank, tolerance, m, keep, threads, precision);
        }

        public Settings withKeep(boolean k) {
            return new Settings(workDir, block, rank, tolerance, maxIterations, k, threads, precision);
        }

        public Settings withPrecision(TilePrecision p) {
            return new Settings(workDir, block, rank, tolerance, maxIterations, keep, threads, p);
        }

        public Settings withThreads(int t) {
            return new Settings(workDir, block, rank, tolerance, maxIterations, keep, t, precision);
        }
    }

    /**
     * What a solve gave.
     *
     * @param mean          the predictions, m x k
     * @param iterations    conjugate-gradient iterations
     * @param residual      the largest final relative residual over the target columns (from (K + r I) A)
     * @param rank          the rank of the preconditioner used
     * @param regularizer   the absolute regulariser r added to the diagonal
     * @param tilesComputed tiles computed in this run
     * @param tilesReused   valid tiles found from an earlier run
     * @param seconds       wall seconds of each stage: train_tiles, preconditioner, solve, predict
     * @param jobFolder     the folder of the tiles
     * @param kept          whether that folder still exists
     */
    public record Result(Matrix mean, int iterations, double residual, int rank, double regularizer, int tilesComputed,
                         int tilesReused, Map<String, Double> seconds, Path jobFolder, boolean kept) {
    }

    private final Network network;
    private final ImageShape shape;
    private final Settings settings;
    private final LinearAlgebra la;
    private final ScaleProgress progress;

    /**
     * @param shape the image shape of the rows (null: flat vectors)
     */
    public TiledRegression(Network network, ImageShape shape, Settings settings, LinearAlgebra la, ScaleProgress progress) {
        this.network = Objects.requireNonNull(network, "network");
        this.shape = shape;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.la = Objects.requireNonNull(la, "la");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Solves (K + r I) A = Y with K the train-train kernel of the given kind and returns
     * K(test, train) A.
     *
     * @param y the targets, n x k
     * @throws UserErrorException for a bad work folder, too little space, a zero regulariser,
     *                            or when the residual does not reach the tolerance (the tiles are then kept)
     */
    public Result fitPredict(KernelKind kind, Matrix xTrain, Matrix y, Matrix xTest, DiagonalRegularizer reg) {
        int n = xTrain.rows();
        int k = y.cols();
        if (y.rows() != n) {
            throw new IllegalArgumentException("Y has " + y.rows() + " rows but there are " + n + " training points");
        }
        if (xTest.cols() != xTrain.cols()) {
            throw new UserErrorException("the test inputs have " + xTest.cols() + " columns but the training inputs have "
                    + xTrain.cols());
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        TileLayout layout = new TileLayout(n, Math.min(settings.block(), n));
        String name = kind.name().toLowerCase(Locale.ROOT);
        long job = JobId.of(network, shape, layout.block(), xTrain, settings.precision());
        TileStore store = TileStore.open(settings.workDir(), job, name, settings.precision());
        // Kept tiles are for a rerun, perhaps with the other kernel: write both, from the one recursion that computes both.
        KernelKind other = kind == KernelKind.NNGP ? KernelKind.NTK : KernelKind.NNGP;
        TileStore companion = settings.keep()
                ? TileStore.open(settings.workDir(), job, other.name().toLowerCase(Locale.ROOT), settings.precision()) : null;
        TileBuilder builder = new TileBuilder(network, shape, settings.threads());

        long t0 = System.nanoTime();
        TileBuilder.Counts counts = builder.build(xTrain, layout, store, kind, companion, progress);
        seconds.put("train_tiles", since(t0));

        long t1 = System.nanoTime();
        TiledKernel kernel = new TiledKernel(layout, store, settings.threads());
        Solved solved = solve(kernel, y, reg, settings, la, progress, seconds,
                " (the tiles are kept in " + store.folder() + " for the rerun)");
        seconds.put("solve", since(t1) - seconds.get("preconditioner"));

        long t3 = System.nanoTime();
        Matrix out = StreamedPrediction.predict(builder, kind, xTrain, xTest, solved.a().data(), k, settings.block(), la, progress);
        seconds.put("predict", since(t3));
        if (!settings.keep()) {
            store.delete();
        }
        return new Result(out, solved.iterations(), solved.residual(), solved.rank(), solved.regularizer(), counts.computed(),
                counts.reused(), seconds, store.folder(), settings.keep());
    }

    /**
     * A solution A of (K + r I) A = Y.
     *
     * @param a           the solution, n x k
     * @param iterations  conjugate-gradient iterations
     * @param residual    the largest relative residual |y_c - (K + r I) a_c| / |y_c|, from the final A
     * @param rank        the preconditioner's rank
     * @param regularizer the absolute r
     */
    public record Solved(Matrix a, int iterations, double residual, int rank, double regularizer) {
    }

    /**
     * Solves (K + r I) A = Y on any {@link KernelOperator}: the rank-{@code settings.rank()} pivoted
     * Cholesky (Nystrom) preconditioner, then block PCG to {@code settings.tolerance()}. Adds
     * "preconditioner" seconds to {@code seconds}.
     *
     * @param kept words appended to the non-convergence message (where the tiles are kept)
     * @throws UserErrorException for a zero regulariser, or a residual above 10 times the tolerance
     */
    public static Solved solve(KernelOperator kernel, Matrix y, DiagonalRegularizer reg, Settings settings, LinearAlgebra la,
                               ScaleProgress progress, Map<String, Double> seconds, String kept) {
        int n = kernel.n();
        int k = y.cols();
        long t1 = System.nanoTime();
        double shift = reg.absoluteAmount(mean(kernel.diagonal()));
        if (!(shift > 0)) {
            throw new UserErrorException("the tiled solver needs a positive regulariser, but --diag-reg gives " + shift
                    + "; use --diag-reg > 0 (e.g. 1e-4) or --engine direct");
        }
        PivotedCholesky chol = PivotedCholesky.compute(kernel, settings.rank(), 1e-3 * shift, la, progress);
        BlockPcg.Solution sol;
        int rank;
        try (FactorStore factor = chol.factor) { // the r x n factor (off the heap on OpenBLAS) is freed after the solve
            NystromPreconditioner pre = new NystromPreconditioner(chol, shift, la);
            rank = pre.rank();
            seconds.put("preconditioner", since(t1));
            sol = BlockPcg.solve((v, kk, out) -> kernel.multiply(v, kk, shift, out), pre::apply,
                    y.data(), n, k, settings.tolerance(), settings.maxIterations(), 200, progress);
        }
        if (sol.maxResidual() > 10 * settings.tolerance()) {
            throw new UserErrorException(String.format(Locale.ROOT,
                    "the conjugate gradients stopped after %d iterations at relative residual %.3g, above --solver-tol %.3g; "
                            + "raise --diag-reg or --rank%s", sol.iterations(), sol.maxResidual(), settings.tolerance(), kept));
        }
        return new Solved(Matrix.wrap(n, k, sol.x()), sol.iterations(), sol.maxResidual(), rank, shift);
    }

    /**
     * The heap bytes of the preconditioner's r x n factor: 8 r n on the heap (system BLAS or
     * pure Java), none when it lives off the heap on the bundled OpenBLAS.
     */
    public static long factorHeapBytes(long n, long rank) {
        return FactorStore.offHeap() ? 0 : 8 * n * Math.min(rank, n);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
