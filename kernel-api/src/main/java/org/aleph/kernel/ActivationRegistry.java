package org.aleph.kernel;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;

/**
 * The activations available to this program, found with {@link ServiceLoader}.
 *
 * <p>The registry is strict with plug-ins: two providers of one name are rejected with a
 * sentence naming both modules, and an unknown name is answered with the nearest known
 * names. Lookups are case-sensitive, like the spec syntax.
 */
public final class ActivationRegistry {

    /** One discovered provider and where it came from. */
    public record Entry(ActivationProvider provider, String module, String version) {
        /** The provider's name. */
        public String name() {
            return provider.name();
        }
    }

    private static volatile ActivationRegistry defaultRegistry;

    private final Map<String, Entry> entries;
    private final String advice;

    private ActivationRegistry(Map<String, Entry> entries) {
        this(entries, null);
    }

    private ActivationRegistry(Map<String, Entry> entries, String advice) {
        this.entries = entries;
        this.advice = advice;
    }

    /**
     * This registry, with a sentence that messages for unknown names end with: where further
     * activations come from in the application that uses it (a command line's plug-in option,
     * say). Library code names no application's options itself.
     */
    public ActivationRegistry withUnknownNameAdvice(String advice) {
        return new ActivationRegistry(entries, advice);
    }

    /**
     * The registry of every provider visible to this module's layer and to the context
     * class loader, loaded once.
     *
     * @throws UserErrorException when two providers share a name
     */
    public static ActivationRegistry defaultRegistry() {
        ActivationRegistry r = defaultRegistry;
        if (r == null) {
            synchronized (ActivationRegistry.class) {
                r = defaultRegistry;
                if (r == null) {
                    r = load(ServiceLoader.load(ActivationProvider.class));
                    defaultRegistry = r;
                }
            }
        }
        return r;
    }

    /** A registry of the providers found in a module layer (and its parents). */
    public static ActivationRegistry load(ModuleLayer layer) {
        return load(ServiceLoader.load(layer, ActivationProvider.class));
    }

    /** A registry of the providers visible to a class loader. */
    public static ActivationRegistry load(ClassLoader loader) {
        return load(ServiceLoader.load(ActivationProvider.class, loader));
    }

    /** A registry of exactly the given providers. */
    public static ActivationRegistry of(List<? extends ActivationProvider> providers) {
        List<Entry> list = new ArrayList<>();
        for (ActivationProvider p : providers) {
            list.add(entryOf(p));
        }
        return fromEntries(list);
    }

    private static ActivationRegistry load(ServiceLoader<ActivationProvider> loader) {
        List<Entry> list = new ArrayList<>();
        for (ServiceLoader.Provider<ActivationProvider> p : (Iterable<ServiceLoader.Provider<ActivationProvider>>) loader.stream()::iterator) {
            list.add(entryOf(p.get()));
        }
        return fromEntries(list);
    }

