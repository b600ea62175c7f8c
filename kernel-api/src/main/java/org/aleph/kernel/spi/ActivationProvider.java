package org.aleph.kernel.spi;

import java.util.List;

/**
 * A factory for one named activation, discovered with {@link java.util.ServiceLoader}
 * (module {@code provides org.aleph.kernel.spi.ActivationProvider}, or a
 * {@code META-INF/services} entry for class-path users).
 *
 * <p>Names follow neural-tangents' stax where one exists ({@code Relu}, {@code LeakyRelu},
 * {@code Erf}), so that a spec reads the same in both libraries. Two providers of one name
 * are rejected by the registry.
 *
 * <p>Only {@link #name()} and {@link #create(Arguments)} must be written; {@link #parameters()}
 * (none), {@link #kind()} (read from a created activation) and {@link #description()} (empty)
 * have defaults.
 */
public interface ActivationProvider {

    /** The name used in specs, e.g. {@code LeakyRelu}. Never null. */
    String name();

    /**
     * The declared parameters in positional order. Never null; by default none (an activation
     * without parameters, such as {@code Relu}, need not override it).
     */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Creates the activation.
     *
     * @param arguments values for every declared parameter (defaults filled in), never null
     * @throws InvalidArgumentException when a value is outside the parameter's domain
     */
    Activation create(Arguments arguments);

    /**
     * How the expectations of the created activations are obtained, for listings. Never null.
     *
     * <p>By default the kind in the {@link Activation#provenance() provenance} of the activation
     * created with every parameter at its default (a variadic one empty), so a listing never
     * claims more than the activation says; {@link Provenance.Kind#QUADRATURE}, the kind that
     * promises least, when a parameter has no default or the defaults are refused
     * ({@link InvalidArgumentException}). Override it when creating an activation is expensive
     * (it is called once per listing) or when the kind depends on the arguments.
     */
    default Provenance.Kind kind() {
        java.util.Map<String, Object> defaults = new java.util.LinkedHashMap<>();
        for (Parameter p : parameters()) {
            if (p.variadic()) {
                defaults.put(p.name(), new double[0]);
            } else if (p.defaultValue() != null) {
                defaults.put(p.name(), p.defaultValue());
            } else {
                return Provenance.Kind.QUADRATURE;
            }
        }
        try {
            return create(new Arguments(defaults)).provenance().kind();
        } catch (InvalidArgumentException e) {
            return Provenance.Kind.QUADRATURE;
        }
    }

    /** One line describing phi, e.g. {@code max(0, x)}. */
    default String description() {
        return "";
    }
}
