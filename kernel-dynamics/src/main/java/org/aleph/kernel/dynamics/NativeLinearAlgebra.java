package org.aleph.kernel.dynamics;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import org.netlib.util.doubleW;
import org.netlib.util.intW;

/**
 * {@link LinearAlgebra} on the system's LAPACK and BLAS (OpenBLAS on Debian:
 * {@code apt-get install libopenblas0}) through dev.ludovic.netlib's JNI bindings: dpotrf /
 * dpotrs for Cholesky, dsyevd (divide and conquer) for the eigendecomposition, dsyevr for the
 * largest eigenvalue, dpocon for the condition number, dgemm for products.
 *
 * <p>LAPACK is column-major; a row-major array read column-major is the transpose. For a
 * symmetric matrix that is the same matrix, so dpotrf("U") leaves the row-major lower factor
 * and dsyevd leaves the eigenvectors as the rows of the row-major array: no transposed copy
 * is made. Row-major products are computed as C^T = op(B)^T op(A)^T. netlib's JNI passes the
 * Java arrays with GetPrimitiveArrayCritical (pinned, not copied). All right-hand sides go to
 * one dpotrs call. dsyevd (divide and conquer, as NumPy's eigh) is used rather than dsyevr,
 * which measured 1.3 times slower for all eigenvectors of an NTK at n = 2000.
 *
 * <p>Speed depends on OpenBLAS recognising the CPU: Debian's OpenBLAS 0.3.21 does not know
 * recent Xeons and falls back to its "Prescott" (SSE3) kernels, 3-4 times slower (measured
 * here: dgemm n = 2000 at 2.7 GF/s against 9.5 GF/s with {@code OPENBLAS_CORETYPE=SkylakeX}).
 * The environment variable must be set before the JVM starts; see docs/dynamics.md.
 */
final class NativeLinearAlgebra implements LinearAlgebra {

    private final LAPACK lapack;
    private final BLAS blas;

    private NativeLinearAlgebra(LAPACK lapack, BLAS blas) {
        this.lapack = lapack;
        this.blas = blas;
    }

    /** Loads the native libraries and checks them on a 2 x 2 factorisation; throws when absent. */
    static NativeLinearAlgebra load() {
        NativeLinearAlgebra la = new NativeLinearAlgebra(NativeLAPACK.getInstance(), NativeBLAS.getInstance());
        double[] probe = {4, 2, 2, 3};
        if (la.choleskyInPlace(probe, 2) != 0 || Math.abs(probe[0] - 2) > 1e-15 || Math.abs(probe[2] - 1) > 1e-15) {
            throw new IllegalStateException("native LAPACK returned a wrong Cholesky factor of [[4,2],[2,3]]");
        }
        return la;
    }

    @Override
    public String name() {
        return "native LAPACK/BLAS (" + lapack.getClass().getSimpleName() + ", system liblapack.so.3 / libblas.so.3)";
    }

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public int choleskyInPlace(double[] a, int n) {
        int info = factorLowerTriangle(a, n);
        if (info == 0) {
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(a, i * n + i + 1, (i + 1) * n, 0.0);
            }
        }
        return info;
    }

    /**
     * dpotrf("U") on the row-major array, which reads and overwrites only its row-major lower
     * triangle (the column-major upper one) and leaves the entries above the diagonal as they are:
     * for callers that build the lower triangle in a zeroed array and need no clearing pass.
     *
     * @return as {@link #choleskyInPlace}
     */
    int factorLowerTriangle(double[] a, int n) {
        intW info = new intW(0);
        lapack.dpotrf("U", n, a, Math.max(1, n), info);
        if (info.val != 0) {
            return info.val > 0 ? info.val : n + 1;
        }
        return 0;
    }

    @Override
    public void choleskySolveRows(double[] l, int n, double[] b, int k) {
        if (k == 0 || n == 0) {
            return;
        }
        intW info = new intW(0);
        lapack.dpotrs("U", n, k, l, n, b, n, info);
        if (info.val != 0) {
            throw new IllegalStateException("dpotrs failed with info = " + info.val);
        }
    }

    @Override
    public double[] symmetricEigen(double[] a, int n) {
        double[] w = new double[n];
        if (n == 0) {
            return w;
        }
        intW info = new intW(0);
        double[] workQuery = new double[1];
        int[] iworkQuery = new int[1];
        lapack.dsyevd("V", "U", n, a, n, w, workQuery, -1, iworkQuery, -1, info);
        double[] work = new double[(int) workQuery[0]];
        int[] iwork = new int[iworkQuery[0]];
        lapack.dsyevd("V", "U", n, a, n, w, work, work.length, iwork, iwork.length, info);
        if (info.val != 0) {
            throw new IllegalStateException("dsyevd did not converge (info = " + info.val + ")");
        }
        return w;
    }

    @Override
    public double largestEigenvalue(double[] a, int n) {
        return extremeEigenvalue(a, n, n);
    }

    /** The smallest eigenvalue (dsyevr, values only). */
    double smallestEigenvalue(double[] a, int n) {
        return extremeEigenvalue(a, n, 1);
    }

    private double extremeEigenvalue(double[] a, int n, int index) {
        double[] copy = a.clone();
        intW m = new intW(0);
        intW info = new intW(0);
        double[] w = new double[n];
        double[] z = new double[Math.max(1, n)]; // not referenced with jobz = "N", but bounds-checked
        int[] isuppz = new int[2 * Math.max(1, n)];
        double[] workQuery = new double[1];
        int[] iworkQuery = new int[1];
        lapack.dsyevr("N", "I", "U", n, copy, n, 0, 0, index, index, 0.0, m, w, z, 1, isuppz,
                workQuery, -1, iworkQuery, -1, info);
        double[] work = new double[(int) workQuery[0]];
        int[] iwork = new int[iworkQuery[0]];
        lapack.dsyevr("N", "I", "U", n, copy, n, 0, 0, index, index, 0.0, m, w, z, 1, isuppz,
                work, work.length, iwork, iwork.length, info);
        if (info.val != 0) {
            throw new IllegalStateException("dsyevr failed (info = " + info.val + ")");
        }
        return w[0];
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, double[] b, double beta, double[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        int lda = Math.max(1, transA ? m : k);
        int ldb = Math.max(1, transB ? k : n);
        blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, ldb, a, lda, beta, c, n);
    }

    @Override
    public double reciprocalCondition(double[] l, int n, double normA1) {
        if (n == 0) {
            return 1.0;
        }
        doubleW rcond = new doubleW(0);
        intW info = new intW(0);
        lapack.dpocon("U", n, l, n, normA1, rcond, new double[3 * n], new int[n], info);
        return rcond.val;
    }
}
