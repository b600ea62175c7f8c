/**
 * Aleph's theory of signal propagation in infinitely wide networks, for any activation:
 * the mean-field length and correlation maps, their fixed points, depth scales and the
 * order-to-chaos critical line (Poole et al. 2016; Schoenholz et al. 2017), the dual
 * activation of the NNGP and NTK composed over depth, the Hermite spectrum of a
 * nonlinearity and the eigenvalues of the kernels on the sphere.
 *
 * <p>Everything is computed from an activation's block
 * {@link org.aleph.kernel.spi.Activation#expectations expectations} (closed form, symbolic or
 * quadrature alike); only the Hermite spectrum also evaluates phi pointwise.
 */
module org.aleph.kernel.theory {
    requires transitive org.aleph.kernel;
    requires hipparchus.core;

    exports org.aleph.kernel.theory;
}
