package org.aleph.kernel.scale;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * The symmetric n x n train-train kernel K held as memory-mapped tiles (I, J), I &lt;= J, of a
 * {@link TileStore}: products K X for n x k blocks of vectors (every tile read once per
 * product, used for K_IJ X_J and K_IJ^T X_I by two matrix products), single rows (for the
 * pivoted Cholesky) and the diagonal.
 */
final class TiledKernel implements KernelOperator {

    private final TileLayout layout;
    private final DoubleBuffer[][] tiles;
    private final LinearAlgebra la;
    private final double[] diagonal;

    TiledKernel(TileLayout layout, TileStore store, LinearAlgebra la) {
        this.layout = layout;
        this.la = la;
        int nb = layout.blocks();
        tiles = new DoubleBuffer[nb][nb];
        for (int i = 0; i < nb; i++) {
            for (int j = i; j < nb; j++) {
                tiles[i][j] = store.map(i, j, layout.size(i), layout.size(j));
            }
        }
        diagonal = new double[layout.n()];
        for (int i = 0; i < nb; i++) {
            int s = layout.size(i);
            for (int a = 0; a < s; a++) {
                diagonal[layout.start(i) + a] = tiles[i][i].get(a * s + a);
            }
        }
    }

    @Override
    public int n() {
        return layout.n();
    }

    /** The diagonal of K (shared, not copied). */
    @Override
    public double[] diagonal() {
        return diagonal;
    }

    /** The mean of the diagonal, trace(K) / n. */
    double meanDiagonal() {
        return TiledRegression.mean(diagonal);
    }

    @Override
    public void rows(int[] points, double[] out) {
        double[] row = new double[n()];
        for (int q = 0; q < points.length; q++) {
            row(points[q], row);
            System.arraycopy(row, 0, out, q * n(), n());
        }
    }

    /** Row p of K (= column p) into {@code out} (length n). */
    void row(int p, double[] out) {
        int bp = layout.blockOf(p);
        int a = p - layout.start(bp);
        int sp = layout.size(bp);
        for (int j = 0; j < layout.blocks(); j++) {
            int sj = layout.size(j);
            int o = layout.start(j);
            if (j >= bp) {
                tiles[bp][j].get(a * sj, out, o, sj);
            } else {
                DoubleBuffer t = tiles[j][bp];
                for (int b = 0; b < sj; b++) {
                    out[o + b] = t.get(b * sp + a);
                }
            }
        }
    }

    /**
     * Y = (K + shift I) X for X (n x k, row-major); Y is overwritten.
     */
    @Override
    public void multiply(double[] x, int k, double shift, double[] y) {
        int nb = layout.blocks();
        double[][] xb = new double[nb][];
        double[][] yb = new double[nb][];
        for (int i = 0; i < nb; i++) {
            xb[i] = Arrays.copyOfRange(x, layout.start(i) * k, (layout.start(i) + layout.size(i)) * k);
            yb[i] = new double[layout.size(i) * k];
        }
        java.util.Map<Integer, double[]> buffers = new java.util.HashMap<>();
        for (int i = 0; i < nb; i++) {
            int si = layout.size(i);
            for (int j = i; j < nb; j++) {
                int sj = layout.size(j);
                double[] buf = buffers.computeIfAbsent(si * sj, double[]::new);
                tiles[i][j].get(0, buf, 0, si * sj);
                la.gemm(false, false, si, k, sj, 1.0, buf, xb[j], 1.0, yb[i]);
                if (i != j) {
                    la.gemm(true, false, sj, k, si, 1.0, buf, xb[i], 1.0, yb[j]);
                }
            }
        }
        for (int i = 0; i < nb; i++) {
            System.arraycopy(yb[i], 0, y, layout.start(i) * k, yb[i].length);
        }
        if (shift != 0) {
            for (int e = 0; e < y.length; e++) {
                y[e] += shift * x[e];
            }
        }
    }
}
