package org.aleph.kernel.blas;

import java.util.Arrays;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * kernel-dynamics' {@link LinearAlgebra} on the OpenBLAS 0.3.31 that comes with the build
 * ({@code org.bytedeco:openblas}, LAPACKE and CBLAS): dpotrf / dpotrs for Cholesky,
 * dsyevd (divide and conquer, as NumPy's eigh) for the eigendecomposition, dsyevr for the
 * largest eigenvalue, dpocon for the condition number, dgemm for products: the same LAPACK
 * routines as the system-library implementation, so the results agree with it (and with EJML)
 * to rounding. LAPACKE's {@code _work} entry points are used, with the workspace LAPACK asks
 * for, so that LAPACKE neither allocates nor scans the input for NaN.
 *
 * <p>LAPACK is column-major; a row-major array read column-major is the transpose, which for a
 * symmetric matrix is the same matrix: dpotrf("U") on the row-major array leaves the row-major
 * lower factor, dsyevd leaves the eigenvectors as the rows. LAPACKE's column-major entry
 * points are used so that LAPACKE makes no transposed copies. JavaCPP would pass a Java
 * {@code double[]} as a copy in and a copy back out (GetDoubleArrayElements); the arrays are
 * therefore copied into off-heap buffers explicitly, reused from call to call
 * ({@link OffHeapWorkspace}: a fresh allocation's page faults cost about as much as dpotrf at
 * n = 2000 here), and only what a routine writes is copied back (docs/performance.md, "predict
 * and classify without a system BLAS"). The calls are serialised on the instance (OpenBLAS's
 * own threads use the cores within each call).
 *
 * <p>{@code org.bytedeco.openblas.global.openblas} extends the {@code openblas_nolapack} preset
 * that {@link BundledOpenBlasGram} loads: both are the same OpenBLAS 0.3.31 build, never the
 * system's (kernel-dynamics asks for this implementation only where the system library is
 * absent or {@code -Daleph.linearAlgebra=bundled} keeps it out).
 */
final class BundledOpenBlasLinearAlgebra implements LinearAlgebra {

    private static final int COL = openblas.LAPACK_COL_MAJOR;
    private static final byte UPPER = (byte) 'U';

    /** Buffer slots: the n x n matrix, the right-hand sides (or second operand), LAPACK's workspace. */
    private static final int MATRIX = 0;
    private static final int SECOND = 1;
    private static final int THIRD = 2;

    private final String name;
    /** Reused off-heap copies of the arguments (fresh native memory page-faults on first touch). */
    private final OffHeapWorkspace work = new OffHeapWorkspace(3, 1);

    private BundledOpenBlasLinearAlgebra(String name) {
        this.name = name;
    }

    /** Loads the natives and checks them on a 2 x 2 factorisation; throws when they cannot be used. */
    static BundledOpenBlasLinearAlgebra load() {
        Loader.load(openblas.class);
        BundledOpenBlasLinearAlgebra la = new BundledOpenBlasLinearAlgebra(
                "bundled OpenBLAS 0.3.31 LAPACK/BLAS (org.bytedeco:openblas, no system library)");
        double[] probe = {4, 2, 2, 3};
        if (la.choleskyInPlace(probe, 2) != 0 || Math.abs(probe[0] - 2) > 1e-15 || Math.abs(probe[2] - 1) > 1e-15) {
            throw new IllegalStateException("the bundled OpenBLAS returned a wrong Cholesky factor of [[4,2],[2,3]]");
        }
        return la;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public synchronized int choleskyInPlace(double[] a, int n) {
        if (n == 0) {
            return 0;
        }
        int size = n * n;
        DoublePointer p = work.copyOf(MATRIX, a, size);
        int info = openblas.LAPACKE_dpotrf_work(COL, UPPER, n, p, n);
        if (info != 0) {
            return info > 0 ? info : n + 1; // negative: an illegal argument LAPACK refused
        }
        p.get(a, 0, size);
        for (int i = 0; i < n; i++) {
            double d = a[i * n + i];
            if (!(d > 0) || !Double.isFinite(d)) {
                return i + 1; // a NaN passes dpotrf's pivot test: a factor must be positive and finite
            }
            Arrays.fill(a, i * n + i + 1, (i + 1) * n, 0.0);
        }
        return 0;
    }

    @Override
    public synchronized void choleskySolveRows(double[] l, int n, double[] b, int k) {
        if (k == 0 || n == 0) {
            return;
        }
        DoublePointer pl = work.copyOf(MATRIX, l, n * n);
        DoublePointer pb = work.copyOf(SECOND, b, k * n);
        int info = openblas.LAPACKE_dpotrs_work(COL, UPPER, n, k, pl, n, pb, n);
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_dpotrs failed with info = " + info);
        }
        pb.get(b, 0, k * n);
    }

