package org.aleph.cli;

import java.io.File;
import java.io.PrintWriter;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.ActivationProvider;

/**
 * Loads plug-in activations from jars into a child {@link ModuleLayer} of the boot layer.
 *
 * <p>The plug-in path is the concatenation of {@code --plugin-path}, the environment variable
 * {@code ALEPH_PLUGIN_PATH} and the {@code plugins/} folder of the installation. Each entry is
 * a jar or a folder of jars ({@link ModuleFinder#of}); a jar without {@code module-info}
 * becomes an automatic module whose {@code META-INF/services} entries declare its providers.
 * The modules are resolved with service binding ({@link Configuration#resolveAndBind}) against
 * the boot layer, which they find first: a plug-in folder that also holds a copy of an Aleph
 * module uses the running one. The registry holds the providers of the new layer together
 * with those already on the module path or class path; a name given twice is an error.
 */
final class PluginPath {

    /** One entry of the plug-in path and where it was given (for messages). */
    record Entry(Path path, String source) { }

    private PluginPath() {
    }

    /** The entries of the option, the environment variable and the installation's plugins folder, in that order. */
    static List<Entry> entries(String option, String environment, Path homePlugins) {
        List<Entry> list = new ArrayList<>();
        split(option, "--plugin-path", list);
        split(environment, "ALEPH_PLUGIN_PATH", list);
        if (homePlugins != null) {
            list.add(new Entry(homePlugins, "the installation's plugins folder"));
        }
        return list;
    }

    private static void split(String value, String source, List<Entry> into) {
        if (value == null || value.isBlank()) {
            return;
        }
        for (String part : value.split(File.pathSeparator)) {
            if (!part.isBlank()) {
                into.add(new Entry(Path.of(part.trim()), source));
            }
        }
    }

    /**
     * The registry for the given plug-in path: the default registry when it is empty, else
     * the providers of a new module layer built from it plus the default ones.
     *
     * @param notes receives notes (a plug-in module that was already present), never null
     */
    static ActivationRegistry registry(List<Entry> entries, PrintWriter notes) {
        return registry(entries, null, notes);
    }

    /**
     * The registry for the given plug-in path plus, when {@code onDemand} names a folder of
     * jars, the activations of the modules kept off the boot layer ({@link BootModules#ON_DEMAND},
     * i.e. kernel-cas and Symja) loaded from it into a child layer of their own.
     *
     * @param onDemand the folder holding the on-demand modules (the script's lib folder), or null
     */
    static ActivationRegistry registry(List<Entry> entries, Path onDemand, PrintWriter notes) {
        ModuleLayer extra = onDemand == null ? null : onDemandLayer(onDemand);
        if (entries.isEmpty() && extra == null) {
            return ActivationRegistry.defaultRegistry();
        }
        List<ActivationProvider> providers = new ArrayList<>();
        if (!entries.isEmpty()) {
            for (ActivationRegistry.Entry e : ActivationRegistry.load(layer(entries, notes)).entries()) {
                providers.add(e.provider());
            }
        }
        if (extra != null) {
            for (ActivationRegistry.Entry e : ActivationRegistry.load(extra).entries()) {
                providers.add(e.provider());
            }
        }
        for (ActivationRegistry.Entry e : ActivationRegistry.defaultRegistry().entries()) {
            providers.add(e.provider());
        }
        return ActivationRegistry.of(providers);
    }

    /**
     * A child layer of the boot layer holding the on-demand modules found in the folder (and
     * whatever they require that the boot layer lacks), or null when they are already in the
     * boot layer, absent from the folder, or do not resolve: then the run goes on without them,
     * as it would with them missing from the module path.
     */
    static ModuleLayer onDemandLayer(Path folder) {
        ModuleLayer boot = ModuleLayer.boot();
        try {
            ModuleFinder finder = ModuleFinder.of(folder);
            Set<String> roots = new LinkedHashSet<>();
            for (String name : BootModules.ON_DEMAND) {
                if (boot.findModule(name).isEmpty() && finder.find(name).isPresent()) {
                    roots.add(name);
                }
            }
            if (roots.isEmpty()) {
                return null;
            }
            Configuration cf = boot.configuration().resolveAndBind(ModuleFinder.of(), finder, roots);
            ModuleLayer layer = boot.defineModulesWithOneLoader(cf, PluginPath.class.getClassLoader());
            onDemandLayer = layer;
            return layer;
        } catch (FindException | ResolutionException | LayerInstantiationException | SecurityException e) {
            return null;
        }
    }

    /** The on-demand layer built in this JVM, if any, for {@link #location(String)}. */
    private static volatile ModuleLayer onDemandLayer;

    /** A child layer of the boot layer holding every module found on the entries. */
    static ModuleLayer layer(List<Entry> entries, PrintWriter notes) {
        List<Path> paths = new ArrayList<>();
        for (Entry e : entries) {
            if (!Files.exists(e.path())) {
                throw new UserErrorException("plug-in path entry '" + e.path() + "' (from " + e.source()
                        + ") does not exist; give jar files or folders of jars separated by '" + File.pathSeparator + "'");
            }
            if (Files.isRegularFile(e.path()) && !e.path().getFileName().toString().endsWith(".jar")) {
                throw new UserErrorException("plug-in path entry '" + e.path() + "' (from " + e.source()
                        + ") is neither a jar nor a folder");
            }
            paths.add(e.path());
        }
        ModuleLayer boot = ModuleLayer.boot();
        try {
            ModuleFinder finder = ModuleFinder.of(paths.toArray(Path[]::new));
            Set<String> roots = new LinkedHashSet<>();
            for (ModuleReference ref : finder.findAll()) {
                String name = ref.descriptor().name();
                if (boot.findModule(name).isPresent()) {
                    notes.println("aleph: note: plug-in module " + name + " (" + ref.location().map(Object::toString).orElse("?")
                            + ") is already loaded; using the loaded one");
                } else {
                    roots.add(name);
                }
            }
            Configuration cf = boot.configuration().resolveAndBind(ModuleFinder.of(), finder, roots);
            ModuleLayer layer = boot.defineModulesWithOneLoader(cf, PluginPath.class.getClassLoader());
            lastLayer = layer;
            return layer;
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new UserErrorException("the plug-ins on " + describe(entries) + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** The plug-in layer built last in this JVM, for {@link #location(String)}. */
    private static volatile ModuleLayer lastLayer;

    /**
     * Where a module was loaded from (its jar or folder), searching the plug-in layer and the
     * boot layer; empty when unknown (e.g. on the class path).
     */
    static java.util.Optional<String> location(String moduleName) {
        for (ModuleLayer layer : new ModuleLayer[] {lastLayer, onDemandLayer, ModuleLayer.boot()}) {
            if (layer != null) {
                java.util.Optional<String> where = layer.configuration().findModule(moduleName)
                        .flatMap(m -> m.reference().location()).map(Object::toString);
                if (where.isPresent()) {
                    return where;
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static String describe(List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            b.append(b.length() == 0 ? "" : File.pathSeparator).append(e.path());
        }
        return b.toString();
    }
}
