package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Locale;
import java.util.Random;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

/**
 * The Cauchy-Schwarz check of {@link KernelChecks} against facts independent of it: the Gram
 * matrix of any vectors obeys |K(x, x')| &lt;= sqrt(K(x, x) K(x', x')), so it must pass; a
 * planted violation must be reported at the first violating entry in row order that a plain
 * scan with the square root finds, on one thread and on the two-thread path (at least 2^20
 * entries), for symmetric and rectangular kernels.
 */
class KernelChecksTest {

    /** Rows of random vectors (d features) and their Gram matrix with the rows' squared norms. */
    private static final class Gram {
        final double[] k;
        final double[] a;
        final double[] b;
        final int rows;
        final int cols;

        Gram(int rows, int cols, int d, long seed, boolean symmetric) {
            Random r = new Random(seed);
            double[][] x = vectors(rows, d, r);
            double[][] y = symmetric ? x : vectors(cols, d, r);
            this.rows = rows;
            this.cols = cols;
            k = new double[rows * cols];
            a = norms(x);
            b = norms(y);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    k[i * cols + j] = dot(x[i], y[j]);
                }
            }
        }

        private static double[][] vectors(int n, int d, Random r) {
            double[][] v = new double[n][d];
            for (double[] row : v) {
                for (int f = 0; f < d; f++) {
                    row[f] = r.nextGaussian();
                }
            }
            return v;
        }

        private static double[] norms(double[][] v) {
            double[] q = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                q[i] = dot(v[i], v[i]);
            }
            return q;
        }

        private static double dot(double[] u, double[] v) {
            double s = 0;
            for (int f = 0; f < u.length; f++) {
                s += u[f] * v[f];
            }
            return s;
        }

        /** The first entry in row order with |K| > sqrt(a b) (1 + slack) + MIN_NORMAL, by a plain scan, or -1. */
        long firstViolation() {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    if (Math.abs(k[i * cols + j]) > Math.sqrt(a[i] * b[j]) * (1 + KernelChecks.SLACK) + Double.MIN_NORMAL) {
                        return (long) i * cols + j;
                    }
                }
            }
            return -1;
        }

        /** Makes entry (i, j) (and its mirror when symmetric) exceed its bound by the given factor. */
        void plant(int i, int j, double factor, boolean symmetric) {
            double v = Math.sqrt(a[i] * b[j]) * factor * (k[i * cols + j] < 0 ? -1 : 1);
            k[i * cols + j] = v;
            if (symmetric) {
                k[j * cols + i] = v;
            }
        }

        String run(boolean symmetric) {
            try {
                KernelChecks.bound(k, rows, cols, a, b, symmetric, "NNGP");
                return null;
            } catch (UserErrorException e) {
                return e.getMessage();
            }
        }
    }

    private static String entry(long at, int cols) {
        return String.format(Locale.ROOT, "at entry (%d, %d)", at / cols + 1, at % cols + 1);
    }

    @Test
    void gramMatricesPassOnOneAndTwoThreads() {
        for (int n : new int[] {1, 7, 300, 1100}) {
            Gram g = new Gram(n, n, 5, n, true);
            assertDoesNotThrow(() -> KernelChecks.bound(g.k, n, n, g.a, g.b, true, "NNGP"));
            Gram r = new Gram(n, n + 3, 5, n + 1, false);
            assertDoesNotThrow(() -> KernelChecks.bound(r.k, n, n + 3, r.a, r.b, false, "NNGP"));
        }
    }

    @Test
    void theFirstViolationInRowOrderIsReported() {
        qt().withFixedSeed(20261205L).withExamples(40)
                .forAll(integers().between(2, 1100), integers().between(1, 3), longs().all(), integers().between(0, 1))
                .checkAssert((n, planted, seed, kind) -> {
                    boolean symmetric = kind == 0;
                    int cols = symmetric ? n : n + 5;
                    Gram g = new Gram(n, cols, 3, seed, symmetric);
                    Random r = new Random(seed ^ 0x5DEECE66DL);
                    for (int p = 0; p < planted; p++) {
                        // factors just above the slack, far above it, and a sign flip of the same size
                        double factor = new double[] {1 + 3 * KernelChecks.SLACK, 4.0, 1 + 1e-3}[p];
                        int i = r.nextInt(n);
                        int j = symmetric ? r.nextInt(n) : r.nextInt(cols);
                        g.plant(i, j, factor, symmetric);
                    }
                    long expected = g.firstViolation();
                    String message = g.run(symmetric);
                    if (expected < 0) {
                        assertEquals(null, message);
                    } else {
                        assertEquals(true, message != null && message.contains(entry(expected, cols)),
                                () -> "expected " + entry(expected, cols) + " got " + message);
                    }
                });
    }

    @Test
    void entriesJustWithinTheSlackPassAndNaNIsNotAViolation() {
        Gram g = new Gram(1030, 1030, 4, 3, true);
        g.plant(10, 900, 1 + 0.5 * KernelChecks.SLACK, true);
        g.plant(1020, 1025, 1 + 0.999 * KernelChecks.SLACK, true);
        assertDoesNotThrow(() -> KernelChecks.bound(g.k, 1030, 1030, g.a, g.b, true, "NNGP"));
        Gram zero = new Gram(3, 3, 2, 4, false);
        zero.a[1] = 0;
        zero.k[1 * 3] = 0;
        zero.k[1 * 3 + 1] = 0;
        zero.k[1 * 3 + 2] = 1e-300; // a positive entry where the bound is 0: its square underflows, the exact test must catch it
        assertEquals(5, zero.firstViolation());
        UserErrorException e = assertThrows(UserErrorException.class, () -> KernelChecks.bound(zero.k, 3, 3, zero.a, zero.b, false, "NTK"));
        assertEquals(true, e.getMessage().contains("the NTK violates Cauchy-Schwarz at entry (2, 3)"), e::getMessage);
    }
}
