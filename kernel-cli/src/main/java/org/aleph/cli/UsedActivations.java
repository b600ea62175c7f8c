package org.aleph.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;

/**
 * The distinct activations of a network (those in Residual, Parallel and Repeat bodies
 * included, through {@link Layer#nested()}), each with its provenance and the module that
 * provided it, for the reports of {@code aleph kernel}.
 */
final class UsedActivations {

    /** One activation as written in the spec, where its expectations come from, and its module. */
    record Used(String name, Provenance provenance, String module) { }

    private UsedActivations() {
    }

    static List<Used> of(Network network, ActivationRegistry registry) {
        Map<String, Used> byName = new LinkedHashMap<>();
        collect(network.layers(), registry, byName);
        return new ArrayList<>(byName.values());
    }

    private static void collect(List<Layer> layers, ActivationRegistry registry, Map<String, Used> into) {
        for (Layer layer : layers) {
            if (layer.kind() == Layer.Kind.NONLINEARITY) {
                Activation a = ((Layer.Nonlinearity) layer).activation();
                into.computeIfAbsent(a.name(), n -> new Used(n, a.provenance(), moduleOf(a, registry)));
            }
            layer.nested().forEach(body -> collect(body, registry, into));
        }
    }

    private static String moduleOf(Activation a, ActivationRegistry registry) {
        String name = a.name();
        int paren = name.indexOf('(');
        String base = paren < 0 ? name : name.substring(0, paren);
        return registry.find(base).map(ActivationRegistry.Entry::module).orElseGet(() -> {
            Module m = a.getClass().getModule();
            return m.isNamed() ? m.getName() : "class path";
        });
    }
}
