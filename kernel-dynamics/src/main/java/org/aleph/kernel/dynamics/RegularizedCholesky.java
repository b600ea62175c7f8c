package org.aleph.kernel.dynamics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * The Cholesky factorisation L L^T = K + r I of a train-train kernel with a diagonal
 * regulariser r (see {@link DiagonalRegularizer}), with the diagnostics numerical users need:
 * the estimated 1-norm condition number (LAPACK dpocon, or Hager's estimator in pure Java),
 * the log-determinant, and, when K + r I is not numerically positive definite (Cholesky fails,
 * or succeeds with a reciprocal condition number below machine epsilon), its smallest
 * eigenvalue. The regulariser is raised only when allowed, to
 * {@code r + max(0, -lambda_min) + n eps ||K + r I||_1} (the backward-error bound of Cholesky,
 * Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 10.3), doubling the
 * increment while it still fails, and the value used is reported.
 */
public final class RegularizedCholesky {

    /** Condition numbers above this lose more than about 12 of 16 digits: reported in the notes. */
    public static final double ILL_CONDITIONED = 1e12;

    /**
     * A factorisation whose estimated reciprocal condition number is below machine epsilon is
     * singular to working precision and treated as a failure (LAPACK dposvx's rule, info = n + 1).
     */
    public static final double SINGULAR_RCOND = Math.ulp(1.0);

    /** Attempts with a raised regulariser before giving up. */
    static final int MAX_RAISES = 30;

    private final LinearAlgebra la;
    private final int n;
    private final double[] l;
    private final double meanDiagonal;
    private final double requested;
    private final double used;
    private final double conditionNumber;
    private final List<String> notes;

    private RegularizedCholesky(LinearAlgebra la, int n, double[] l, double meanDiagonal, double requested, double used,
                                double conditionNumber, List<String> notes) {
        this.la = la;
        this.n = n;
        this.l = l;
        this.meanDiagonal = meanDiagonal;
        this.requested = requested;
        this.used = used;
        this.conditionNumber = conditionNumber;
        this.notes = List.copyOf(notes);
    }

    /**
     * Factorises {@code kernel + r I}.
     *
     * @param what the kernel's name in messages, e.g. "the NTK train-train kernel"
     * @throws NotPositiveDefiniteException when it fails and the regulariser may not be raised
     */
    public static RegularizedCholesky factor(Matrix kernel, DiagonalRegularizer reg, LinearAlgebra la, String what) {
        int n = kernel.rows();
        if (n == 0) {
            throw new UserErrorException(what + " is empty: at least one training point is needed.");
        }
        Checks.shape(kernel, n, n, what);
        double[] k = kernel.data();
        // Native LAPACK reads only the lower triangle, so the copy leaves the upper one zero (as the
        // factor must have it); EJML gets the whole matrix.
        boolean lowerOnly = la instanceof NativeLinearAlgebra;
        double[] offDiagonal = new double[n];
        double[] a = new double[n * n];
        if (!FactorCopy.copy(k, n, a, lowerOnly, offDiagonal)) {
            Checks.finite(kernel, what); // throws, naming the first non-finite entry
        }
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += k[i * n + i];
        }
        double meanDiagonal = trace / n;
        double requested = reg.absoluteAmount(meanDiagonal);
        List<String> notes = new ArrayList<>();
        double r = requested;
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0) {
                a = new double[n * n];
                FactorCopy.copy(k, n, a, lowerOnly, null);
            }
            double norm1 = 0;
            for (int i = 0; i < n; i++) {
                a[i * n + i] += r;
                norm1 = Math.max(norm1, offDiagonal[i] + Math.abs(a[i * n + i]));
            }
            int info = lowerOnly ? ((NativeLinearAlgebra) la).factorLowerTriangle(a, n) : la.choleskyInPlace(a, n);
            double rcond = info == 0 ? la.reciprocalCondition(a, n, norm1) : 0;
            if (rcond >= SINGULAR_RCOND) {
                double cond = 1.0 / rcond;
                if (r != requested) {
                    notes.add(String.format(Locale.ROOT, "%s: raised the diagonal regulariser from %.6g to %.6g (absolute; "
                            + "%.6g relative to the mean diagonal %.6g) to make it positive definite", what, requested, r,
                            r / meanDiagonal, meanDiagonal));
                }
                if (!(cond < ILL_CONDITIONED)) {
                    notes.add(String.format(Locale.ROOT, "%s is ill-conditioned: condition number %.3g, so about %d digits "
                            + "of the solution may be lost; a larger --diag-reg helps", what, cond,
                            (int) Math.min(16, Math.ceil(Math.log10(cond)))));
                }
                return new RegularizedCholesky(la, n, a, meanDiagonal, requested, r, cond, notes);
            }
            double[] shifted = k.clone();
            for (int i = 0; i < n; i++) {
                shifted[i * n + i] += r;
            }
            double lambdaMin = smallestEigenvalue(la, shifted, n);
            double margin = n * Math.ulp(1.0) * norm1;
            double suggested = r + Math.max(0, -lambdaMin) + margin * Math.pow(2, attempt);
            if (!reg.mayRaise() || attempt >= MAX_RAISES) {
                throw new NotPositiveDefiniteException(String.format(Locale.ROOT,
                        "%s (n = %d) is not numerically positive definite with diag-reg %.6g (absolute): its smallest "
                        + "eigenvalue is %.3g, %.3g times the mean diagonal %.6g; set --diag-reg to at least %.3g (relative, "
                        + "or %.3g absolute) or allow raising it (--auto-reg).", what, n, r, lambdaMin, lambdaMin / meanDiagonal,
                        meanDiagonal, suggested / meanDiagonal, suggested), lambdaMin, suggested);
            }
            if (attempt == 0) {
                notes.add(String.format(Locale.ROOT, "%s is not numerically positive definite with diag-reg %.6g (absolute): "
                        + "smallest eigenvalue %.3g (%.3g of the mean diagonal)", what, r, lambdaMin, lambdaMin / meanDiagonal));
            }
            r = suggested;
        }
    }

    static double smallestEigenvalue(LinearAlgebra la, double[] a, int n) {
        if (la instanceof NativeLinearAlgebra nat) {
            return nat.smallestEigenvalue(a, n);
        }
        double min = Double.POSITIVE_INFINITY;
        for (double v : EjmlLinearAlgebra.eigenvaluesOnly(a, n)) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** The 1-norm (largest column sum of absolute values; rows, as A is symmetric). */
    static double norm1(double[] a, int n) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += Math.abs(a[i * n + j]);
            }
            max = Math.max(max, s);
        }
        return max;
    }

    /** The number of training points n. */
    public int size() {
        return n;
    }

    /** trace(K) / n. */
    public double meanDiagonal() {
        return meanDiagonal;
    }

    /** The absolute regulariser asked for. */
    public double requestedRegularizer() {
        return requested;
    }

    /** The absolute regulariser used (larger than requested only when raising was allowed and needed). */
    public double usedRegularizer() {
        return used;
    }

    /** Whether the regulariser had to be raised. */
    public boolean raised() {
        return used != requested;
    }

    /** The estimated 1-norm condition number of K + r I. */
    public double conditionNumber() {
        return conditionNumber;
    }

    /** log det(K + r I) = 2 sum log L_ii. */
    public double logDeterminant() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.log(l[i * n + i]);
        }
        return 2 * s;
    }

    /** What happened on the way: raised regulariser, ill-conditioning. */
    public List<String> notes() {
        return notes;
    }

    /** Solves (K + r I) X = B for B of n x k, returned as a new n x k matrix. */
    public Matrix solve(Matrix b) {
        Checks.shape(b, n, b.cols(), "the right-hand side");
        int k = b.cols();
        double[] rows = transpose(b.data(), n, k);
        la.choleskySolveRows(l, n, rows, k);
        return Matrix.wrap(n, k, transpose(rows, k, n));
    }

    /**
     * Solves in place for k right-hand sides stored as the rows of a k x n array. With B = K_{x*}
     * given as the test-train matrix K_{*x} (m x n), the result is K_{*x} (K + r I)^{-1}.
     */
    public void solveRows(double[] rows, int k) {
        la.choleskySolveRows(l, n, rows, k);
    }

    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }
}
