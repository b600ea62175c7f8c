package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Both implementations against definitions (L L^T = A, A w = lambda w, naive products) and each other. */
class LinearAlgebraTest {

    static List<LinearAlgebra> backends() {
        List<LinearAlgebra> list = new ArrayList<>();
        list.add(LinearAlgebra.pureJava());
        LinearAlgebra.nativeLapack().ifPresent(list::add);
        LinearAlgebra.provided().ifPresent(list::add); // the bundled OpenBLAS, where kernel-blas is present and serves
        return list;
    }

    /** A random SPD matrix B B^T / n + I/10 (eigenvalues in [0.1, ~4]). */
    static double[] spd(int n, long seed) {
        Random r = new Random(seed);
        double[] b = new double[n * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < n; q++) {
                    s += b[i * n + q] * b[j * n + q];
                }
                a[i * n + j] = s / n + (i == j ? 0.1 : 0);
            }
        }
        return a;
    }

    @Test
    void automaticChoiceIsReportedAndPrefersTheSystemLibrary() {
        LinearAlgebra auto = LinearAlgebra.automatic();
        boolean anyNative = LinearAlgebra.nativeLapack().isPresent() || LinearAlgebra.provided().isPresent();
        assertEquals(anyNative, auto.isNative(), auto.name());
        assertEquals(LinearAlgebra.nativeLapack().isPresent(), LinearAlgebra.nativeUnavailableReason().isEmpty());
        assertEquals(LinearAlgebra.provided().isPresent(), LinearAlgebra.providedUnavailableReason().isEmpty());
        assertTrue(LinearAlgebra.nativeLapack().isEmpty() || LinearAlgebra.provided().isEmpty(),
                "never two native libraries in one process");
        LinearAlgebra.nativeLapack().ifPresent(system -> assertSame(system, auto, "the system library first"));
        if ("bundled".equals(System.getProperty("aleph.linearAlgebra"))) {
            assertSame(LinearAlgebra.provided().orElseThrow(), auto, "forced by -Daleph.linearAlgebra=bundled");
            assertTrue(LinearAlgebra.nativeUnavailableReason().orElseThrow().contains("aleph.linearAlgebra=bundled"));
        }
        assertTrue(auto.name().length() > 5);
    }

    @Test
    void choleskyReproducesTheMatrixAndSolves() {
        int n = 70;
        double[] a = spd(n, 1);
        for (LinearAlgebra la : backends()) {
            double[] l = a.clone();
            assertEquals(0, la.choleskyInPlace(l, n), la.name());
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (j > i) {
                        assertEquals(0.0, l[i * n + j], la.name() + ": upper triangle must be zero");
                    }
                    double s = 0;
                    for (int q = 0; q < n; q++) {
                        s += l[i * n + q] * l[j * n + q];
                    }
                    assertEquals(a[i * n + j], s, 1e-13, la.name());
                }
            }
            double[] x = new double[3 * n];
            Random r = new Random(2);
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian();
            }
            double[] b = x.clone();
            la.choleskySolveRows(l, n, b, 3);
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += a[i * n + j] * b[c * n + j];
                    }
                    assertEquals(x[c * n + i], s, 1e-12, la.name());
                }
            }
        }
    }

    @Test
    void choleskyReportsFailureOnAnIndefiniteMatrix() {
        for (LinearAlgebra la : backends()) {
            // [[1, 2], [2, 1]] has eigenvalues 3 and -1: the second pivot is 1 - 4 = -3.
            assertNotEquals(0, la.choleskyInPlace(new double[] {1, 2, 2, 1}, 2), la.name());
        }
    }

    @Test
    void eigenDecompositionReconstructsAndIsOrthonormal() {
        int n = 40;
        double[] a = spd(n, 3);
        for (LinearAlgebra la : backends()) {
            double[] w = a.clone();
            double[] lambda = la.symmetricEigen(w, n);
            for (int i = 1; i < n; i++) {
                assertTrue(lambda[i - 1] <= lambda[i], "ascending");
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    double dot = 0;
                    for (int q = 0; q < n; q++) {
                        s += w[q * n + i] * lambda[q] * w[q * n + j];
                        dot += w[i * n + q] * w[j * n + q];
                    }
                    assertEquals(a[i * n + j], s, 1e-12, la.name());
                    assertEquals(i == j ? 1 : 0, dot, 1e-12, la.name());
                }
            }
            assertEquals(lambda[n - 1], la.largestEigenvalue(a, n), 1e-12, la.name());
        }
    }

    @Test
    void gemmAllTranspositionsMatchNaiveProducts() {
        int m = 7;
        int n = 5;
        int k = 9;
        Random r = new Random(4);
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextGaussian();
        }
        double[] at = RegularizedCholesky.transpose(a, m, k);
        double[] bt = RegularizedCholesky.transpose(b, k, n);
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int q = 0; q < k; q++) {
                    expected[i * n + j] += 2 * a[i * k + q] * b[q * n + j];
                }
                expected[i * n + j] += 0.5;
            }
        }
        for (LinearAlgebra la : backends()) {
            for (int mode = 0; mode < 4; mode++) {
                boolean ta = (mode & 1) != 0;
                boolean tb = (mode & 2) != 0;
                double[] c = new double[m * n];
                java.util.Arrays.fill(c, 1.0);
                la.gemm(ta, tb, m, n, k, 2.0, ta ? at : a, tb ? bt : b, 0.5, c);
                assertArrayEquals(expected, c, 1e-12, la.name() + " transA=" + ta + " transB=" + tb);
            }
        }
    }

    @Test
    void conditionNumberOfADiagonalMatrixIsExact() {
        // diag(1, 1e-3, 1e-6) rotated by nothing: ||A||_1 ||A^-1||_1 = 1 * 1e6 exactly, and Hager's
        // estimator (like dpocon) finds the maximising unit vector of a diagonal matrix exactly.
        double[] a = {1, 0, 0, 0, 1e-3, 0, 0, 0, 1e-6};
        for (LinearAlgebra la : backends()) {
            double[] l = a.clone();
            assertEquals(0, la.choleskyInPlace(l, 3));
            assertEquals(1e6, 1 / la.reciprocalCondition(l, 3, 1.0), 1e-3, la.name());
        }
    }

    @Test
    void nativeAndPureJavaAgree() {
        List<LinearAlgebra> natives = backends().stream().filter(LinearAlgebra::isNative).toList();
        Assumptions.assumeTrue(!natives.isEmpty(),
                () -> "native LAPACK absent: " + LinearAlgebra.nativeUnavailableReason().orElse("") + "; "
                        + LinearAlgebra.providedUnavailableReason().orElse(""));
        LinearAlgebra java = LinearAlgebra.pureJava();
        for (LinearAlgebra nat : natives) {
            int n = 120;
            double[] a = spd(n, 5);
            double[] l1 = a.clone();
            double[] l2 = a.clone();
            nat.choleskyInPlace(l1, n);
            java.choleskyInPlace(l2, n);
            assertArrayEquals(l1, l2, 1e-12, "the Cholesky factor with positive diagonal is unique");
            double[] w1 = a.clone();
            double[] w2 = a.clone();
            assertArrayEquals(nat.symmetricEigen(w1, n), java.symmetricEigen(w2, n), 1e-12);
            double c1 = 1 / nat.reciprocalCondition(l1, n, RegularizedCholesky.norm1(a, n));
            double c2 = 1 / java.reciprocalCondition(l2, n, RegularizedCholesky.norm1(a, n));
            assertEquals(c1, c2, 1e-6 * c1, "both run Hager's estimator");
        }
    }
}
