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
 * <p>L is held as r rows of n (row j = column j of L), off the heap on the bundled OpenBLAS
 * when it is usable ({@link FactorStore}); the candidates' update is then one dgemm per round.
 */
final class PivotedCholesky {

    /** Candidates per round. */
    static final int BLOCK = 64;

    final int n;
    /** The rank found (at most the one asked for). */
    final int rank;
    /** L^T, rank x n (row j = column j of L), on or off the heap. */
    final FactorStore factor;
    /** The pivots in order. */
    final int[] pivots;
    /** trace(K - L L^T) at the end. */
    final double residualTrace;

    private PivotedCholesky(int n, int rank, FactorStore factor, int[] pivots, double residualTrace) {
        this.n = n;
        this.rank = rank;
        this.factor = factor;
        this.pivots = pivots;
        this.residualTrace = residualTrace;
    }

    /** L[i, j] (entry i of column j). */
    double get(int j, int i) {
        return factor.get(j, i);
    }

    /**
     * Factorises up to {@code maxRank} columns, stopping early when no residual diagonal exceeds
     * {@code floor} (the approximation is then as good as the regulariser). The factor lives off
     * the heap when the bundled OpenBLAS is usable ({@link FactorStore}).
     */
    static PivotedCholesky compute(KernelOperator k, int maxRank, double floor, LinearAlgebra la, ScaleProgress progress) {
        int n = k.n();
        int r = Math.min(maxRank, n);
        double[] d = k.diagonal().clone();
        FactorStore lt = FactorStore.allocate(r, n, la);
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
                        lc[q * found + j] = lt.get(j, cand[q]);
                    }
                }
                lt.subtractProduct(lc, b, found, c);
            }
            boolean[] used = new boolean[b];
            int start = found;
            double[] round = new double[b * n]; // the columns of L found in this round, row (found - start)
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
                int o = (found - start) * n;
                System.arraycopy(c, q * n, round, o, n);
                for (int j = 0; j < found - start; j++) { // the columns of this round so far
                    int oj = j * n;
                    double f = round[oj + p];
                    for (int i = 0; i < n; i++) {
                        round[o + i] -= f * round[oj + i];
                    }
                }
                double s = 1.0 / Math.sqrt(d[p]);
                for (int i = 0; i < n; i++) {
                    double v = round[o + i] * s;
                    round[o + i] = v;
                    d[i] -= v * v;
                }
                d[p] = 0;
                taken[p] = true;
                pivots[found++] = p;
            }
            if (found == start) {
                break;
            }
            lt.setRows(start, round, found - start);
            progress.update("preconditioner", found, r);
        }
        double trace = 0;
        for (double v : d) {
            trace += Math.max(0, v);
        }
        progress.update("preconditioner", r, r);
        lt.shrink(found);
        return new PivotedCholesky(n, found, lt, Arrays.copyOf(pivots, found), trace);
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
