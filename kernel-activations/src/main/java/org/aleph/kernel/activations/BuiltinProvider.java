package org.aleph.kernel.activations;

import java.util.List;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * The common part of the built-in providers: a name, a one-line description of phi, the
 * declared parameters and how the expectations are obtained. Subclasses add {@link #create}.
 * Public for the quadrature built-ins' package only; the module exports neither package.
 */
public abstract class BuiltinProvider implements ActivationProvider {

    private final Provenance.Kind kind;
    private final String name;
    private final String description;
    private final List<Parameter> parameters;

    /** A closed-form built-in. */
    protected BuiltinProvider(String name, String description, Parameter... parameters) {
        this(Provenance.Kind.CLOSED_FORM, name, description, parameters);
    }

    /** A built-in whose expectations come from the given kind of computation. */
    protected BuiltinProvider(Provenance.Kind kind, String name, String description, Parameter... parameters) {
        this.kind = kind;
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
        return kind;
    }
}
