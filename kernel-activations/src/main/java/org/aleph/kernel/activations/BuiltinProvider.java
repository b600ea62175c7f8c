package org.aleph.kernel.activations;

import java.util.List;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * The common part of the closed-form built-in providers: a name, a one-line description of
 * phi and the declared parameters. Subclasses add {@link #create}.
 */
abstract class BuiltinProvider implements ActivationProvider {

    private final String name;
    private final String description;
    private final List<Parameter> parameters;

    BuiltinProvider(String name, String description, Parameter... parameters) {
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
    public Provenance.Kind kind() {
        return Provenance.Kind.CLOSED_FORM;
    }
}
