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
 * The distinct activations of a network (Residual branches included), each with its
 * provenance and the module that provided it, for the reports of {@code aleph kernel}. The walk
 * is a {@link Layer.Visitor}, so a new layer kind cannot be forgotten here.
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
        Collector collector = new Collector(registry, into);
        for (Layer layer : layers) {
            layer.accept(collector);
        }
    }

    /** Records each activation once, walking into Residual, Parallel and Repeat bodies; every other layer kind holds none. */
    private record Collector(ActivationRegistry registry, Map<String, Used> into) implements Layer.Visitor<Void> {

        @Override
        public Void nonlinearity(Layer.Nonlinearity layer) {
            Activation a = layer.activation();
            into.computeIfAbsent(a.name(), n -> new Used(n, a.provenance(), moduleOf(a, registry)));
            return null;
        }

        @Override
        public Void residual(Layer.Residual layer) {
            collect(layer.branch(), registry, into);
            return null;
        }

        @Override
        public Void branches(Layer.Branches layer) {
            layer.branches().forEach(b -> collect(b, registry, into));
            return null;
        }

        @Override
        public Void repeat(Layer.Repeat layer) {
            collect(layer.body(), registry, into);
            return null;
        }

        @Override
        public Void dense(Layer.Dense layer) {
            return null;
        }

        @Override
        public Void layerNorm(Layer.LayerNorm layer) {
            return null;
        }

        @Override
        public Void dropout(Layer.Dropout layer) {
            return null;
        }

        @Override
        public Void conv(Layer.Conv layer) {
            return null;
        }

        @Override
        public Void avgPool(Layer.AvgPool layer) {
            return null;
        }

        @Override
        public Void globalAvgPool(Layer.GlobalAvgPool layer) {
            return null;
        }

        @Override
        public Void flatten(Layer.Flatten layer) {
            return null;
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
