package org.aleph.kernel.scale;

import org.aleph.kernel.dynamics.LinearAlgebra;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The OpenBLAS 0.3.31 that comes with the build ({@code org.bytedeco:openblas}, the library
 * kernel-blas loads for the input Gram) as kernel-scale uses it: row-major {@code cblas_dgemm}
 * and {@code cblas_dsyrk} on off-heap {@link DoublePointer}s (memory-mapped tiles are passed by
 * address, never copied), and {@code LAPACKE_dsyevd}.
 *
 * <p>Used only when it loads and no system BLAS is in the process: where kernel-dynamics has
 * loaded the system's OpenBLAS through netlib ({@link LinearAlgebra#nativeLapack()}), a second
 * OpenBLAS in the same process crashed (docs/performance.md, "Input Gram"), so the tiled solver
 * then keeps its plain-Java tile products and the system library's {@link LinearAlgebra}.
 * {@code -Daleph.pureJava=true} or {@code -Daleph.bundledBlas=false} turn it off as for the
 * Gram.
 */
final class NativeBlas {

    private static final boolean AVAILABLE = probe();

    private NativeBlas() {
    }

    /** Whether the bundled OpenBLAS is loaded and may be used. */
    static boolean available() {
        return AVAILABLE;
    }

    private static boolean probe() {
        if (Boolean.getBoolean("aleph.pureJava") || "false".equalsIgnoreCase(System.getProperty("aleph.bundledBlas"))) {
            return false;
        }
        try {
            if (LinearAlgebra.nativeLapack().isPresent()) {
                return false;
            }
            Loader.load(openblas.class);
            try (DoublePointer a = new DoublePointer(1, 2, 3, 4); DoublePointer c = new DoublePointer(4)) {
                gemm(false, true, 2, 2, 2, 1.0, a, 2, a, 2, 0.0, c, 2); // rows (1, 2), (3, 4): A A^T
                return c.get(0) == 5 && c.get(1) == 11 && c.get(3) == 25;
            }
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** OpenBLAS's own threads for the calls of this process (a process-wide setting). */
    static int threads() {
        return org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
    }

    /** Sets OpenBLAS's own threads (process-wide). */
    static void setThreads(int t) {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(t);
    }

    /**
     * C = alpha op(A) op(B) + beta C, row-major with leading dimensions; op(A) m x k, op(B)
     * k x n. The pointers' positions are the offsets of the first elements.
     */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, DoublePointer a, int lda, DoublePointer b,
                     int ldb, double beta, DoublePointer c, int ldc) {
        openblas.cblas_dgemm(openblas.CblasRowMajor,
                ta ? openblas.CblasTrans : openblas.CblasNoTrans,
                tb ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** The upper triangle of C = A A^T (row-major, A r x n with leading dimension lda, C r x r). */
    static void syrk(int r, int n, DoublePointer a, int lda, DoublePointer c) {
        openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper,
                openblas.CblasNoTrans, r, n, 1.0, a, lda, 0.0, c, r);
    }

    /**
     * Eigendecomposition of the symmetric row-major r x r matrix whose upper triangle {@code a}
     * holds: returns the eigenvalues ascending and leaves in {@code a} the eigenvectors as its
     * columns (row-major: a[i * r + j] is component i of eigenvector j).
     */
    static double[] symmetricEigen(DoublePointer a, int r) {
        try (DoublePointer w = new DoublePointer(r)) {
            int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', r, a, r, w);
            if (info != 0) {
                throw new IllegalStateException("LAPACKE_dsyevd failed with info " + info + " on an order-" + r + " matrix");
            }
            double[] out = new double[r];
            w.get(out);
            return out;
        }
    }
}
