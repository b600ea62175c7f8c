package org.aleph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.scale.HeapTileProduct;
import org.aleph.kernel.scale.TileLayout;
import org.aleph.kernel.scale.TilePrecision;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;

/**
 * The Spark engine's products against the dense product of the same (rounded) kernel, by a
 * triple loop: kernel-scale's fused Vector API pass ({@link HeapTileProduct}, the local engine's
 * {@code VectorProduct}) and its plain-Java fallback on random tiles with a ragged last block, and
 * {@link SparkTiles} on local[2] with the tiles of a real kernel in float32 and float64.
 */
class SparkProductTest {

    /** n = 530 in blocks of 200: 200, 200, 130 (a ragged last block), 6 tiles of which 3 diagonal. */
    static final TileLayout LAYOUT = new TileLayout(530, 200);

    @Test
    void vectorAndPlainJavaEqualTheDenseProductOnRandomTiles() {
        assertTrue(HeapTileProduct.vectorApi(), "the tests run with module jdk.incubator.vector (surefire argLine)");
        Random r = new Random(11);
        int n = LAYOUT.n();
        for (TilePrecision precision : TilePrecision.values()) {
            double[] dense = new double[n * n];
            for (int p = 0; p < n; p++) {
                for (int q = p; q < n; q++) {
                    double v = r.nextGaussian();
                    v = precision == TilePrecision.FLOAT32 ? (float) v : v;
                    dense[p * n + q] = v;
                    dense[q * n + p] = v;
                }
            }
            List<Tile> all = tilesOf(dense, precision);
            for (int k : new int[] {1, 10}) {
                double[] xc = gaussians(r, n * k);
                double[] expected = denseByColumn(dense, n, xc, k, 0, xc);
                for (List<Tile> part : List.of(all, all.subList(0, 1), all.subList(2, 5), all.subList(5, 6))) {
                    double[] want = denseByColumn(restrict(dense, part), n, xc, k, 0, xc);
                    double[] vector = product(part, precision, xc, k, true);
                    double[] plain = product(part, precision, xc, k, false);
                    double scale = maxAbs(expected);
                    assertClose(want, vector, 1e-12 * scale, precision + " k=" + k + " vector, " + part.size() + " tiles");
                    assertClose(vector, plain, 1e-12 * scale, precision + " k=" + k + " plain Java = vector");
                    assertArrayEquals(vector, product(part, precision, xc, k, true), "bit for bit on a second run");
                }
            }
        }
    }

