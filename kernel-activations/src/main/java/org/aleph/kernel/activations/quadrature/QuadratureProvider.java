package org.aleph.kernel.activations.quadrature;

import org.aleph.kernel.activations.BuiltinProvider;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * The common part of the built-ins without a closed form: each subclass names phi, phi' and
 * its kinks, and {@link org.aleph.kernel.quadrature.QuadratureActivation} computes the two
 * expectations by Gaussian quadrature.
 */
abstract class QuadratureProvider extends BuiltinProvider {

    QuadratureProvider(String name, String description, Parameter... parameters) {
        super(Provenance.Kind.QUADRATURE, name, description, parameters);
    }
}
