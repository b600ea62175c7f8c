package org.aleph.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.scale.ScaleProgress;
import org.aleph.kernel.scale.TileLayout;
import org.aleph.kernel.scale.TilePrecision;
import org.aleph.kernel.scale.TiledRegression;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The tiled kernel regression of kernel-scale ({@link TiledRegression}: NNGP posterior mean or
 * NTK ensemble mean at t = infinity) on Apache Spark: the train-train tiles are computed by the
 * executors with Aleph's kernel recursion and cached as an RDD ({@link SparkTiles}); the
 * pivoted Cholesky (Nystrom) preconditioner and the block conjugate gradients run on the driver
 * through {@link TiledRegression#solve}, each product being one Spark job; the predictions are
 * computed by the executors block by block of test points.
 */
public final class SparkRegression {

    /**
     * At most about this many bytes of tiles per cached partition (28 partitions at n = 60 000 in
     * float32), so that the partitions Spark unrolls into memory at once stay small beside the tiles.
     */
    static final long PARTITION_BYTES = 256L << 20;

    /**
     * What a solve gave.
     *
     * @param mean    the predictions, m x k
     * @param solved  the solution and the solver's figures
     * @param tiles   the number of tiles
     * @param seconds wall seconds of the stages train_tiles, preconditioner, solve, predict
     */
    public record Result(Matrix mean, TiledRegression.Solved solved, long tiles, Map<String, Double> seconds) {
    }

    private final JavaSparkContext sc;
    private final Network network;
    private final ImageShape shape;
    private final TiledRegression.Settings settings;
    private final ScaleProgress progress;

    /**
     * @param sc       a running Spark context (its default parallelism sets the partitions)
     * @param shape    the image shape of the rows, or null for flat vectors
     * @param settings tile size, rank, tolerance and iteration limit (the work folder and keep are not used)
     */
    public SparkRegression(JavaSparkContext sc, Network network, ImageShape shape, TiledRegression.Settings settings) {
        this(sc, network, shape, settings, ScaleProgress.NONE);
    }

    /** The same, reporting the stages and iterations. */
    public SparkRegression(JavaSparkContext sc, Network network, ImageShape shape, TiledRegression.Settings settings,
                           ScaleProgress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        this.sc = Objects.requireNonNull(sc, "sc");
        this.network = Objects.requireNonNull(network, "network");
        this.shape = shape;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Solves (K + r I) A = Y with the train-train kernel of the given kind and returns K(test, train) A. */
    public Result fitPredict(KernelKind kind, Matrix xTrain, Matrix y, Matrix xTest, DiagonalRegularizer reg) {
        int n = xTrain.rows();
        int d = xTrain.cols();
        int k = y.cols();
        int block = Math.min(settings.block(), n);
        Map<String, Double> seconds = new LinkedHashMap<>();
        Broadcast<double[]> x = sc.broadcast(xTrain.data());
        TileFunctions.Job job = new TileFunctions.Job(network.spec(), shape, x, n, d, block, kind == KernelKind.NTK,
                settings.precision() == TilePrecision.FLOAT32);
        long t0 = System.nanoTime();
        long bytes = new TileLayout(n, block).storedBytes(settings.precision());
        int partitions = (int) Math.max(4L * sc.defaultParallelism(), (bytes + PARTITION_BYTES - 1) / PARTITION_BYTES);
        SparkTiles tiles = new SparkTiles(sc, job, partitions, progress);
        long count = tiles.count();
        seconds.put("train_tiles", since(t0));
        long t1 = System.nanoTime();
        TiledRegression.Solved solved = TiledRegression.solve(tiles, y, reg, settings, LinearAlgebra.automatic(),
                progress, seconds, "");
        seconds.put("solve", since(t1) - seconds.get("preconditioner"));
        tiles.release();

        long t2 = System.nanoTime();
        int m = xTest.rows();
        int bt = (int) Math.max(1, Math.min(block, (128L << 20) / (16L * n)));
        List<int[]> ranges = new ArrayList<>();
        for (int s = 0; s < m; s += bt) {
            ranges.add(new int[] {s, Math.min(bt, m - s)});
        }
        Broadcast<double[]> test = sc.broadcast(xTest.data());
        Broadcast<double[]> a = sc.broadcast(solved.a().data());
        double[] mean = new double[m * k];
        for (double[] part : sc.parallelize(ranges, Math.max(1, Math.min(ranges.size(), 4 * sc.defaultParallelism())))
                .map(new TileFunctions.Predict(job, test, a, k)).collect()) {
            System.arraycopy(part, 1, mean, (int) part[0] * k, part.length - 1);
        }
        test.destroy();
        a.destroy();
        x.destroy();
        seconds.put("predict", since(t2));
        return new Result(Matrix.wrap(m, k, mean), solved, count, seconds);
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
