/**
 * The input Gram X1 X2^T of the kernel recursion on the OpenBLAS that comes with the build
 * (Maven Central's {@code org.bytedeco:openblas}, the OpenBLAS version NumPy ships, natives for
 * linux-x86_64), so that the fast path needs no system library. Found by kernel-api through the
 * {@link org.aleph.kernel.spi.GramProvider} service; where its natives cannot load it reports
 * itself unavailable and the next provider (system BLAS) or the pure-Java tiles are used.
 *
 * @provides org.aleph.kernel.spi.GramProvider the input Gram as cblas_dgemm panels on bundled OpenBLAS
 * @provides org.aleph.kernel.dynamics.LinearAlgebraProvider kernel-dynamics' Cholesky, solves, eigendecomposition
 *     and products on the bundled OpenBLAS's LAPACKE and CBLAS, where the system has no LAPACK/BLAS
 */
module org.aleph.kernel.blas {
    requires org.aleph.kernel;
    requires org.aleph.kernel.dynamics;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;

    provides org.aleph.kernel.spi.GramProvider with org.aleph.kernel.blas.BundledOpenBlasGram;
    provides org.aleph.kernel.dynamics.LinearAlgebraProvider with org.aleph.kernel.blas.BundledLinearAlgebraProvider;
}
