package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

class RegularizedCholeskyTest {

    private static final LinearAlgebra LA = LinearAlgebra.automatic();

    @Test
    void relativeRegularizerScalesWithTheMeanDiagonal() {
        // diag(2, 4): mean diagonal 3, relative 0.1 -> 0.3 added; log det = log(2.3 * 4.3).
        Matrix k = Fixtures.m(new double[][] {{2, 0}, {0, 4}});
        RegularizedCholesky f = RegularizedCholesky.factor(k, DiagonalRegularizer.relative(0.1), LA, "K");
        assertEquals(3.0, f.meanDiagonal(), 0);
        assertEquals(0.3, f.usedRegularizer(), 1e-15);
        assertFalse(f.raised());
        assertEquals(Math.log(2.3 * 4.3), f.logDeterminant(), 1e-14);
        // 1-norm condition number of diag(2.3, 4.3) is exactly 4.3 / 2.3.
        assertEquals(4.3 / 2.3, f.conditionNumber(), 1e-12);
        RegularizedCholesky g = RegularizedCholesky.factor(k, DiagonalRegularizer.absoluteValue(0.1), LA, "K");
        assertEquals(0.1, g.usedRegularizer(), 0);
    }

    @Test
    void duplicatePointsAreRefusedWithTheAmountWhenRaisingIsNotAllowed() {
        // Two identical points: K = [[1, 1], [1, 1]] has eigenvalues 2 and 0; not PD without a regulariser.
        Matrix k = Fixtures.m(new double[][] {{1, 1}, {1, 1}});
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> RegularizedCholesky.factor(k, DiagonalRegularizer.NONE, LA, "the NNGP train-train kernel"));
        assertTrue(e.getMessage().startsWith("the NNGP train-train kernel (n = 2) is not numerically positive definite"),
                e.getMessage());
        assertTrue(e.getMessage().contains("smallest eigenvalue"), e.getMessage());
        assertTrue(e.getMessage().contains("--auto-reg"), e.getMessage());
        assertEquals(0.0, e.smallestEigenvalue(), 1e-15);
        assertTrue(e.suggestedRegularizer() > 0);
        // The suggestion works.
        RegularizedCholesky f = RegularizedCholesky.factor(k, DiagonalRegularizer.absoluteValue(e.suggestedRegularizer()),
                LA, "K");
        assertTrue(f.conditionNumber() > 1e10, "nearly singular: " + f.conditionNumber());
        assertTrue(f.notes().stream().anyMatch(s -> s.contains("ill-conditioned")), f.notes().toString());
    }

    @Test
    void aFactorisationSingularToWorkingPrecisionCountsAsFailure() {
        // [[1, 1], [1, 1 + eps]]: Cholesky succeeds (l22^2 = eps > 0), but det = eps, lambda_min ~ eps/2,
        // ||A||_1 = 2 + eps and ||A^{-1}||_1 = (2 + eps)/eps, so rcond ~ eps/4 < eps: singular to working precision.
        double e = Math.ulp(1.0);
        Matrix k = Fixtures.m(new double[][] {{1, 1}, {1, 1 + e}});
        NotPositiveDefiniteException ex = assertThrows(NotPositiveDefiniteException.class,
                () -> RegularizedCholesky.factor(k, DiagonalRegularizer.NONE, LA, "K"));
        assertTrue(Math.abs(ex.smallestEigenvalue()) < 1e-15, ex.getMessage());
        RegularizedCholesky f = RegularizedCholesky.factor(k, DiagonalRegularizer.NONE.raisable(true), LA, "K");
        assertTrue(f.raised() && f.conditionNumber() * RegularizedCholesky.SINGULAR_RCOND <= 1, f.notes().toString());
    }

    @Test
    void indefiniteKernelIsRaisedOnlyWhenAllowedAndReported() {
        // [[1, 2], [2, 1]]: eigenvalues 3 and -1, so the regulariser must exceed 1.
        Matrix k = Fixtures.m(new double[][] {{1, 2}, {2, 1}});
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> RegularizedCholesky.factor(k, DiagonalRegularizer.relative(0.5), LA, "K"));
        assertEquals(-0.5, e.smallestEigenvalue(), 1e-14);
        RegularizedCholesky f = RegularizedCholesky.factor(k, DiagonalRegularizer.relative(0.5).raisable(true), LA, "K");
        assertTrue(f.raised());
        assertEquals(0.5, f.requestedRegularizer(), 0);
        assertTrue(f.usedRegularizer() > 1.0 && f.usedRegularizer() < 1.0 + 1e-12, "just above 1: " + f.usedRegularizer());
        assertTrue(f.notes().stream().anyMatch(s -> s.contains("raised the diagonal regulariser from 0.5")),
                f.notes().toString());
    }

    @Test
    void nonFiniteKernelNamesTheEntry() {
        Matrix k = Fixtures.m(new double[][] {{1, 0}, {0, Double.NaN}});
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> RegularizedCholesky.factor(k, DiagonalRegularizer.NONE, LA, "the NTK train-train kernel"));
        assertEquals("the NTK train-train kernel has the non-finite value NaN at row 2, column 2.", e.getMessage());
    }

    @Test
    void solveMatchesTheInverse() {
        // [[4, 2], [2, 3]]^{-1} = [[3, -2], [-2, 4]] / 8.
        Matrix k = Fixtures.m(new double[][] {{4, 2}, {2, 3}});
        RegularizedCholesky f = RegularizedCholesky.factor(k, DiagonalRegularizer.NONE, LA, "K");
        Matrix x = f.solve(Fixtures.m(new double[][] {{1, 0}, {0, 1}}));
        assertEquals(3.0 / 8, x.get(0, 0), 1e-15);
        assertEquals(-2.0 / 8, x.get(0, 1), 1e-15);
        assertEquals(-2.0 / 8, x.get(1, 0), 1e-15);
        assertEquals(4.0 / 8, x.get(1, 1), 1e-15);
    }
}
