/**
 * Aleph's built-in activations: closed forms from the literature, and smooth
 * nonlinearities without one served by the quadrature fallback.
 *
 * @provides org.aleph.kernel.spi.ActivationProvider with every built-in activation
 */
module org.aleph.kernel.activations {
    requires org.aleph.kernel;

    provides org.aleph.kernel.spi.ActivationProvider with
            org.aleph.kernel.activations.ReluProvider;
}
