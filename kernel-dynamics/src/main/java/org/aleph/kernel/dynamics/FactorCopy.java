package org.aleph.kernel.dynamics;

import java.util.stream.IntStream;

/**
 * The one pass over a symmetric row-major n x n kernel K that {@link RegularizedCholesky} makes
 * before factorising: it copies K (only its lower triangle, j &lt;= i, when the factorisation
 * reads nothing else) into a zeroed array, checks that every entry of K is finite, and sums
 * |K_ij| over j != i for each row i, so that ||K + r I||_1 = max_i (sum_i + |K_ii + r|) (rows
 * and columns alike, K being symmetric) is known for any regulariser r without another pass.
 * Rows are split between the cores: the pass is bound by memory bandwidth, and at n = 2000 it
 * replaces a finiteness scan, a clone, a norm pass and the clearing of the upper triangle
 * (about 20 ms together on this machine, against 35 ms for dpotrf on both cores).
 */
final class FactorCopy {

    /** Rows per task; below two tasks' worth the pass runs on the calling thread. */
    private static final int ROWS_PER_TASK = 128;

    private FactorCopy() {
    }

    /**
     * Copies {@code k} into {@code a} (which must be zero wherever nothing is copied).
     *
     * @param lowerOnly   copy only j &lt;= i of each row (otherwise the whole row)
     * @param offDiagonal when not null, receives sum_{j != i} |K_ij| for each row i
     * @return whether every entry of {@code k} is finite (always true when {@code offDiagonal} is null:
     *     the check rides on the sums)
     */
    static boolean copy(double[] k, int n, double[] a, boolean lowerOnly, double[] offDiagonal) {
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        if (tasks < 2) {
            return copyRows(k, n, a, lowerOnly, offDiagonal, 0, n);
        }
        // sum, not allMatch: every row must be copied and summed even when one task finds a
        // non-finite sum (an overflow of finite entries is not an error).
        return IntStream.range(0, tasks).parallel()
                .map(t -> copyRows(k, n, a, lowerOnly, offDiagonal, t * ROWS_PER_TASK,
                        Math.min(n, (t + 1) * ROWS_PER_TASK)) ? 0 : 1)
                .sum() == 0;
    }

    private static boolean copyRows(double[] k, int n, double[] a, boolean lowerOnly, double[] offDiagonal,
                                    int from, int to) {
        boolean finite = true;
        for (int i = from; i < to; i++) {
            int row = i * n;
            System.arraycopy(k, row, a, row, lowerOnly ? i + 1 : n);
            if (offDiagonal == null) {
                continue;
            }
            double s = 0;
            for (int j = 0; j < i; j++) {
                s += Math.abs(k[row + j]);
            }
            for (int j = i + 1; j < n; j++) {
                s += Math.abs(k[row + j]);
            }
            offDiagonal[i] = s;
            // A sum of absolute values is NaN or infinite when an entry is (or when it overflows,
            // which the caller's entry-by-entry check then tells apart).
            finite &= Double.isFinite(s) && Double.isFinite(k[row + i]);
        }
        return finite;
    }
}
