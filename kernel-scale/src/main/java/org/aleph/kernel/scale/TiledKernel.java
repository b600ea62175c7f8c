package org.aleph.kernel.scale;

import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The symmetric n x n train-train kernel K held as memory-mapped tiles (I, J), I &lt;= J, of a
 * {@link TileStore}: products K X for n x k blocks of vectors (every tile read once per
 * product and used for both K_IJ X_J and K_IJ^T X_I), rows (for the pivoted Cholesky) and the
 * diagonal.
 */
final class TiledKernel implements KernelOperator {

    private final TileLayout layout;
    private final DoubleBuffer[][] tiles;
    private final int threads;
    private final double[] diagonal;

    TiledKernel(TileLayout layout, TileStore store, int threads) {
        this.layout = layout;
        this.threads = threads;
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
     * Y = (K + shift I) X for X (n x k, row-major); Y is overwritten. The tiles are shared out
     * to the worker threads, each accumulating into its own copy of Y; X and Y are held by
     * column (one n-array per target); tile t goes to worker t mod workers, so the result is the
     * same bit for bit on every run with the same thread count. Each tile row meets each target as one dot
     * product (K_IJ X_J) and one axpy (K_IJ^T X_I) over contiguous arrays, which HotSpot
     * vectorises: one pass over each tile per product, no per-entry calls.
     */
    @Override
    public void multiply(double[] x, int k, double shift, double[] y) {
        int n = layout.n();
        int nb = layout.blocks();
        double[][] xc = new double[k][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                xc[c][i] = x[i * k + c];
            }
        }
        List<int[]> work = new ArrayList<>();
        for (int i = 0; i < nb; i++) {
            for (int j = i; j < nb; j++) {
                work.add(new int[] {i, j});
            }
        }
        int workers = Math.max(1, Math.min(threads, work.size()));
        double[][][] partial = new double[workers][][];
        Thread[] pool = new Thread[workers];
        RuntimeException[] failure = new RuntimeException[1];
        for (int w = 0; w < workers; w++) {
            int id = w;
            Runnable task = () -> {
                double[][] yc = new double[k][n];
                double[] buf = new double[layout.block() * layout.block()];
                for (int t = id; t < work.size(); t += workers) { // fixed shares: the same sums on every run
                    int i = work.get(t)[0];
                    int j = work.get(t)[1];
                    int si = layout.size(i);
                    int sj = layout.size(j);
                    tiles[i][j].get(0, buf, 0, si * sj);
                    tileProduct(buf, si, sj, layout.start(i), layout.start(j), i != j, xc, yc);
                }
                partial[id] = yc;
            };
            if (w == workers - 1) {
                task.run();
            } else {
                pool[w] = new Thread(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        failure[0] = e;
                    }
                }, "aleph-tiles-" + w);
                pool[w].setDaemon(true);
                pool[w].start();
            }
        }
        for (Thread th : pool) {
            if (th != null) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted during a kernel product", e);
                }
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double sum = shift * x[i * k + c];
                for (double[][] yc : partial) {
                    sum += yc[c][i];
                }
                y[i * k + c] = sum;
            }
        }
    }

    /** yc[:, i0 ..] += T xc[:, j0 ..] and, off the diagonal, yc[:, j0 ..] += T^T xc[:, i0 ..], T rows x cols. */
    static void tileProduct(double[] t, int rows, int cols, int i0, int j0, boolean offDiagonal, double[][] xc, double[][] yc) {
        for (int a = 0; a < rows; a++) {
            int o = a * cols;
            for (int c = 0; c < xc.length; c++) {
                double[] xv = xc[c];
                double[] yv = yc[c];
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int b = 0;
                for (; b + 3 < cols; b += 4) {
                    s0 += t[o + b] * xv[j0 + b];
                    s1 += t[o + b + 1] * xv[j0 + b + 1];
                    s2 += t[o + b + 2] * xv[j0 + b + 2];
                    s3 += t[o + b + 3] * xv[j0 + b + 3];
                }
                for (; b < cols; b++) {
                    s0 += t[o + b] * xv[j0 + b];
                }
                yv[i0 + a] += (s0 + s1) + (s2 + s3);
                if (offDiagonal) {
                    double xa = xv[i0 + a];
                    for (b = 0; b < cols; b++) {
                        yv[j0 + b] += xa * t[o + b];
                    }
                }
            }
        }
    }
}
