package org.aleph.cli;

import java.util.Locale;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.UserErrorException;

/**
 * The cheap checks every computed kernel must pass, whatever activation (built-in or plug-in)
 * produced it, so that a wrong expectation is caught instead of written out (issue 15):
 * the NNGP and NTK are Gram matrices of some feature map, hence their diagonals (and the output
 * variances) are non-negative and every entry obeys Cauchy-Schwarz,
 * |K(x, x')| &lt;= sqrt(K(x, x) K(x', x')), here against the output variances (NNGP) and, for a
 * kernel of X1 against itself, the diagonal (NTK). O(n1 n2), a pass over the matrices.
 */
final class KernelChecks {

    /**
     * Relative slack: quadrature activations promise 1e-7 of the Cauchy-Schwarz scale at worst,
     * so a violation beyond 1e-5 of it is a wrong expectation, not rounding.
     */
    static final double SLACK = 1e-5;

    /** (1 + SLACK)^2 less a margin of 1e-12: the square-root-free acceptance of {@link #firstViolation}. */
    private static final double SQUARED_SLACK = (1 + SLACK) * (1 + SLACK) * (1 - 1e-12);

    /** Products a b below this take the exact test (no underflow in K^2 or a b above it). */
    private static final double TINY = 0x1p-900;

    /** Kernels of at least this many entries are checked on two threads. */
    private static final long PARALLEL_ENTRIES = 1L << 20;

    private KernelChecks() {
    }

    /**
     * @param symmetric true when the kernel is of X1 against itself
     * @throws UserErrorException naming the entry and the bound when a check fails
     */
    static void require(KernelResult r, boolean symmetric) {
        double[] v1 = r.var1();
        double[] v2 = r.var2();
        requireNonNegative(v1, "K(x, x) of X1");
        requireNonNegative(v2, "K(x', x') of X2");
        bound(r.nngp().data(), r.nngp().rows(), r.nngp().cols(), v1, v2, symmetric, "NNGP");
        if (symmetric) {
            int n = r.ntk().rows();
            double[] t = r.ntk().data();
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = t[i * n + i];
            }
            requireNonNegative(d, "the NTK diagonal");
            bound(t, n, n, d, d, true, "NTK");
        }
    }

    private static void requireNonNegative(double[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                throw new UserErrorException(String.format(Locale.ROOT, "%s is negative (%.6g) at row %d, which no kernel can be: an "
                        + "activation's expectations are wrong (check the plug-ins listed by `aleph activations`)", what, v[i], i + 1));
            }
        }
    }

    /**
     * Rows of {@code k} checked against {@code sqrt(a[i] b[j])}; for a symmetric kernel only the
     * upper triangle (the lower one is its exact mirror, and a violation's mirror comes later in
     * row order). Large kernels are split into row bands on two threads; the violation reported
     * is the first in row order, as a single pass would find.
     */
    static void bound(double[] k, int rows, int cols, double[] a, double[] b, boolean symmetric, String what) {
        int bands = (long) rows * cols >= PARALLEL_ENTRIES ? Math.min(2, Runtime.getRuntime().availableProcessors()) : 1;
        long[] first = new long[bands];
        java.util.Arrays.fill(first, -1);
        // equal work per band: the upper triangle's rows get shorter, so the first band ends where half the entries are
        int split = bands == 1 ? rows : symmetric ? (int) Math.round(rows * (1 - Math.sqrt(0.5))) : rows / 2;
        Thread other = null;
        if (bands == 2) {
            other = new Thread(() -> first[1] = firstViolation(k, split, rows, cols, a, b, symmetric), "aleph-checks");
            other.start();
        }
        first[0] = firstViolation(k, 0, split, cols, a, b, symmetric);
        if (other != null) {
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking the kernels", e);
            }
        }
        for (long at : first) {
            if (at >= 0) {
                int i = (int) (at / cols);
                int j = (int) (at % cols);
                double scale = Math.sqrt(a[i] * b[j]);
                throw new UserErrorException(String.format(Locale.ROOT, "the %s violates Cauchy-Schwarz at entry (%d, %d): |K| = %.6g "
                        + "> sqrt(K(x,x) K(x',x')) = %.6g, which no kernel can: an activation's expectations are wrong (check the "
                        + "plug-ins listed by `aleph activations`)", what, i + 1, j + 1, Math.abs(k[(int) at]), scale));
            }
        }
    }

    /**
     * The index of the first entry of rows {@code from .. to - 1} with
     * {@code |K| > sqrt(a b) (1 + SLACK) + MIN_NORMAL}, or -1. Most entries are accepted without a
     * square root: {@code K^2 <= a b (1 + SLACK)^2 (1 - 1e-12)} implies the bound whenever no
     * product under- or overflows (the margin dwarfs the rounding); the rest take the exact test.
     */
    private static long firstViolation(double[] k, int from, int to, int cols, double[] a, double[] b, boolean symmetric) {
        for (int i = from; i < to; i++) {
            double ai = a[i] * SQUARED_SLACK;
            int row = i * cols;
            for (int j = symmetric ? i : 0; j < cols; j++) {
                double v = k[row + j];
                double ab = ai * b[j];
                double vv = v * v;
                if (vv <= ab && ab >= TINY && vv < Double.MAX_VALUE) {
                    continue;
                }
                double scale = Math.sqrt(a[i] * b[j]);
                if (Math.abs(v) > scale * (1 + SLACK) + Double.MIN_NORMAL) {
                    return (long) row + j;
                }
            }
        }
        return -1;
    }
}
