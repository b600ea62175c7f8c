/**
 * Kernel regression when the train-train kernel does not fit in one Java array: the kernel
 * held as checksummed tiles in memory-mapped files of a work folder (computed by the kernel
 * recursion of {@code org.aleph.kernel}, reused after an interruption), the system
 * (K + r I) A = Y solved for all targets at once by preconditioned conjugate gradients with a
 * partial pivoted Cholesky (Nystrom) preconditioner, and predictions K(test, train) A streamed
 * by blocks of test points. See docs/scale.md.
 *
 * @uses org.aleph.kernel.scale.ClusterEngine to find a distributed engine (kernel-spark) when one is on the path
 */
module org.aleph.kernel.scale {
    requires transitive org.aleph.kernel;
    requires transitive org.aleph.kernel.dynamics;
    requires dev.ludovic.netlib.blas;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;
    // the fused tile product (VectorProduct), used only when the incubator module is added at start
    requires static jdk.incubator.vector;

    exports org.aleph.kernel.scale;

    uses org.aleph.kernel.scale.ClusterEngine;
}
