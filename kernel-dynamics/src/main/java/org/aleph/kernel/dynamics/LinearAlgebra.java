package org.aleph.kernel.dynamics;

import java.util.Optional;
import org.aleph.kernel.UserErrorException;

/**
 * The dense linear algebra the predictions need: Cholesky factorisation and solve with many
 * right-hand sides, symmetric eigendecomposition, and matrix products, all on row-major
 * {@code double[]} arrays. Three implementations exist: native LAPACK/BLAS through
 * dev.ludovic.netlib (the system's OpenBLAS, {@code apt-get install libopenblas0}); the OpenBLAS
 * 0.3.31 that comes with the build, contributed by module kernel-blas as a
 * {@link LinearAlgebraProvider}; and pure Java with EJML (multi-threaded variants).
 * {@link #automatic()} takes the system library when it loads, else the bundled one, else EJML,
 * never loading two native BLAS libraries into one process, and says which one it took through
 * {@link #name()}. {@code -Daleph.linearAlgebra=system|bundled|java} forces one.
 *
 * <p>Measured on a 2-core machine next to NumPy/SciPy (docs/dynamics.md, "Linear algebra
 * against NumPy"): natively, a Cholesky factorisation with 10 right-hand sides costs the same
 * CPU time as SciPy's cho_factor/cho_solve on the same OpenBLAS kernels (0.09 s at n = 2000,
 * 0.45 s at n = 4000, 2.9 s at n = 8000 on one core) and dsyevd matches NumPy's eigh; EJML is
 * about 10-20 times slower.
 */
public interface LinearAlgebra {

    /** A short description of the implementation, e.g. "native LAPACK (OpenBLAS)". */
    String name();

    /** Whether the implementation calls native code. */
    boolean isNative();

    /**
     * Replaces the symmetric row-major n x n matrix {@code a} (its lower triangle is read) by
     * its lower Cholesky factor L, A = L L^T, with zeros above the diagonal.
     *
     * @return 0 on success; otherwise a positive number (the 1-based order of the first leading
     *     minor that is not positive when known, n + 1 otherwise) and {@code a} is garbage
     */
    int choleskyInPlace(double[] a, int n);

    /**
     * Solves L L^T X = B in place for k right-hand sides given as the k rows of the row-major
     * k x n array {@code b} (so each right-hand side is contiguous).
     */
    void choleskySolveRows(double[] l, int n, double[] b, int k);

    /**
     * Eigendecomposition of the symmetric row-major n x n matrix {@code a}: returns the
     * eigenvalues in ascending order and overwrites {@code a} by W, whose row j is the unit
     * eigenvector of eigenvalue j (so A = W^T diag(lambda) W).
     */
    double[] symmetricEigen(double[] a, int n);

    /** The largest eigenvalue of the symmetric row-major n x n matrix {@code a} (not modified). */
    double largestEigenvalue(double[] a, int n);

    /**
     * C = alpha op(A) op(B) + beta C for row-major arrays: op(A) is m x k, op(B) k x n, C m x n;
     * op(X) = X^T when the flag is set.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double alpha, double[] a, double[] b, double beta, double[] c);

    /**
     * An estimate of the reciprocal 1-norm condition number of A = L L^T from its Cholesky
     * factor and ||A||_1 (Hager's estimator, Higham 1988, as LAPACK's dpocon does).
     */
    default double reciprocalCondition(double[] l, int n, double normA1) {
        return HagerEstimator.reciprocalCondition(this, l, n, normA1);
    }

    /**
     * The system LAPACK/BLAS when it loads, else the first {@link LinearAlgebraProvider} whose
     * library loads (the bundled OpenBLAS of kernel-blas), else EJML; or the one that
     * {@code -Daleph.linearAlgebra=system|bundled|java} names ({@code auto} is the default).
     *
     * @throws UserErrorException when a forced implementation cannot be loaded (or the property
     *     names none), rather than silently computing with another one
     */
    static LinearAlgebra automatic() {
        if (Backends.FORCED_FAILURE != null) {
            throw new UserErrorException("-D" + Backends.PROPERTY + "=" + System.getProperty(Backends.PROPERTY,
                    Boolean.getBoolean("aleph.pureJava") ? "java" : "") + ": " + Backends.FORCED_FAILURE + ".");
        }
        return Backends.AUTOMATIC;
    }

    /** The pure-Java implementation (EJML). */
    static LinearAlgebra pureJava() {
        return Backends.PureJava.INSTANCE;
    }

    /**
     * Native LAPACK on the system library, or empty when it cannot be loaded or was not loaded
     * (another implementation forced, or the bundled OpenBLAS serves instead).
     */
    static Optional<LinearAlgebra> nativeLapack() {
        return Optional.ofNullable(Backends.NATIVE);
    }

    /** Why native LAPACK is absent (empty when it is present). */
    static Optional<String> nativeUnavailableReason() {
        return Optional.ofNullable(Backends.NATIVE_FAILURE);
    }

    /**
     * The implementation a {@link LinearAlgebraProvider} contributed (the bundled OpenBLAS), or
     * empty when none was loaded: it is asked only when the system library is absent or
     * {@code -Daleph.linearAlgebra=bundled} forces it.
     */
    static Optional<LinearAlgebra> provided() {
        return Optional.ofNullable(Backends.PROVIDED);
    }

    /** Why no provided implementation was loaded (empty when one was). */
    static Optional<String> providedUnavailableReason() {
        return Optional.ofNullable(Backends.PROVIDED == null ? Backends.PROVIDED_FAILURE : null);
    }
}
