/**
 * The Aleph kernel API: the activation SPI, layers and networks, the network spec parser
 * and the NNGP / NTK kernel recursion.
 *
 * @uses org.aleph.kernel.spi.ActivationProvider to find every activation on the module path
 * @uses org.aleph.kernel.spi.GramProvider to use an optimised BLAS for the input Gram when one is present
 * @provides org.aleph.kernel.spi.ActivationProvider with {@code Identity}
 */
module org.aleph.kernel {
    requires hipparchus.core;

    exports org.aleph.kernel;
    exports org.aleph.kernel.spi;
    exports org.aleph.kernel.spi.support;
    exports org.aleph.kernel.quadrature;

    uses org.aleph.kernel.spi.ActivationProvider;
    uses org.aleph.kernel.spi.GramProvider;

    provides org.aleph.kernel.spi.ActivationProvider with org.aleph.kernel.builtin.IdentityProvider;
}
