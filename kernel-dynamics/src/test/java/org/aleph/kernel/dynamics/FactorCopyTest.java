package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.aleph.kernel.Matrix;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The fused copy pass before a Cholesky factorisation, against entry-by-entry definitions, and
 * the factorisation it feeds (native LAPACK on the lower triangle only) against the pure-Java
 * one on the whole matrix.
 */
class FactorCopyTest {

    /** n = 300 spans three tasks of 128 rows, so the parallel path runs. */
    private static final int N = 300;

    @Test
    void copiesTheRequestedTriangleAndSumsEachRowOffTheDiagonal() {
        double[] k = LinearAlgebraTest.spd(N, 11);
        for (boolean lowerOnly : new boolean[] {true, false}) {
            double[] a = new double[N * N];
            double[] sums = new double[N];
            assertTrue(FactorCopy.copy(k, N, a, lowerOnly, sums));
            for (int i = 0; i < N; i++) {
                double s = 0;
                for (int j = 0; j < N; j++) {
                    double expected = lowerOnly && j > i ? 0 : k[i * N + j];
                    assertEquals(expected, a[i * N + j], 0, "entry " + i + "," + j + " lowerOnly=" + lowerOnly);
                    s += j == i ? 0 : Math.abs(k[i * N + j]);
                }
                assertEquals(s, sums[i], 1e-12 * s, "row " + i);
            }
        }
    }

    @Test
    void reportsNonFiniteEntriesAnywhereButStillCopiesEveryRow() {
        for (int[] at : new int[][] {{0, 0}, {5, 250}, {299, 3}, {150, 150}}) {
            double[] k = LinearAlgebraTest.spd(N, 12);
            k[at[0] * N + at[1]] = at[0] % 2 == 0 ? Double.NaN : Double.NEGATIVE_INFINITY;
            double[] a = new double[N * N];
            assertFalse(FactorCopy.copy(k, N, a, true, new double[N]), "non-finite at " + at[0] + "," + at[1]);
            assertEquals(k[(N - 1) * N + N - 2], a[(N - 1) * N + N - 2], 0, "the last task ran too");
        }
        // Finite entries whose absolute row sum overflows: reported (the caller tells it apart), copy complete.
        double[] k = LinearAlgebraTest.spd(N, 13);
        k[7 * N + 1] = Double.MAX_VALUE;
        k[7 * N + 2] = Double.MAX_VALUE;
        double[] a = new double[N * N];
        double[] sums = new double[N];
        assertFalse(FactorCopy.copy(k, N, a, true, sums));
        assertEquals(Double.POSITIVE_INFINITY, sums[7]);
        assertTrue(sums[N - 1] > 0 && Double.isFinite(sums[N - 1]));
    }

    @Test
    void nativeFactorOfTheLowerTriangleMatchesPureJavaToTwelveDigits() {
        Assumptions.assumeTrue(LinearAlgebra.nativeLapack().isPresent(),
                () -> "native LAPACK absent: " + LinearAlgebra.nativeUnavailableReason().orElse(""));
        double[] k = LinearAlgebraTest.spd(N, 14);
        Matrix kernel = Matrix.wrap(N, N, k);
        RegularizedCholesky nat = RegularizedCholesky.factor(kernel, DiagonalRegularizer.relative(1e-3),
                LinearAlgebra.nativeLapack().orElseThrow(), "K");
        RegularizedCholesky java = RegularizedCholesky.factor(kernel, DiagonalRegularizer.relative(1e-3),
                LinearAlgebra.pureJava(), "K");
        assertEquals(java.logDeterminant(), nat.logDeterminant(), 1e-12 * Math.abs(java.logDeterminant()));
        assertEquals(java.conditionNumber(), nat.conditionNumber(), 1e-6 * java.conditionNumber());
        // ||K + r I||_1 from the row sums equals the definition, so the condition number is dpocon's.
        double[] shifted = k.clone();
        for (int i = 0; i < N; i++) {
            shifted[i * N + i] += nat.usedRegularizer();
        }
        double norm1 = RegularizedCholesky.norm1(shifted, N);
        double[] l = shifted.clone();
        LinearAlgebra.nativeLapack().orElseThrow().choleskyInPlace(l, N);
        assertEquals(1 / LinearAlgebra.nativeLapack().orElseThrow().reciprocalCondition(l, N, norm1),
                nat.conditionNumber(), 1e-12 * nat.conditionNumber());
        Random r = new Random(15);
        double[] y = new double[N * 10];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextGaussian();
        }
        Matrix x1 = nat.solve(Matrix.wrap(N, 10, y));
        Matrix x2 = java.solve(Matrix.wrap(N, 10, y));
        assertArrayEquals(x2.data(), x1.data(), 1e-12 * Fixtures.maxAbs(x2.data()));
        // and the solution solves (K + r I) x = y
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < N; i++) {
                double s = 0;
                for (int j = 0; j < N; j++) {
                    s += shifted[i * N + j] * x1.get(j, c);
                }
                assertEquals(y[i * 10 + c], s, 1e-11, "residual row " + i);
            }
        }
    }
}
