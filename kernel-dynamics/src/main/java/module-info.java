/**
 * Predictions of infinitely wide networks with uncertainty: exact GP inference with the
 * NNGP, the NTK and the NTK-GP, the closed-form mean-squared-error gradient-descent dynamics
 * of the infinite ensemble, the function-space ODE for other losses, and the dense linear
 * algebra they need (native LAPACK through dev.ludovic.netlib when the system has it, EJML
 * otherwise). Conventions follow neural-tangents' {@code predict} module.
 *
 * @provides org.aleph.kernel.spi.GramProvider the input Gram of the kernel recursion on native BLAS
 * @uses org.aleph.kernel.dynamics.LinearAlgebraProvider another native linear algebra (kernel-blas: bundled OpenBLAS)
 */
module org.aleph.kernel.dynamics {
    requires org.aleph.kernel;
    requires java.logging;
    requires hipparchus.core;
    requires hipparchus.ode;
    requires ejml.core;
    requires ejml.ddense;
    requires dev.ludovic.netlib.lapack;
    requires dev.ludovic.netlib.blas;
    requires arpack.combined.all;

    exports org.aleph.kernel.dynamics;

    uses org.aleph.kernel.dynamics.LinearAlgebraProvider;

    provides org.aleph.kernel.spi.GramProvider with org.aleph.kernel.dynamics.NativeGramProvider;
}