    @Override
    public synchronized double[] symmetricEigen(double[] a, int n) {
        double[] w = new double[n];
        if (n == 0) {
            return w;
        }
        DoublePointer p = work.copyOf(MATRIX, a, n * n);
        DoublePointer pw = work.doubles(SECOND, n);
        DoublePointer query = work.doubles(THIRD, 1);
        IntPointer iquery = work.ints(0, 1);
        int info = openblas.LAPACKE_dsyevd_work(COL, (byte) 'V', UPPER, n, p, n, pw, query, -1, iquery, -1);
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_dsyevd workspace query failed (info = " + info + ")");
        }
        int lwork = (int) query.get(0);
        int liwork = iquery.get(0);
        info = openblas.LAPACKE_dsyevd_work(COL, (byte) 'V', UPPER, n, p, n, pw,
                work.doubles(THIRD, lwork), lwork, work.ints(0, liwork), liwork);
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_dsyevd did not converge (info = " + info + ")");
        }
        p.get(a, 0, n * n);
        pw.get(w, 0, n);
        return w;
    }

    @Override
    public synchronized double largestEigenvalue(double[] a, int n) {
        if (n == 0) {
            throw new IllegalArgumentException("an empty matrix has no eigenvalues");
        }
        DoublePointer p = work.copyOf(MATRIX, a, n * n);
        try (DoublePointer w = new DoublePointer(n);
             DoublePointer z = new DoublePointer(1);
             IntPointer m = new IntPointer(1);
             IntPointer isuppz = new IntPointer(2L * n)) {
            int info = openblas.LAPACKE_dsyevr(COL, (byte) 'N', (byte) 'I', UPPER, n, p, n, 0, 0, n, n, 0.0, m, w, z, 1, isuppz);
            if (info != 0) {
                throw new IllegalStateException("LAPACKE_dsyevr failed (info = " + info + ")");
            }
            return w.get(0);
        }
    }

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k,
                                  double alpha, double[] a, double[] b, double beta, double[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        DoublePointer pa = work.copyOf(MATRIX, a, m * k);
        DoublePointer pb = work.copyOf(SECOND, b, k * n);
        // with beta = 0, BLAS does not read C: it need not be copied in
        DoublePointer pc = beta == 0 ? work.doubles(THIRD, (long) m * n) : work.copyOf(THIRD, c, m * n);
        openblas.cblas_dgemm(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m, n, k, alpha, pa, Math.max(1, transA ? m : k), pb, Math.max(1, transB ? k : n), beta, pc, n);
        pc.get(c, 0, m * n);
    }

    @Override
    public synchronized double reciprocalCondition(double[] l, int n, double normA1) {
        if (n == 0) {
            return 1.0;
        }
        DoublePointer p = work.copyOf(MATRIX, l, n * n);
        DoublePointer rcond = work.doubles(SECOND, 1);
        int info = openblas.LAPACKE_dpocon_work(COL, UPPER, n, p, n, normA1, rcond, work.doubles(THIRD, 3L * n),
                work.ints(0, n));
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_dpocon failed (info = " + info + ")");
        }
        return rcond.get(0);
    }
}
