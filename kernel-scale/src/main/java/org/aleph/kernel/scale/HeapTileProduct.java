package org.aleph.kernel.scale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The local engine's tile product for tiles held anywhere, e.g. in the heap of a Spark executor:
 * for a set of tiles (I, J), I &lt;= J, of the symmetric train-train kernel K (each a
 * size(I) x size(J) row-major block of little-endian float32 or float64 entries, as
 * {@link TileStore} writes them), it computes
 * <pre>Y = sum over the tiles of  [Y_I += K_IJ X_J  and, for I != J,  Y_J += K_IJ^T X_I]</pre>
 * with X and Y (n x k) held by column (target c at {@code c * n}), all sums in float64.
 *
 * <p>Where module {@code jdk.incubator.vector} is present ({@link #vectorApi()}) this is the
 * very same fused pass as {@link TiledKernel}'s ({@link VectorProduct}: each entry read once,
 * widened to float64, used for both products, eight rows at a time; bit for bit the same on every
 * run). Otherwise (e.g. the executors of a cluster started without the module) it is the
 * plain-Java dot product and axpy per tile row of {@link TiledKernel#tileProduct}, equal to the
 * fused pass up to the order of the float64 sums (about 1e-15 relative).
 */
public final class HeapTileProduct {

    private HeapTileProduct() {
    }

    /** Whether the fused Vector API pass can run in this process (module jdk.incubator.vector present). */
    public static boolean vectorApi() {
        return TiledKernel.Product.vectorApi();
    }

    /**
     * Y = the sum of the given tiles' products (above), overwriting {@code yc}, on the Vector API
     * where it is present, else in plain Java.
     *
     * @param layout    the blocks of the n points
     * @param precision the tiles' entry type
     * @param ij        the tiles' block indices {I, J}, I &lt;= J, each tile at most once
     * @param tiles     tile (I, J) of {@code ij} at the same index: size(I) size(J) entries from position 0
     * @param xc        X by column, n k entries
     * @param k         the number of targets
     * @param yc        Y by column, n k entries, overwritten
     */
    public static void product(TileLayout layout, TilePrecision precision, List<int[]> ij, List<ByteBuffer> tiles, double[] xc,
                               int k, double[] yc) {
        product(layout, precision, ij, tiles, xc, k, yc, vectorApi());
    }

    /**
     * The same with the path chosen: {@code vector} true for the fused Vector API pass (only
     * where {@link #vectorApi()} holds), false for the plain-Java loop.
     */
    public static void product(TileLayout layout, TilePrecision precision, List<int[]> ij, List<ByteBuffer> tiles, double[] xc,
                               int k, double[] yc, boolean vector) {
        int n = layout.n();
        int nb = layout.blocks();
        if (ij.size() != tiles.size() || xc.length < n * k || yc.length < n * k) {
            throw new IllegalArgumentException("tiles " + ij.size() + " for " + tiles.size() + " buffers, or X, Y shorter than n k");
        }
        ByteBuffer[][] grid = new ByteBuffer[nb][nb];
        for (int t = 0; t < ij.size(); t++) {
            int i = ij.get(t)[0];
            int j = ij.get(t)[1];
            if (i > j || j >= nb || i < 0 || grid[i][j] != null) {
                throw new IllegalArgumentException("tile (" + i + ", " + j + ") is not one of the upper triangle, or given twice");
            }
            ByteBuffer b = tiles.get(t).duplicate().order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() != (long) layout.size(i) * layout.size(j) * precision.bytes()) {
                throw new IllegalArgumentException("tile (" + i + ", " + j + ") holds " + b.remaining() + " bytes");
            }
            grid[i][j] = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        if (vector) {
            VectorProduct.share(ij, layout, grid, precision, xc, k, yc);
        } else {
            double[][] x = new double[k][];
            for (int c = 0; c < k; c++) {
                x[c] = java.util.Arrays.copyOfRange(xc, c * n, (c + 1) * n);
            }
            double[][] y = TiledKernel.javaShare(ij, layout, grid, precision, x, k);
            for (int c = 0; c < k; c++) {
                System.arraycopy(y[c], 0, yc, c * n, n);
            }
        }
    }
}