    private static ActivationRegistry fromEntries(List<Entry> list) {
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry e : list) {
            Entry old = map.get(e.name());
            if (old != null) {
                if (old.provider().getClass() == e.provider().getClass()) {
                    continue; // the same provider seen through two loaders
                }
                throw new UserErrorException("two activation providers are named '" + e.name() + "': "
                        + old.provider().getClass().getName() + " in module " + old.module() + " and "
                        + e.provider().getClass().getName() + " in module " + e.module()
                        + "; remove one of them from the module path");
            }
            map.put(e.name(), e);
        }
        return new ActivationRegistry(Collections.unmodifiableMap(map));
    }

    private static Entry entryOf(ActivationProvider p) {
        Module m = p.getClass().getModule();
        if (m.isNamed()) {
            String version = m.getDescriptor() == null ? "" : m.getDescriptor().rawVersion().orElse("");
            return new Entry(p, m.getName(), version);
        }
        CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        String where = url == null ? "unnamed" : url.getPath().replaceAll(".*/(?=[^/]+/?$)", "");
        String pkgVersion = p.getClass().getPackage() == null ? null : p.getClass().getPackage().getImplementationVersion();
        return new Entry(p, where, pkgVersion == null ? "" : pkgVersion);
    }

    /** Every provider, sorted by name. */
    public List<Entry> entries() {
        List<Entry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparing(Entry::name));
        return list;
    }

    /** The provider of a name, if any. */
    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * Creates an activation from its name and arguments.
     *
     * @param name       the provider's name
     * @param positional positional arguments ({@link Double} or {@link String})
     * @param named      named arguments
     * @throws UserErrorException for an unknown name or arguments that do not fit
     */
    public Activation create(String name, List<?> positional, Map<String, ?> named) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new UserErrorException(unknownNameMessage(name));
        }
        Arguments args = ArgumentBinder.bind(e.provider(), doubles(positional), doubles(named));
        return e.provider().create(args);
    }

    /** Any Number (Integer, Long, Float, BigDecimal, ...) as the Double the binder expects; other values as they are. */
    private static List<Object> doubles(List<?> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(v instanceof Number num && !(v instanceof Double) ? (Object) num.doubleValue() : v);
        }
        return out;
    }

    private static Map<String, Object> doubles(Map<String, ?> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v instanceof Number num && !(v instanceof Double) ? (Object) num.doubleValue() : v));
        return out;
    }

    /**
     * Parses one activation written as in a network spec: {@code Erf}, {@code LeakyRelu(0.1)},
     * {@code Expr("x^3")}, with this registry's providers and the spec's argument checking.
     *
     * @throws SpecException naming the column of the mistake, or when the text is not exactly one activation
     */
    public Activation parse(String text) {
        List<Layer> layers = SpecParser.parse(text, this, new java.util.IdentityHashMap<>());
        if (layers.size() != 1 || layers.get(0).kind() != Layer.Kind.NONLINEARITY) {
            throw new SpecException(1, "'" + text + "' " + (layers.size() == 1 ? "is not an activation" : "has " + layers.size()
                    + " layers") + "; give one activation such as Erf or LeakyRelu(0.1)");
        }
        return ((Layer.Nonlinearity) layers.get(0)).activation();
    }

    /** Creates an activation that takes only defaults, e.g. {@code Relu}. */
    public Activation create(String name) {
        return create(name, List.of(), Map.of());
    }

    /** "unknown activation 'Rleu'; did you mean Relu?" */
    String unknownNameMessage(String name) {
        List<String> near = nearest(name, 3);
        String hint = near.isEmpty() ? unknownNameHint() : "; did you mean " + String.join(" or ", near) + "?";
        return "unknown activation '" + name + "'" + hint;
    }

    /**
     * The end of the message for a name no provider has, when no known name is near it: when
     * kernel-api's own {@code Identity} is the only provider (kernel-activations is missing, as
     * in a library user's project that depends on kernel-api alone), what to add; otherwise
     * where the known names are listed.
     */
    public String unknownNameHint() {
        boolean onlyApi = entries.values().stream()
                .allMatch(e -> e.provider().getClass().getPackageName().equals("org.aleph.kernel.builtin"));
        return onlyApi
                ? "; only kernel-api's Identity is present: the built-in activations need kernel-activations (Maven"
                        + " org.aleph:kernel-activations, module org.aleph.kernel.activations) on the class path or module path, and a"
                        + " plug-in's provider must be registered (META-INF/services on the class path, provides in module-info on the"
                        + " module path)"
                : "; the known activations are listed by ActivationRegistry.entries() (the command `aleph activations`)"
                        + (advice == null ? "" : "; " + advice);
    }

    /** Up to {@code limit} known names closest to {@code name} by edit distance. */
    public List<String> nearest(String name, int limit) {
        record Scored(String name, int distance) { }
        List<Scored> scored = new ArrayList<>();
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (String known : entries.keySet()) {
            String k = known.toLowerCase(java.util.Locale.ROOT);
            int d = EditDistance.between(lower, k);
            if (k.startsWith(lower) || lower.startsWith(k)) {
                d = Math.min(d, 1);
            }
            if (d <= Math.max(2, name.length() / 3)) {
                scored.add(new Scored(known, d));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
        return scored.stream().limit(limit).map(Scored::name).toList();
    }
}
