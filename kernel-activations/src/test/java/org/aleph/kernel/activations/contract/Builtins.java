package org.aleph.kernel.activations.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;

/** Creates built-in activations by name through the default registry, as a user's spec would. */
final class Builtins {

    private Builtins() {
    }

    /** The activation {@code name(args...)} from {@link ActivationRegistry#defaultRegistry()}. */
    static Activation create(String name, double... args) {
        List<Object> positional = Arrays.stream(args).boxed().map(Object.class::cast).toList();
        return ActivationRegistry.defaultRegistry().create(name, positional, Map.of());
    }
}
