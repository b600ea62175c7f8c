package org.aleph.kernel.theory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;

/** Activations for the tests: built-ins from the registry and quadrature twins. */
final class Activations {

    private Activations() {
    }

    /** A built-in by name with positional arguments, e.g. {@code of("LeakyRelu", 0.1)}. */
    static Activation of(String name, double... args) {
        List<Object> positional = Arrays.stream(args).boxed().map(Object.class::cast).toList();
        return ActivationRegistry.defaultRegistry().create(name, positional, Map.of());
    }

    /** erf by quadrature from phi and phi' alone (no closed form involved). */
    static Activation erfByQuadrature() {
        return new QuadratureActivation("ErfQuadrature", org.hipparchus.special.Erf::erf,
                x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x), new double[0]);
    }
}
