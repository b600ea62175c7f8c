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
        bound(r.nngp().data(), r.nngp().rows(), r.nngp().cols(), v1, v2, "NNGP");
        if (symmetric) {
            int n = r.ntk().rows();
            double[] t = r.ntk().data();
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = t[i * n + i];
            }
            requireNonNegative(d, "the NTK diagonal");
            bound(t, n, n, d, d, "NTK");
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

    private static void bound(double[] k, int rows, int cols, double[] a, double[] b, String what) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double scale = Math.sqrt(a[i] * b[j]);
                double v = Math.abs(k[i * cols + j]);
                if (v > scale * (1 + SLACK) + Double.MIN_NORMAL) {
                    throw new UserErrorException(String.format(Locale.ROOT, "the %s violates Cauchy-Schwarz at entry (%d, %d): |K| = %.6g "
                            + "> sqrt(K(x,x) K(x',x')) = %.6g, which no kernel can: an activation's expectations are wrong (check the "
                            + "plug-ins listed by `aleph activations`)", what, i + 1, j + 1, v, scale));
                }
            }
        }
    }
}
