package org.aleph.spark;

import java.util.ArrayList;
import java.util.List;
import org.aleph.kernel.scale.KernelOperator;
import org.aleph.kernel.scale.ScaleProgress;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * The train-train kernel as a cached RDD of tiles (I, J), I &lt;= J, in the job's precision
 * (float32 by default: 7.2 GB at n = 60 000), partitioned over the executors: products with an
 * n x k block are per-partition products by the local engine's fused pass
 * ({@link org.aleph.kernel.scale.HeapTileProduct}) summed on the driver (X travels as a
 * broadcast per product), rows and the diagonal are collected from the tiles that hold them.
 */
final class SparkTiles implements KernelOperator {

    private final JavaSparkContext sc;
    private final JavaRDD<Tile> tiles;
    /**
     * The tiles as the products and rows read them: on a local master one task per core
     * (coalesced, no shuffle: fewer tasks and n x k results per product, 0.28-0.43 s against
     * 0.40-0.60 s at n = 20 000; the rows of 64 points 0.11-0.16 s against 0.17-0.19 s); on a
     * cluster the cached partitions themselves, each read where it is cached.
     */
    private final JavaRDD<Tile> perCore;
    private final int n;
    private final int block;
    private final double[] diagonal;

    SparkTiles(JavaSparkContext sc, TileFunctions.Job job, int partitions) {
        this(sc, job, partitions, ScaleProgress.NONE);
    }

    /** The same, reporting the stage "train tiles". */
    SparkTiles(JavaSparkContext sc, TileFunctions.Job job, int partitions, ScaleProgress progress) {
        this(sc, job.n, job.block, partitions, new TileFunctions.Compute(job), progress);
    }

    /** With the tiles made by {@code compute} from their {I, J} (the kernel's, or a benchmark's). */
    SparkTiles(JavaSparkContext sc, int n, int block, int partitions, Function<int[], Tile> compute) {
        this(sc, n, block, partitions, compute, ScaleProgress.NONE);
    }

    /**
     * The same, reporting the stage "train tiles" in cached partitions (the first action computes
     * and caches them all; {@link TileStageProgress} follows its tasks).
     */
    SparkTiles(JavaSparkContext sc, int n, int block, int partitions, Function<int[], Tile> compute, ScaleProgress progress) {
        this.sc = sc;
        this.n = n;
        this.block = block;
        int nb = (n + block - 1) / block;
        List<int[]> ij = new ArrayList<>();
        for (int i = 0; i < nb; i++) {
            for (int j = i; j < nb; j++) {
                ij.add(new int[] {i, j});
            }
        }
        tiles = sc.parallelize(ij, Math.max(1, Math.min(ij.size(), partitions))).map(compute)
                .persist(StorageLevel.MEMORY_AND_DISK());
        perCore = sc.isLocal() && tiles.getNumPartitions() > sc.defaultParallelism() ? tiles.coalesce(sc.defaultParallelism()) : tiles;
        diagonal = new double[n];
        List<double[]> pieces;
        try (TileStageProgress watch = TileStageProgress.start(sc, tiles.getNumPartitions(), progress)) {
            pieces = tiles.flatMap(new TileFunctions.DiagonalPiece(block)).collect();
        }
        progress.update("train tiles", tiles.getNumPartitions(), tiles.getNumPartitions());
        for (double[] piece : pieces) {
            System.arraycopy(piece, 1, diagonal, (int) piece[0], piece.length - 1);
        }
    }

    /** The number of tiles. */
    long count() {
        return tiles.count();
    }

    @Override
    public int n() {
        return n;
    }

    @Override
    public double[] diagonal() {
        return diagonal;
    }

    @Override
    public void rows(int[] points, double[] out) {
        for (double[] piece : perCore.flatMap(new TileFunctions.RowPieces(points.clone(), block)).collect()) {
            int q = (int) piece[0];
            int offset = (int) piece[1];
            System.arraycopy(piece, 2, out, q * n + offset, piece.length - 2);
        }
    }

    /**
     * Y = (K + shift I) X: X travels by column as a broadcast, each partition returns its tiles'
     * product by column, and the parts are summed on the driver in partition order (the same
     * sums on every run, whichever task finishes first).
     */
    @Override
    public void multiply(double[] x, int k, double shift, double[] y) {
        double[] xc = new double[n * k];
        for (int e = 0; e < n * k; e++) {
            xc[(e % k) * n + e / k] = x[e];
        }
        Broadcast<double[]> bx = sc.broadcast(xc);
        List<double[]> parts = perCore.mapPartitions(new TileFunctions.Product(bx, n, k, block)).collect();
        bx.destroy();
        for (int e = 0; e < n * k; e++) {
            int at = (e % k) * n + e / k;
            double sum = 0;
            for (double[] part : parts) {
                sum += part[at];
            }
            y[e] = sum + shift * x[e];
        }
    }

    /** Drops the cached tiles. */
    void release() {
        tiles.unpersist(false);
    }
}
