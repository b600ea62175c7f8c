package org.aleph.kernel.dynamics;

import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Holder that chooses and loads the linear algebra implementations once, on first use.
 *
 * <p>Order (docs/performance.md, "predict and classify without a system BLAS"): the system's
 * LAPACK/BLAS through netlib when it loads; else the first {@link LinearAlgebraProvider}
 * (kernel-blas: the bundled OpenBLAS) whose library loads; else EJML. At most one native BLAS
 * per process: the system BLAS is probed before the system LAPACK (Debian's liblapack.so.3
 * pulls in its libopenblas.so.0), and a provider is not asked when the system BLAS is already
 * in the process, since two OpenBLAS builds in one process crashed (commit 38f8c01).
 *
 * <p>{@code -Daleph.linearAlgebra=system|bundled|java} forces one ({@code auto}, the default,
 * chooses as above); a forced one that cannot load makes {@link LinearAlgebra#automatic()}
 * throw instead of silently using another. {@code -Daleph.pureJava=true} is {@code java}.
 */
final class Backends {

    /** The system property that forces an implementation. */
    static final String PROPERTY = "aleph.linearAlgebra";

    static final LinearAlgebra PURE_JAVA = PureJava.INSTANCE;
    static final LinearAlgebra NATIVE;
    static final String NATIVE_FAILURE;
    static final LinearAlgebra PROVIDED;
    static final String PROVIDED_FAILURE;
    static final LinearAlgebra AUTOMATIC;
    /** Why the forced implementation is unavailable; null when none is forced or it loaded. */
    static final String FORCED_FAILURE;

    /**
     * netlib's loggers, kept reachable: loading native BLAS logs a warning that the JDK's vector
     * API (an incubator module) is absent, which is irrelevant once the native library loads.
     */
    private static final Logger[] QUIETED = {
        Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder"),
        Logger.getLogger("dev.ludovic.netlib.lapack.InstanceBuilder"),
    };

    static {
        for (Logger logger : QUIETED) {
            logger.setLevel(Level.SEVERE);
        }
        String choice = Choice.current();
        LinearAlgebra system = null;
        String systemFailure = null;
        boolean systemBlasLoaded = false;
        if (choice.equals("auto") || choice.equals("system")) {
            try {
                NativeBLAS.getInstance(); // throws when libblas.so.3 is absent; nothing is loaded then
                systemBlasLoaded = true;
                system = NativeLinearAlgebra.load();
            } catch (Throwable e) { // UnsatisfiedLinkError, RuntimeException, ... : no native library
                systemFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        } else {
            systemFailure = "not loaded: " + reasonOf(choice);
        }
        LinearAlgebra provided = null;
        String providedFailure;
        if (choice.equals("bundled") || (choice.equals("auto") && system == null && !systemBlasLoaded)) {
            String[] failure = new String[1];
            provided = loadProvided(failure);
            providedFailure = failure[0];
        } else if (choice.equals("auto")) {
            providedFailure = systemBlasLoaded && system == null
                    ? "not loaded: the system BLAS is in the process without LAPACK (" + systemFailure
                      + "), and a second native BLAS must not be loaded"
                    : "not loaded: the system LAPACK/BLAS serves";
        } else {
            providedFailure = "not loaded: " + reasonOf(choice);
        }
        NATIVE = system;
        NATIVE_FAILURE = systemFailure;
        PROVIDED = provided;
        PROVIDED_FAILURE = providedFailure;
        String forcedFailure = null;
        LinearAlgebra chosen;
        switch (choice) {
            case "system" -> {
                chosen = system;
                forcedFailure = system == null ? "the system LAPACK/BLAS did not load (" + systemFailure + ")" : null;
            }
            case "bundled" -> {
                chosen = provided;
                forcedFailure = provided == null ? "the bundled OpenBLAS did not load (" + providedFailure + ")" : null;
            }
            case "java" -> chosen = PURE_JAVA;
            case "invalid" -> {
                chosen = PURE_JAVA;
                forcedFailure = reasonOf(choice);
            }
            default -> chosen = system != null ? system : provided != null ? provided : PURE_JAVA;
        }
        AUTOMATIC = chosen != null ? chosen : PURE_JAVA;
        FORCED_FAILURE = forcedFailure;
    }

    private Backends() {
    }

    /** The sentence that says why a library was not loaded under the given choice. */
    private static String reasonOf(String choice) {
        return switch (choice) {
            case "java" -> Boolean.getBoolean("aleph.pureJava") ? "-Daleph.pureJava=true" : "-D" + PROPERTY + "=java";
            case "invalid" -> "-D" + PROPERTY + "=" + System.getProperty(PROPERTY) + " is not auto, system, bundled or java";
            default -> "-D" + PROPERTY + "=" + choice;
        };
    }

    /** The first provider whose library loads; null (and the reasons in failure[0]) when none does. */
    private static LinearAlgebra loadProvided(String[] failure) {
        StringBuilder why = new StringBuilder();
        try {
            for (LinearAlgebraProvider p : ServiceLoader.load(LinearAlgebraProvider.class)) {
                try {
                    return p.load();
                } catch (Throwable e) { // another platform, disabled, failed check: try the next one
                    why.append(why.length() == 0 ? "" : "; ").append(p.name()).append(": ")
                            .append(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
                }
            }
        } catch (java.util.ServiceConfigurationError e) {
            why.append(why.length() == 0 ? "" : "; ").append(e.getMessage());
        }
        failure[0] = why.length() == 0 ? "no LinearAlgebraProvider on the module or class path (module kernel-blas)" : why.toString();
        return null;
    }

    /**
     * The choice the system properties make, in a class of its own so that reading it (as
     * {@link NativeGramProvider} does) does not load any library.
     */
    static final class Choice {

        private Choice() {
        }

        /** auto, system, bundled, java, or invalid (the property names none of them). */
        static String current() {
            if (Boolean.getBoolean("aleph.pureJava")) {
                return "java";
            }
            String v = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "", "auto" -> "auto";
                case "system", "native" -> "system";
                case "bundled", "openblas" -> "bundled";
                case "java", "ejml", "purejava" -> "java";
                default -> "invalid";
            };
        }
    }

    /** EJML, in a class of its own so that {@link LinearAlgebra#pureJava()} loads no native library. */
    static final class PureJava {

        static final LinearAlgebra INSTANCE = new EjmlLinearAlgebra();

        private PureJava() {
        }
    }
}
