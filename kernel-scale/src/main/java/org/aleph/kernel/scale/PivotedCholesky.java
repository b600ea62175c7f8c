package org.aleph.kernel.scale;

import java.util.Arrays;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * Partial pivoted Cholesky factorisation of a symmetric positive semi-definite kernel: K is
 * approximated by L L^T with L n x r, pivots chosen by the largest residual diagonal
 * (K - L L^T)_pp (Harbrecht, Peters and Schneider 2012, "On the low-rank approximation by the
 * pivoted Cholesky decomposition"). Blocked so that the O(n r^2) work is matrix-matrix products:
 * each round takes the {@value #BLOCK} points of largest residual diagonal as candidates, reads
 * their rows of K, subtracts the part the columns found so far explain (one product of
 * {@value #BLOCK} x found by found x n), then runs the greedy pivoted Cholesky on the candidates
 * alone (each accepted pivot the candidate of largest current residual, stopping a round at
 * the floor). Every column is an exact column of the residual at its pivot, so L L^T is a
 * Nystrom approximation on the pivots (Chen, Epperly, Tropp and Webber 2023 use the same
 * block structure for randomly pivoted Cholesky). The trace of K - L L^T is reported.
 *
 * <p>L is held as r rows of n (row j = column j of L).
 */
final class PivotedCholesky {

    /** Candidates per round. */
    static final int BLOCK = 64;

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
     * Factorises up to {@code maxRank} columns, stopping early when no residual diagonal exceeds
     * {@code floor} (the approximation is then as good as the regulariser).
     */
    static PivotedCholesky compute(KernelOperator k, int maxRank, double floor, LinearAlgebra la, ScaleProgress progress) {
        int n = k.n();
        int r = Math.min(maxRank, n);
        double[] d = k.diagonal().clone();
        double[] lt = new double[Math.multiplyExact(r, n)];
        int[] pivots = new int[r];
        boolean[] taken = new boolean[n];
        int found = 0;
        progress.update("preconditioner", 0, r);
        while (found < r) {
            int[] cand = largest(d, taken, Math.min(BLOCK, r - found), floor);
            int b = cand.length;
            if (b == 0) {
                break;
            }
            double[] c = new double[b * n]; // row q = column cand[q] of K, then of the residual
            k.rows(cand, c);
            if (found > 0) {
                double[] lc = new double[b * found]; // L[cand, :found]
                for (int q = 0; q < b; q++) {
                    for (int j = 0; j < found; j++) {
                        lc[q * found + j] = lt[j * n + cand[q]];
                    }
                }
                la.gemm(false, false, b, n, found, -1.0, lc, lt, 1.0, c); // (lt holds r x n; only found x n is read)
            }
            boolean[] used = new boolean[b];
            int start = found;
            for (int step = 0; step < b && found < r; step++) {
                int q = -1;
                for (int t = 0; t < b; t++) {
                    if (!used[t] && (q < 0 || d[cand[t]] > d[cand[q]])) {
                        q = t;
                    }
                }
                if (q < 0 || !(d[cand[q]] > floor)) {
                    break;
                }
                int p = cand[q];
                used[q] = true;
                int o = found * n;
                System.arraycopy(c, q * n, lt, o, n);
                for (int j = start; j < found; j++) { // the columns of this round so far
                    double f = lt[j * n + p];
                    int oj = j * n;
                    for (int i = 0; i < n; i++) {
                        lt[o + i] -= f * lt[oj + i];
                    }
                }
                double s = 1.0 / Math.sqrt(d[p]);
                for (int i = 0; i < n; i++) {
                    double v = lt[o + i] * s;
                    lt[o + i] = v;
                    d[i] -= v * v;
                }
                d[p] = 0;
                taken[p] = true;
                pivots[found++] = p;
            }
            if (found == start) {
                break;
            }
            progress.update("preconditioner", found, r);
        }
        double trace = 0;
        for (double v : d) {
            trace += Math.max(0, v);
        }
        progress.update("preconditioner", r, r);
        double[] exact = found == r ? lt : Arrays.copyOf(lt, found * n);
        return new PivotedCholesky(n, found, exact, Arrays.copyOf(pivots, found), trace);
    }

    /** Up to {@code count} untaken indices of largest d above the floor, largest first. */
    static int[] largest(double[] d, boolean[] taken, int count, double floor) {
        int[] best = new int[count];
        int size = 0;
        for (int i = 0; i < d.length; i++) {
            if (taken[i] || !(d[i] > floor)) {
                continue;
            }
            if (size < count) {
                best[size++] = i;
            } else if (d[i] > d[best[size - 1]]) {
                best[size - 1] = i;
            } else {
                continue;
            }
            for (int t = size - 1; t > 0 && d[best[t]] > d[best[t - 1]]; t--) { // keep sorted, descending
                int tmp = best[t];
                best[t] = best[t - 1];
                best[t - 1] = tmp;
            }
        }
        return Arrays.copyOf(best, size);
    }
}
