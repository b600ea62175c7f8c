/**
 * Finite-width random networks built from the same specs as the infinite-width kernels:
 * sampling in the NTK parameterisation, forward passes, exact backpropagation, empirical
 * and Monte Carlo kernels, gradient-descent training of the real network and of its
 * linearisation, and the width sweep behind {@code aleph verify}.
 *
 * <p>Determinism: every random number is drawn from a {@link java.util.SplittableRandom}
 * stream derived from (seed, layer, row), and every sum is taken in a fixed order, so the same
 * seed gives the same bits whatever the number of threads.
 */
module org.aleph.kernel.finite {
    requires org.aleph.kernel;
    requires hipparchus.core;

    exports org.aleph.kernel.finite;
}
