package org.aleph.kernel.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.junit.jupiter.api.Test;

/**
 * The bundled OpenBLAS's LAPACK/BLAS against EJML (kernel-dynamics' pure-Java implementation,
 * an independent code base: block Cholesky, symmetric QR, its own products) on random SPD
 * matrices, to 1e-10 relative, and against the definitions (L L^T = A, A w = lambda w).
 * The surefire configuration hides the system library, as on a machine without libopenblas0.
 */
class BundledOpenBlasLinearAlgebraTest {

    private static final LinearAlgebra BUNDLED = BundledOpenBlasLinearAlgebra.load();
    private static final LinearAlgebra EJML = LinearAlgebra.pureJava();
    private static final double REL = 1e-10;

    /** A random SPD matrix B B^T / n + I / 10 (eigenvalues in [0.1, about 4]). */
    static double[] spd(int n, long seed) {
        Random r = new Random(seed);
        double[] b = gaussian(n * n, r);
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

    static double[] gaussian(int size, Random r) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static void assertClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what);
        double tol = rel * Math.max(1e-300, maxAbs(expected));
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(what + ": entry " + i + " is " + actual[i] + ", EJML " + expected[i]);
            }
        }
    }

    @Test
    void choleskyAndSolvesEqualEjmlsAndTheDefinition() {
        qt().withExamples(25).forAll(integers().between(1, 160), integers().between(0, 12), longs().all())
                .checkAssert((n, k, seed) -> {
                    double[] a = spd(n, seed);
                    double[] l = a.clone();
                    double[] le = a.clone();
                    assertEquals(0, BUNDLED.choleskyInPlace(l, n));
                    assertEquals(0, EJML.choleskyInPlace(le, n));
                    assertClose(le, l, REL, "Cholesky factor, n = " + n);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int q = 0; q < n; q++) {
                                s += l[i * n + q] * l[j * n + q];
                            }
                            assertEquals(a[i * n + j], s, 1e-12 * 5, "L L^T = A at " + i + "," + j);
                        }
                    }
                    double[] b = gaussian(k * n, new Random(seed + 1));
                    double[] x = b.clone();
                    double[] xe = b.clone();
                    BUNDLED.choleskySolveRows(l, n, x, k);
                    EJML.choleskySolveRows(le, n, xe, k);
                    assertClose(xe, x, REL, "solution, n = " + n + ", k = " + k);
                });
    }

    @Test
    void eigendecompositionEqualsEjmlsAndTheDefinition() {
        qt().withExamples(15).forAll(integers().between(1, 120), longs().all()).checkAssert((n, seed) -> {
            double[] a = spd(n, seed);
            double[] w = a.clone();
            double[] we = a.clone();
            double[] lambda = BUNDLED.symmetricEigen(w, n);
            double[] lambdaE = EJML.symmetricEigen(we, n);
            assertClose(lambdaE, lambda, REL, "eigenvalues (ascending), n = " + n);
            for (int j = 0; j < n; j++) {
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += w[j * n + i] * w[j * n + i];
                    double aw = 0;
                    for (int q = 0; q < n; q++) {
                        aw += a[i * n + q] * w[j * n + q];
                    }
                    assertEquals(lambda[j] * w[j * n + i], aw, 1e-11, "A w = lambda w, row " + j);
                }
                assertEquals(1, norm, 1e-12, "unit eigenvector " + j);
            }
            assertEquals(EJML.largestEigenvalue(a, n), BUNDLED.largestEigenvalue(a, n), REL * lambda[n - 1]);
            assertEquals(lambda[n - 1], BUNDLED.largestEigenvalue(a, n), REL * lambda[n - 1]);
        });
    }

    @Test
    void productsEqualEjmlsForEveryTransposition() {
        qt().withExamples(30).forAll(integers().between(1, 40), integers().between(1, 40), integers().between(0, 40),
                integers().between(0, 7)).checkAssert((m, n, k, flags) -> {
                    boolean ta = (flags & 1) != 0;
                    boolean tb = (flags & 2) != 0;
                    double beta = (flags & 4) != 0 ? 0.5 : 0.0;
                    Random r = new Random(31L * m + 7L * n + k + flags);
                    double[] a = gaussian(m * k, r);
                    double[] b = gaussian(k * n, r);
                    double[] c0 = gaussian(m * n, r);
                    double[] c = c0.clone();
                    double[] ce = c0.clone();
                    if (beta == 0) {
                        c[0] = Double.NaN; // beta = 0: C is not read, so nothing of it may survive
                    }
                    BUNDLED.gemm(ta, tb, m, n, k, 1.5, a, b, beta, c);
                    EJML.gemm(ta, tb, m, n, k, 1.5, a, b, beta, ce);
                    assertClose(ce, c, 1e-13 * Math.max(1, k), "gemm " + (ta ? "T" : "N") + (tb ? "T" : "N") + " beta " + beta);
                });
    }

    @Test
    void conditionEstimateMatchesHagersAndTheExactNumber() {
        int n = 90;
        double[] a = spd(n, 3);
        double[] l = a.clone();
        double[] le = a.clone();
        BUNDLED.choleskyInPlace(l, n);
        EJML.choleskyInPlace(le, n);
        double norm1 = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(a[i * n + j]);
            }
            norm1 = Math.max(norm1, s);
        }
        double cond = 1 / BUNDLED.reciprocalCondition(l, n, norm1);
        assertEquals(1 / EJML.reciprocalCondition(le, n, norm1), cond, 1e-6 * cond, "dpocon runs Hager's estimator");
        double[] inv = new double[n * n]; // exact ||A^-1||_1 from n solves
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1;
        }
        BUNDLED.choleskySolveRows(l, n, inv, n);
        double invNorm = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(inv[j * n + i]);
            }
            invNorm = Math.max(invNorm, s);
        }
        double exact = norm1 * invNorm;
        assertTrue(cond <= exact * (1 + 1e-10) && cond >= exact / 3, cond + " estimates " + exact + " from below");
    }

    @Test
    void aMatrixThatIsNotPositiveDefiniteIsReportedAtItsFirstBadMinor() {
        double[] a = {4, 1, 0, 0, 1, 4, 0, 0, 0, 0, -1, 0, 0, 0, 0, 2};
        assertEquals(3, BUNDLED.choleskyInPlace(a.clone(), 4), "LAPACK's info: the order of the leading minor");
        assertNotEquals(0, EJML.choleskyInPlace(a.clone(), 4));
        double[] nan = {1, Double.NaN, Double.NaN, 1};
        assertNotEquals(0, BUNDLED.choleskyInPlace(nan, 2), "a NaN is refused, never a factor");
    }

    @Test
    void emptyProblemsAreNoOps() {
        assertEquals(0, BUNDLED.choleskyInPlace(new double[0], 0));
        assertEquals(0, BUNDLED.symmetricEigen(new double[0], 0).length);
        double[] c = {7};
        BUNDLED.gemm(false, false, 1, 1, 0, 1, new double[0], new double[0], 0.5, c);
        assertEquals(3.5, c[0], "k = 0: C = beta C");
    }

    @Test
    void automaticTakesTheBundledLibraryWhenTheSystemOneIsAbsent() {
        // surefire hides the system BLAS/LAPACK (dev.ludovic.netlib.*.nativeLib), as on a fresh machine
        LinearAlgebra auto = LinearAlgebra.automatic();
        assertTrue(LinearAlgebra.nativeLapack().isEmpty(), "the system library is hidden in this JVM");
        assertSame(LinearAlgebra.provided().orElseThrow(), auto);
        assertTrue(auto.isNative());
        assertTrue(auto.name().startsWith("bundled OpenBLAS 0.3.31"), auto.name());
        assertTrue(LinearAlgebra.providedUnavailableReason().isEmpty());
    }
}
