package org.aleph.kernel.dynamics;

/**
 * A {@link LinearAlgebra} implementation that another module contributes through
 * {@link java.util.ServiceLoader}, the way {@link org.aleph.kernel.spi.GramProvider} plugs a
 * native Gram into kernel-api: module kernel-blas provides one on the OpenBLAS 0.3.31 that
 * comes with the build ({@code org.bytedeco:openblas}), so that kernel-dynamics itself does not
 * carry 20 MB of natives for library users who do not ask for them.
 *
 * <p>{@link LinearAlgebra#automatic()} asks a provider only when the system's LAPACK/BLAS is
 * absent (never two native BLAS libraries in one process: docs/performance.md, "Input Gram"),
 * or when {@code -Daleph.linearAlgebra=bundled} forces it. Its implementation must compute the
 * same results as the pure-Java one to rounding, operation by operation.
 */
public interface LinearAlgebraProvider {

    /** A short name of the library, e.g. "bundled OpenBLAS 0.3.31". */
    String name();

    /**
     * Loads the native library and returns the implementation after checking it on a small
     * problem. Called at most once per process.
     *
     * @throws RuntimeException or {@link LinkageError} when the library cannot be used here
     *     (another platform, disabled by a property, a failed check); the message says why
     */
    LinearAlgebra load();
}
