package org.aleph.kernel.scale;

import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * Partial pivoted Cholesky factorisation of a symmetric positive semi-definite kernel: K is
 * approximated by L L^T with L n x r, the pivot at each step the point whose residual diagonal
 * (K - L L^T)_pp is largest (Harbrecht, Peters and Schneider 2012, "On the low-rank
 * approximation by the pivoted Cholesky decomposition"). Each step reads one row of K and costs
 * O(n k) for the k columns found so far, O(n r^2) in all; the trace of the residual K - L L^T
 * is exactly the sum of the residual diagonal, which it reports.
 *
 * <p>L is held as r rows of n (row j = column j of L) so that the update of a new column by
 * the previous ones is one matrix-vector product.
 */
final class PivotedCholesky {

    final int n;
    /** The rank found (at most the one asked for). */
    final int rank;
    /** rank x n, row j = column j of L. */
    final double[] lt;
    /** The pivots in order. */
    final int[] pivots;
    /** trace(K - L L^T) at the end. */
    final double residualTrace;

    private PivotedCholesky(int n, int rank, double[] lt, int[] pivots, double residualTrace) {
        this.n = n;
        this.rank = rank;
        this.lt = lt;
        this.pivots = pivots;
        this.residualTrace = residualTrace;
    }

    /**
     * Factorises up to {@code maxRank} columns, stopping early when the largest residual
     * diagonal falls below {@code floor} (the approximation is then as good as the regulariser).
     */
    static PivotedCholesky compute(TiledKernel k, int maxRank, double floor, LinearAlgebra la, ScaleProgress progress) {
        int n = k.n();
        int r = Math.min(maxRank, n);
        double[] d = k.diagonal().clone();
        double[] lt = new double[Math.multiplyExact(r, n)];
        int[] pivots = new int[r];
        double[] row = new double[n];
        double[] lp = new double[r];
        double[] col = new double[n];
        int found = 0;
        for (; found < r; found++) {
            int p = 0;
            for (int i = 1; i < n; i++) {
                if (d[i] > d[p]) {
                    p = i;
                }
            }
            if (!(d[p] > floor)) {
                break;
            }
            k.row(p, row);
            for (int j = 0; j < found; j++) {
                lp[j] = lt[j * n + p];
            }
            System.arraycopy(row, 0, col, 0, n);
            if (found > 0) {
                // col -= L[:, :found] L[p, :found]^T
                // (lt holds r x n; gemm reads only its first found x n entries)
                la.gemm(true, false, n, 1, found, -1.0, lt, lp, 1.0, col);
            }
            double s = 1.0 / Math.sqrt(d[p]);
            int o = found * n;
            for (int i = 0; i < n; i++) {
                double v = col[i] * s;
                lt[o + i] = v;
                d[i] -= v * v;
            }
            d[p] = 0; // exactly: rounding must never pick a pivot twice
            pivots[found] = p;
            if ((found & 31) == 31) {
                progress.update("preconditioner", found + 1, r);
            }
        }
        double trace = 0;
        for (double v : d) {
            trace += Math.max(0, v);
        }
        progress.update("preconditioner", r, r);
        double[] exact = found == r ? lt : java.util.Arrays.copyOf(lt, found * n);
        return new PivotedCholesky(n, found, exact, java.util.Arrays.copyOf(pivots, found), trace);
    }
}
