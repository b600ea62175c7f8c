package org.aleph.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Parameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph activations}: one line per discovered activation provider
 * ({@link ActivationRegistry#entries()}): its name, its parameters with defaults, how its
 * expectations are obtained, and the module (with version) that provides it. The activations
 * of modules the {@code aleph} script keeps off the boot layer (kernel-cas's {@code Expr}) are
 * listed from {@link OnDemandListing} without loading them.
 */
@Command(name = "activations",
        sortOptions = false,
        description = {
            "Lists the available activations.",
            "One line each: name, parameters with defaults, provenance (closed form, symbolic or quadrature),",
            "and the module that provides it (module path, class path or plug-in path).",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph activations",
            "  aleph activations --json",
            "  aleph --plugin-path plugins/my-activation.jar activations",
        })
public final class ActivationsCommand implements Callable<Integer> {

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        List<ActivationRegistry.Entry> entries = new java.util.ArrayList<>(aleph.registry().entries());
        for (ActivationRegistry.Entry e : aleph.unloadedActivations()) { // Expr without loading Symja
            if (entries.stream().noneMatch(x -> x.name().equals(e.name()))) {
                entries.add(e);
            }
        }
        entries.sort(java.util.Comparator.comparing(ActivationRegistry.Entry::name));
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            out.println(json(entries));
        } else {
            text(entries, out);
        }
        out.flush();
        return 0;
    }

    private static void text(List<ActivationRegistry.Entry> entries, PrintWriter out) {
        int nameWidth = 4;
        int paramWidth = 10;
        int kindWidth = 10;
        int moduleWidth = 6;
        for (ActivationRegistry.Entry e : entries) {
            nameWidth = Math.max(nameWidth, e.name().length());
            paramWidth = Math.max(paramWidth, parameters(e.provider()).length());
            kindWidth = Math.max(kindWidth, e.provider().kind().label().length());
            moduleWidth = Math.max(moduleWidth, module(e).length());
        }
        String format = "%-" + nameWidth + "s  %-" + paramWidth + "s  %-" + kindWidth + "s  %-" + moduleWidth + "s  %s%n";
        out.printf(format, "NAME", "PARAMETERS", "PROVENANCE", "MODULE", "PHI");
        for (ActivationRegistry.Entry e : entries) {
            out.printf(format, e.name(), parameters(e.provider()), e.provider().kind().label(), module(e), e.provider().description());
        }
    }

    private static String parameters(ActivationProvider p) {
        if (p.parameters().isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (Parameter q : p.parameters()) {
            b.append(b.length() == 0 ? "" : ", ").append(q);
        }
        return b.toString();
    }

    private static String module(ActivationRegistry.Entry e) {
        return e.version().isEmpty() ? e.module() : e.module() + "@" + e.version();
    }

    private static String json(List<ActivationRegistry.Entry> entries) {
        JsonWriter j = new JsonWriter().beginObject().name("activations").beginArray();
        for (ActivationRegistry.Entry e : entries) {
            ActivationProvider p = e.provider();
            j.beginObject().name("name").value(e.name()).name("parameters").beginArray();
            for (Parameter q : p.parameters()) {
                j.beginObject().name("name").value(q.name())
                        .name("type").value(q.type().name().toLowerCase(java.util.Locale.ROOT))
                        .name("variadic").value(q.variadic())
                        .name("required").value(q.required())
                        .name("default");
                if (q.defaultValue() instanceof Double d) {
                    j.value(d.doubleValue());
                } else if (q.defaultValue() instanceof String s) {
                    j.value(s);
                } else {
                    j.nullValue();
                }
                j.name("description").value(q.description()).endObject();
            }
            j.endArray()
                    .name("provenance").value(p.kind().label())
                    .name("module").value(e.module())
                    .name("version").value(e.version())
                    .name("description").value(p.description())
                    .endObject();
        }
        return j.endArray().endObject().toString();
    }
}