    @Test
    void sparkTilesGiveTheDenseKernelsProductRowsAndDiagonal() {
        Random r = new Random(5);
        int n = LAYOUT.n();
        int d = 6;
        Network net = Network.parse(SparkRegressionTest.SPEC);
        Matrix x = Matrix.wrap(n, d, gaussians(r, n * d));
        double[] ntk = new KernelComputer(net, 2).compute(x, null).ntk().data();
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("aleph-product-test").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            Broadcast<double[]> bx = sc.broadcast(x.data());
            for (TilePrecision precision : TilePrecision.values()) {
                TileFunctions.Job job = new TileFunctions.Job(net.spec(), null, bx, n, d, LAYOUT.block(), true,
                        precision == TilePrecision.FLOAT32);
                SparkTiles tiles = new SparkTiles(sc, job, 4);
                assertEquals(6, tiles.count());
                double[] rounded = ntk.clone();
                for (int e = 0; e < rounded.length && precision == TilePrecision.FLOAT32; e++) {
                    rounded[e] = (float) rounded[e];
                }
                for (int k : new int[] {1, 10}) {
                    double[] xr = gaussians(r, n * k); // row-major, as the solver passes it
                    double[] y = new double[n * k];
                    tiles.multiply(xr, k, 0.25, y);
                    double worst = 0;
                    double scale = 0;
                    for (int p = 0; p < n; p++) {
                        for (int c = 0; c < k; c++) {
                            double s = 0.25 * xr[p * k + c];
                            double size = 0;
                            for (int q = 0; q < n; q++) {
                                s += rounded[p * n + q] * xr[q * k + c];
                                size += Math.abs(rounded[p * n + q] * xr[q * k + c]);
                            }
                            worst = Math.max(worst, Math.abs(s - y[p * k + c]));
                            scale = Math.max(scale, size);
                        }
                    }
                    assertTrue(worst <= 1e-12 * scale, precision + " k=" + k + ": |spark - dense| " + worst + " of " + scale);
                }
                int[] points = {0, 199, 200, 417, 529};
                double[] rows = new double[points.length * n];
                tiles.rows(points, rows);
                for (int q = 0; q < points.length; q++) {
                    for (int c = 0; c < n; c++) {
                        assertEquals(rounded[points[q] * n + c], rows[q * n + c], 0.0, "row " + points[q]);
                    }
                }
                for (int p = 0; p < n; p++) {
                    assertEquals(rounded[p * n + p], tiles.diagonal()[p], 0.0, "diagonal " + p);
                }
                tiles.release();
            }
        }
    }

    /** The upper-triangle tiles of a dense symmetric matrix, in the given precision. */
    static List<Tile> tilesOf(double[] dense, TilePrecision precision) {
        int n = LAYOUT.n();
        List<Tile> tiles = new ArrayList<>();
        for (int i = 0; i < LAYOUT.blocks(); i++) {
            for (int j = i; j < LAYOUT.blocks(); j++) {
                int si = LAYOUT.size(i);
                int sj = LAYOUT.size(j);
                double[] v = new double[si * sj];
                for (int a = 0; a < si; a++) {
                    for (int b = 0; b < sj; b++) {
                        v[a * sj + b] = dense[(LAYOUT.start(i) + a) * n + LAYOUT.start(j) + b];
                    }
                }
                tiles.add(Tile.of(i, j, si, sj, precision, v));
            }
        }
        return tiles;
    }

    /** The symmetric matrix of only the given tiles (their transposes included), zero elsewhere. */
    static double[] restrict(double[] dense, List<Tile> part) {
        int n = LAYOUT.n();
        double[] m = new double[n * n];
        for (Tile t : part) {
            for (int a = 0; a < t.rows; a++) {
                for (int b = 0; b < t.cols; b++) {
                    int p = LAYOUT.start(t.i) + a;
                    int q = LAYOUT.start(t.j) + b;
                    m[p * n + q] = dense[p * n + q];
                    m[q * n + p] = dense[q * n + p];
                }
            }
        }
        return m;
    }

    static double[] product(List<Tile> part, TilePrecision precision, double[] xc, int k, boolean vector) {
        List<int[]> ij = new ArrayList<>();
        List<ByteBuffer> buffers = new ArrayList<>();
        for (Tile t : part) {
            ij.add(new int[] {t.i, t.j});
            buffers.add(t.buffer());
        }
        double[] yc = new double[LAYOUT.n() * k];
        java.util.Arrays.fill(yc, Double.NaN); // overwritten
        HeapTileProduct.product(LAYOUT, precision, ij, buffers, xc, k, yc, vector);
        return yc;
    }

    /** (M + shift I) X for X, Y by column. */
    static double[] denseByColumn(double[] m, int n, double[] xc, int k, double shift, double[] sx) {
        double[] y = new double[n * k];
        for (int c = 0; c < k; c++) {
            for (int p = 0; p < n; p++) {
                double s = shift * sx[c * n + p];
                for (int q = 0; q < n; q++) {
                    s += m[p * n + q] * xc[c * n + q];
                }
                y[c * n + p] = s;
            }
        }
        return y;
    }

    static double[] gaussians(Random r, int count) {
        double[] v = new double[count];
        for (int e = 0; e < count; e++) {
            v[e] = r.nextGaussian();
        }
        return v;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) {
            m = Math.max(m, Math.abs(e));
        }
        return m;
    }

    static void assertClose(double[] want, double[] got, double tol, String what) {
        for (int e = 0; e < want.length; e++) {
            assertTrue(Math.abs(want[e] - got[e]) <= tol, what + ": entry " + e + " " + got[e] + " against " + want[e]);
        }
    }
}
