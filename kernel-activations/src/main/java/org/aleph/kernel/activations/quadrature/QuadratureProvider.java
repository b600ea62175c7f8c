package org.aleph.kernel.activations.quadrature;

import java.util.List;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * The common part of the built-ins without a closed form: each subclass names phi, phi' and
 * its kinks, and {@link org.aleph.kernel.quadrature.QuadratureActivation} computes the two
 * expectations by Gaussian quadrature.
 */
abstract class QuadratureProvider implements ActivationProvider {

    private final String name;
    private final String description;
    private final List<Parameter> parameters;

    QuadratureProvider(String name, String description, Parameter... parameters) {
        this.name = name;
        this.description = description;
        this.parameters = List.of(parameters);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Provenance.Kind kind() {
        return Provenance.Kind.QUADRATURE;
    }
}
