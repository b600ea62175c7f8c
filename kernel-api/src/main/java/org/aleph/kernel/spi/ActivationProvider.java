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
 */
public interface ActivationProvider {

    /** The name used in specs, e.g. {@code LeakyRelu}. Never null. */
    String name();

    /** The declared parameters in positional order. Never null; empty when there are none. */
    List<Parameter> parameters();

    /**
     * Creates the activation.
     *
     * @param arguments values for every declared parameter (defaults filled in), never null
     * @throws InvalidArgumentException when a value is outside the parameter's domain
     */
    Activation create(Arguments arguments);

    /** How the expectations of the created activations are obtained, for listings. */
    Provenance.Kind kind();

    /** One line describing phi, e.g. {@code max(0, x)}. */
    default String description() {
        return "";
    }
}
