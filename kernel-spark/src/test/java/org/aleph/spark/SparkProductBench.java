package org.aleph.spark;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.aleph.kernel.scale.HeapTileProduct;
import org.aleph.kernel.scale.TileLayout;
import org.aleph.kernel.scale.TilePrecision;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Times the Spark engine's product (K + sI) X against the same fused pass on the same tiles in
 * one thread, outside Spark (not a test; run by hand, docs/scale.md):
 * {@code java --add-modules jdk.incubator.vector <opens> -cp test-classes:classes:lib/* org.aleph.spark.SparkProductBench n k repeats partitionsPerCore master}.
 */
public final class SparkProductBench {

    private SparkProductBench() {
    }

    /** A tile of uniform random entries in float32. */
    static final class RandomTile implements org.apache.spark.api.java.function.Function<int[], Tile> {
        private static final long serialVersionUID = 1L;
        private final int n;

        RandomTile(int n) {
            this.n = n;
        }

        @Override
        public Tile call(int[] ij) {
            TileLayout layout = new TileLayout(n, 2000);
            Random r = new Random(ij[0] * 1000L + ij[1]);
            double[] v = new double[layout.size(ij[0]) * layout.size(ij[1])];
            for (int e = 0; e < v.length; e++) {
                v[e] = r.nextDouble();
            }
            return Tile.of(ij[0], ij[1], layout.size(ij[0]), layout.size(ij[1]), TilePrecision.FLOAT32, v);
        }
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int k = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        int perCore = Integer.parseInt(args[3]);
        String master = args.length > 4 ? args[4] : "local[2]";
        TileLayout layout = new TileLayout(n, 2000);
        List<int[]> ij = new ArrayList<>();
        List<ByteBuffer> buffers = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < layout.blocks(); i++) {
            for (int j = i; j < layout.blocks(); j++) {
                double[] v = new double[layout.size(i) * layout.size(j)];
                for (int e = 0; e < v.length; e++) {
                    v[e] = r.nextDouble();
                }
                ij.add(new int[] {i, j});
                buffers.add(Tile.of(i, j, layout.size(i), layout.size(j), TilePrecision.FLOAT32, v).buffer());
            }
        }
        double[] x = new double[n * k];
        for (int e = 0; e < x.length; e++) {
            x[e] = r.nextGaussian();
        }
        double[] y = new double[n * k];
        for (int rep = 0; rep < repeats; rep++) {
            long t0 = System.nanoTime();
            HeapTileProduct.product(layout, TilePrecision.FLOAT32, ij, buffers, x, k, y);
            System.out.printf("heap product, one thread: %.3f s%n", (System.nanoTime() - t0) / 1e9);
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("bench").set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            SparkTiles tiles = new SparkTiles(sc, n, 2000, perCore * sc.defaultParallelism(), new RandomTile(n));
            System.out.println("tiles " + tiles.count());
            for (int rep = 0; rep < repeats; rep++) {
                long t0 = System.nanoTime();
                tiles.multiply(x, k, 0.5, y);
                System.out.printf("spark product: %.3f s%n", (System.nanoTime() - t0) / 1e9);
            }
            int[] points = new int[64]; // as PivotedCholesky asks them
            double[] rows = new double[points.length * n];
            for (int rep = 0; rep < repeats; rep++) {
                for (int q = 0; q < points.length; q++) {
                    points[q] = r.nextInt(n);
                }
                long t0 = System.nanoTime();
                tiles.rows(points, rows);
                System.out.printf("spark rows of 64 points: %.3f s%n", (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
