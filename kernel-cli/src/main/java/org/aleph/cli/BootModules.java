package org.aleph.cli;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Splits the jars of {@code kernel-cli/target/lib} into the module path the {@code aleph}
 * script starts with and the modules loaded only on demand: {@code org.aleph.kernel.cas}
 * (Symja and its dependencies, about half the jars) is left out of the boot layer and loaded
 * into a child layer by {@link Aleph#registry()} when a command needs the {@code Expr}
 * activation. A JVM resolves (and, for automatic modules, scans) every jar on its module path
 * at start-up, so fewer jars start faster (docs/performance.md, "Start-up").
 *
 * <p>Run by the script on the class path with only this jar, once per build of the lib folder:
 * {@code java -cp kernel-cli.jar org.aleph.cli.BootModules LIB OUT}. Writes two lines to OUT:
 * the boot module path (jar files separated by the path separator), and the modules to add
 * with {@code --add-modules} (comma-separated, possibly empty): the JavaCPP native-library
 * modules of this platform (e.g. {@code org.bytedeco.openblas.linux.x86_64}), which nothing
 * requires but kernel-blas needs at run time.
 */
final class BootModules {

    /** Modules kept off the boot layer, loaded on demand from the lib folder. */
    static final Set<String> ON_DEMAND = Set.of("org.aleph.kernel.cas");

    /** The command line's own module, the root of the boot layer. */
    static final String ROOT = "org.aleph.cli";

    private BootModules() {
    }

    /** Writes the plan for the lib folder {@code args[0]} to the file {@code args[1]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BootModules LIB-FOLDER OUT-FILE");
            System.exit(2);
        }
        Path lib = Path.of(args[0]);
        List<String> plan = plan(lib, javacppPlatform());
        Path out = Path.of(args[1]);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.write(tmp, plan, StandardCharsets.UTF_8);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The two lines: boot module path, and the platform modules to add (may be empty).
     *
     * <p>The boot modules are those the root needs by name: the closure of {@code requires}
     * (static ones excepted) and of the providers of every service a module in it {@code uses}
     * (activations, Gram providers), without the on-demand modules. Resolution alone would not
     * do: once one automatic module (a plain jar, like hipparchus-core) is resolved, every
     * automatic module on the path is, Symja's included.
     *
     * @throws java.lang.module.FindException or ResolutionException when the chosen modules do
     *         not resolve (the script then starts with the whole folder)
     */
    static List<String> plan(Path lib, String platform) {
        ModuleFinder all = ModuleFinder.of(lib);
        ModuleFinder system = ModuleFinder.ofSystem();
        Map<String, List<String>> providers = new HashMap<>();
        for (ModuleReference r : all.findAll()) {
            if (!ON_DEMAND.contains(r.descriptor().name())) {
                for (ModuleDescriptor.Provides p : r.descriptor().provides()) {
                    providers.computeIfAbsent(p.service(), k -> new ArrayList<>()).add(r.descriptor().name());
                }
            }
        }
        Set<String> boot = new TreeSet<>();
        Set<String> natives = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(ROOT));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (ON_DEMAND.contains(name) || boot.contains(name) || system.find(name).isPresent()) {
                continue;
            }
            Optional<ModuleReference> ref = all.find(name);
            if (ref.isEmpty()) {
                continue; // resolution below reports a missing module
            }
            boot.add(name);
            ModuleDescriptor d = ref.get().descriptor();
            for (ModuleDescriptor.Requires r : d.requires()) {
                if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                    todo.push(r.name());
                }
            }
            for (String service : d.uses()) {
                todo.addAll(providers.getOrDefault(service, List.of()));
            }
            // JavaCPP keeps each platform's natives in a module "<module>.<platform>" that nothing requires.
            String nativeModule = name + "." + platform;
            if (all.find(nativeModule).isPresent()) {
                natives.add(nativeModule);
                todo.push(nativeModule);
            }
        }
        List<String> jars = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (String name : boot) {
            all.find(name).flatMap(ModuleReference::location).filter(u -> "file".equals(u.getScheme())).map(URI::getPath)
                    .ifPresent(jars::add);
        }
        jars.sort(null);
        for (String j : jars) {
            paths.add(Path.of(j));
        }
        Set<String> roots = new TreeSet<>(natives);
        roots.add(ROOT);
        // the chosen jars alone must resolve with the script's roots
        Configuration.resolveAndBind(ModuleFinder.of(paths.toArray(Path[]::new)),
                List.of(ModuleLayer.boot().configuration()), ModuleFinder.of(), roots);
        return List.of(String.join(java.io.File.pathSeparator, jars), String.join(",", natives));
    }

    /** JavaCPP's name of this platform, e.g. linux-x86_64 (as in its module names, with a dot). */
    static String javacppPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : os.startsWith("windows") ? "windows" : os;
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            default -> arch;
        };
        return o + "." + a;
    }
}
