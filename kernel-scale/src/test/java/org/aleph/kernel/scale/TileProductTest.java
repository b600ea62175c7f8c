package org.aleph.kernel.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.KernelKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tile products on the bundled OpenBLAS and in plain Java, on float64 and float32 tiles,
 * against the dense product with the whole kernel from {@link KernelComputer}: float64 tiles
 * agree with it to rounding; float32 tiles to the rounding of each entry (2^-24 relative), and
 * exactly with the dense product of the float32-rounded kernel up to float64 rounding.
 */
class TileProductTest {

    @TempDir
    Path work;

    /** 330 points in blocks of 150 (150, 150, 30; three rows chunks per tile with CHUNK 128): 6 tiles. */
    @Test
    void nativeAndJavaProductsEqualTheDenseOneInBothPrecisions() {
        int n = 330;
        int k = 7;
        Problems p = Problems.clusters(n, 1, 5, 2, 3);
        Network net = Network.parse(Problems.SPEC);
        Matrix whole = new KernelComputer(net, 2).compute(p.xTrain, null).ntk();
        TileLayout layout = new TileLayout(n, 150);
        double[] x = new double[n * k];
        java.util.Random rnd = new java.util.Random(7);
        for (int e = 0; e < x.length; e++) {
            x[e] = rnd.nextGaussian();
        }
        double shift = 0.25;
        for (TilePrecision precision : TilePrecision.values()) {
            TileStore store = TileStore.open(work, 99, "ntk-" + precision.label(), precision);
            new TileBuilder(net, null, 2).build(p.xTrain, layout, store, KernelKind.NTK, ScaleProgress.NONE);
            double[] exact = dense(whole, x, n, k, shift, precision);
            double[] java = new double[n * k];
            new TiledKernel(layout, store, 2, TiledKernel.Product.JAVA).multiply(x, k, shift, java);
            assertClose(exact, java, 1e-12, precision + " java");
            for (TiledKernel.Product product : products()) {
                TiledKernel tiled = new TiledKernel(layout, store, 2, product);
                double[] y = new double[n * k];
                tiled.multiply(x, k, shift, y);
                assertClose(exact, y, 1e-12, precision + " " + product);
                double[] again = new double[n * k];
                tiled.multiply(x, k, shift, again);
                assertArrayEquals(y, again, 0.0, "fixed shares: the same sums on every run");
            }
            if (precision == TilePrecision.FLOAT32) { // each entry rounded once: the product moves by at most 2^-24 of |K||x|
                double[] unrounded = dense(whole, x, n, k, shift, TilePrecision.FLOAT64);
                double worst = 0;
                for (int e = 0; e < n * k; e++) {
                    worst = Math.max(worst, Math.abs(java[e] - unrounded[e]) / absProduct(whole, x, e / k, e % k, k));
                }
                assertTrue(worst <= Math.pow(2, -24) * 1.01 && worst > 0, "float32 perturbation " + worst);
            }
        }
    }

    /**
     * The products this process can run besides plain Java: the BLAS one (system or bundled,
     * whichever {@code best()} would take without the Vector API) and the fused Vector API one
     * when jdk.incubator.vector is present (surefire adds it, see the pom).
     */
    private static java.util.List<TiledKernel.Product> products() {
        java.util.List<TiledKernel.Product> list = new java.util.ArrayList<>();
        if (org.aleph.kernel.dynamics.LinearAlgebra.nativeLapack().isPresent()) {
            list.add(TiledKernel.Product.SYSTEM);
        } else if (NativeBlas.available()) {
            list.add(TiledKernel.Product.BUNDLED);
        }
        if (TiledKernel.Product.vectorApi()) {
            list.add(TiledKernel.Product.VECTOR);
        }
        assertTrue(list.contains(TiledKernel.Product.best()) || TiledKernel.Product.best() == TiledKernel.Product.JAVA);
        return list;
    }

    @Test
    void vectorApiIsPresentInTheTests() {
        assertTrue(TiledKernel.Product.vectorApi(), "surefire runs with --add-modules jdk.incubator.vector");
        assertEquals(TiledKernel.Product.VECTOR, TiledKernel.Product.best());
    }

    @Test
    void float32RowsAreTheRoundedKernel() {
        Problems p = Problems.clusters(200, 1, 4, 2, 5);
        Network net = Network.parse(Problems.SPEC);
        TileLayout layout = new TileLayout(200, 64);
        TileStore store = TileStore.open(work, 7, "nngp", TilePrecision.FLOAT32);
        new TileBuilder(net, null, 2).build(p.xTrain, layout, store, KernelKind.NNGP, ScaleProgress.NONE);
        assertEquals(TileStore.fileBytes(64, 64, TilePrecision.FLOAT32), TileStore.HEADER + 4L * 64 * 64);
        TiledKernel tiled = new TiledKernel(layout, store, 2);
        Matrix whole = new KernelComputer(net, 2).compute(p.xTrain, null).nngp();
        double[] row = new double[200];
        for (int q : new int[] {0, 63, 64, 150, 199}) {
            tiled.row(q, row);
            for (int j = 0; j < 200; j++) {
                assertEquals((float) whole.get(q, j), row[j], 0.0, "K(" + q + ", " + j + ")");
            }
            assertEquals((float) whole.get(q, q), tiled.diagonal()[q], 0.0);
        }
        assertTrue(!TileStore.open(work, 7, "nngp", TilePrecision.FLOAT64).valid(0, 0, 64, 64),
                "a float32 tile is not taken for a float64 one");
    }

    private static double[] dense(Matrix kernel, double[] x, int n, int k, double shift, TilePrecision precision) {
        double[] y = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = shift * x[i * k + c];
                for (int j = 0; j < n; j++) {
                    double kij = precision == TilePrecision.FLOAT32 ? (float) kernel.get(i, j) : kernel.get(i, j);
                    s += kij * x[j * k + c];
                }
                y[i * k + c] = s;
            }
        }
        return y;
    }

    private static double absProduct(Matrix kernel, double[] x, int i, int c, int k) {
        double s = 0;
        for (int j = 0; j < kernel.rows(); j++) {
            s += Math.abs(kernel.get(i, j) * x[j * k + c]);
        }
        return s;
    }

    private static void assertClose(double[] expected, double[] actual, double rel, String what) {
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], actual[e], rel * (1 + Math.abs(expected[e])), what + " entry " + e);
        }
    }
}
