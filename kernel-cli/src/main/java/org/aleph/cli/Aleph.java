package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.aleph.kernel.ActivationRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code aleph} command: global options, the list of subcommands, and the one place
 * where exceptions become exit codes ({@link ExitCodes}).
 *
 * <p>Adding a subcommand: write a class annotated {@code @Command(name = "...")} that
 * implements {@code Callable<Integer>}, reads the global state through a
 * {@code @ParentCommand Aleph aleph} field ({@link #registry()}, {@link #debug()}), prints
 * through {@code spec.commandLine().getOut()}, throws
 * {@link org.aleph.kernel.UserErrorException} for user mistakes, and add its name and class to
 * {@link #SUBCOMMANDS}. {@code --help}, {@code --version}, {@code --debug} and
 * {@code --plugin-path} are inherited.
 *
 * <p>The subcommands are added to the command line in code, not in the annotation, so that
 * {@link #main} can build only the one a run names: picocli reads every option of every
 * subcommand by reflection when it builds the tree, which is most of the start-up that is
 * not the JVM's (docs/performance.md, "Start-up").
 */
@Command(name = "aleph",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = Aleph.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Kernels (NNGP and NTK) of infinitely wide neural networks.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph kernel --net \"Dense(1.5,0.05) Relu Dense(1,0)\" --x1 examples/data/x.csv",
            "  aleph kernel --net \"Dense Erf Dense\" --x1 a.npy --x2 b.csv --nngp K.npy",
            "  aleph activations",
            "  aleph --plugin-path my-activation.jar activations",
            "",
            "Exit status: 0 success, 2 a mistake in the input (message names the place), 1 an internal error.",
            "Environment: ALEPH_PLUGIN_PATH (like --plugin-path), ALEPH_DEBUG=1 (stack traces), ALEPH_JAVA_OPTS (JVM options, ./aleph only),"
                    + " ALEPH_SERVER (./aleph only: by default kernel, predict and classify leave a JVM that serves the next runs"
                    + " and stops after 10 idle minutes; 0 never, 1 also for the first run; see aleph server).",
        })
public final class Aleph implements Callable<Integer> {

    /** System property naming the folder of the installation; {@code <home>/plugins} is searched for plug-ins. */
    public static final String HOME_PROPERTY = "aleph.home";

    /** System property naming the folder from which modules kept off the boot layer are loaded on demand. */
    static final String ON_DEMAND_PROPERTY = "aleph.onDemandPath";

    /** Commands that compute kernels of inputs they read first: the Gram backend is loaded beside the reading. */
    private static final java.util.Set<String> COMPUTING = java.util.Set.of("kernel", "predict", "classify", "verify", "bench", "fit");

    @Spec
    CommandSpec spec;

    @Option(names = "--plugin-path", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "Jar files or folders of jars, separated by '${sys:path.separator}', holding extra activations "
                    + "(also read from ALEPH_PLUGIN_PATH and the plugins/ folder next to the aleph script).")
    String pluginPath;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors (also ALEPH_DEBUG=1).")
    boolean debugOption;

    private final Map<String, String> environment;
    private ActivationRegistry registry;
    private boolean onDemandWanted = true;

    /** The command as started from a shell, reading the process environment. */
    public Aleph() {
        this(System.getenv());
    }

    /** The command with a given environment (tests pass their own ALEPH_PLUGIN_PATH, ALEPH_DEBUG). */
    public Aleph(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    /**
     * Runs one command line with the given environment and returns its exit status; what
     * {@link #main} does short of exiting, and what {@link AlephServer} does per request.
     */
    static int run(String[] args, Map<String, String> environment) {
        int status;
        if (args.length > 0 && COMPUTING.contains(args[0])
                && java.util.Arrays.stream(args).noneMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"))) {
            prefetchGramBackend(args[0]); // before picocli builds and parses: the loading overlaps that too
        }
        try {
            status = commandLine(new Aleph(environment), args).execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) { // picocli lets errors through: one sentence, not a trace
            System.err.println("aleph: internal error: " + (e instanceof OutOfMemoryError
                    ? "out of memory (" + ExitCodes.clean(e.getMessage()) + "); give Java more with ALEPH_JAVA_OPTS=-Xmx... or use less data"
                    : "the call stack overflowed; run with ALEPH_JAVA_OPTS=-Xss16m, or simplify the input"));
            status = ExitCodes.INTERNAL_ERROR;
        }
        return status;
    }

    /** The environment this command reads (the process's, or a server request's). */
    Map<String, String> environment() {
        return environment;
    }

    /**
     * The subcommands by name, in the order of the usage help. The names are those of their
     * {@code @Command} annotations (AlephSubcommandsTest checks), so that {@link #main} can
     * pick one without reading any annotation.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
            "kernel", KernelCommand.class,
            "predict", PredictCommand.class,
            "verify", VerifyCommand.class,
            "classify", ClassifyCommand.class,
            "demo", DemoCommand.class,
            "bench", BenchCommand.class,
            "activations", ActivationsCommand.class,
            "phase", PhaseCommand.class,
            "dual", DualCommand.class,
            "derive", DeriveCommand.class,
            "fit", FitCommand.class,
            "sweep", SweepCommand.class,
            "server", ServerCommand.class,
            "help", CommandLine.HelpCommand.class);

    private static Map<String, Class<?>> subcommands(Object... nameClassPairs) {
        Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameClassPairs.length; i += 2) {
            m.put((String) nameClassPairs[i], (Class<?>) nameClassPairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The picocli command line of {@code aleph}, every subcommand included, with Aleph's exit-code mapping installed. */
    public static CommandLine commandLine(Aleph aleph) {
        return commandLine(aleph, SUBCOMMANDS.values());
    }

    /**
     * The command line for one run: when the first argument names a subcommand (other than
     * {@code help}), only that subcommand is built, since the run cannot reach another one;
     * otherwise (global options first, {@code help}, no or an unknown subcommand) all are,
     * so that usage texts and "did you mean" suggestions list every one. The parse of
     * {@code args} is the same either way.
     */
    static CommandLine commandLine(Aleph aleph, String[] args) {
        Class<?> only = args.length == 0 || args[0].equals("help") ? null : SUBCOMMANDS.get(args[0]);
        return only == null ? commandLine(aleph) : commandLine(aleph, List.of(only));
    }

    private static CommandLine commandLine(Aleph aleph, java.util.Collection<Class<?>> subcommands) {
        ExitCodes codes = new ExitCodes();
        CommandLine cl = new CommandLine(aleph);
        for (Class<?> c : subcommands) {
            cl.addSubcommand(c);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            helpOptionsLast(sub.getCommandSpec());
        }
        return cl
                .registerConverter(Double.class, Aleph::finiteNumber)
                .registerConverter(Double.TYPE, Aleph::finiteNumber)
                .setExecutionExceptionHandler(codes)
                .setParameterExceptionHandler(codes)
                .setExecutionStrategy(Aleph::checkThenRun);
    }

    /**
     * Moves {@code --help} and {@code --version} after the inherited {@code --plugin-path} and
     * {@code --debug}, where picocli puts them when the subcommands are listed in the
     * annotation: added in code, a subcommand gets the standard help options before the
     * inherited ones, and its usage help (unsorted options) would list them in another order.
     */
    private static void helpOptionsLast(CommandSpec spec) {
        CommandSpec standard = spec.mixins().get("mixinStandardHelpOptions");
        if (standard == null) {
            return; // e.g. the help command, whose own --help stays where it is
        }
        List<picocli.CommandLine.Model.OptionSpec> help = spec.options().stream()
                .filter(o -> (o.usageHelp() || o.versionHelp()) && standard.findOption(o.longestName()) != null).toList();
        for (picocli.CommandLine.Model.OptionSpec o : help) {
            spec.remove(o);
        }
        for (picocli.CommandLine.Model.OptionSpec o : help) {
            spec.addOption(o);
        }
    }

    /**
     * Checks what every command shares before it runs: {@code --threads} of whichever
     * subcommand has it (one rule, {@link ThreadsOption}, for commands old and new), then runs
     * the last subcommand as picocli does.
     */
    private static int checkThenRun(ParseResult parseResult) {
        ParseResult last = parseResult;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        if (parseResult.commandSpec().userObject() instanceof Aleph aleph) {
            aleph.onDemandWanted = wantsOnDemandModules(last.commandSpec().name(), parseResult.expandedArgs());
        }
        if (COMPUTING.contains(last.commandSpec().name()) && !last.isUsageHelpRequested() && !last.isVersionHelpRequested()) {
            prefetchGramBackend(last.commandSpec().name());
        }
        if (last.hasMatchedOption("--threads")) {
            Object value = last.matchedOptionValue("--threads", null);
            if (value instanceof Integer threads) {
                try {
                    ThreadsOption.workers(threads, "--threads");
                } catch (org.aleph.kernel.UserErrorException e) {
                    throw new CommandLine.ParameterException(last.commandSpec().commandLine(), e.getMessage());
                }
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    private static final java.util.concurrent.atomic.AtomicBoolean PREFETCHED = new java.util.concurrent.atomic.AtomicBoolean();

    /** The computing commands that also solve with kernel-dynamics' dense linear algebra (Cholesky, eigen). */
    private static final java.util.Set<String> SOLVING = java.util.Set.of("predict", "classify", "fit", "bench");

    /**
     * Loads the native BLAS (0.1-0.5 s) on the other core while this one parses the options
     * and reads the inputs; once per process ({@link #main} starts it as early as the first
     * argument names a computing command, {@link #checkThenRun} for runs built otherwise).
     * For a command that solves, the same thread then loads the native LAPACK behind
     * {@code LinearAlgebra.automatic()} (the bundled OpenBLAS's LAPACK wrapper alone took
     * 0.2-0.5 s at the first solve, docs/performance.md "predict and classify"), so that the
     * solve finds it loaded. A backend that fails to load is left for the command to report.
     */
    private static void prefetchGramBackend(String command) {
        if (PREFETCHED.compareAndSet(false, true)) {
            boolean solves = SOLVING.contains(command);
            Thread t = new Thread(() -> {
                org.aleph.kernel.KernelComputer.gramBackend();
                if (solves) {
                    try {
                        org.aleph.kernel.dynamics.LinearAlgebra.automatic();
                    } catch (RuntimeException | LinkageError e) {
                        // the command's own call reports a forced backend that cannot load
                    }
                }
            }, "aleph-gram-provider");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Every option that takes a number (a Java double) takes a finite one: {@code NaN},
     * {@code Infinity} and overflowing values are refused by picocli as a parameter error
     * (exit 2, naming the option), never passed on to become a silent default or a NaN result.
     * Options where {@code inf} means something (e.g. {@code --time}) are read as text.
     */
    static double finiteNumber(String text) {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a finite number");
        }
        return v;
    }

    /**
     * Whether a command needs the modules that the {@code aleph} script keeps off the boot
     * layer ({@link BootModules#ON_DEMAND}: kernel-cas, whose {@code Expr} activation needs
     * Symja): {@code derive}, and any command with an argument that mentions {@code expr} in
     * any letter case (a spec or an {@code --act} with an {@code Expr(...)},
     * {@code bench --nets expr}). Anything else starts without Symja's jars
     * (docs/performance.md, "Start-up"); {@code activations} lists Expr from
     * {@link #unloadedActivations()}.
     */
    static boolean wantsOnDemandModules(String command, List<String> args) {
        if (command.equals("derive")) {
            return true;
        }
        for (String a : args) {
            if (a.toLowerCase(java.util.Locale.ROOT).contains("expr")) {
                return true;
            }
        }
        return false;
    }

    /** Without a subcommand: the usage on standard error and status 2. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        spec.commandLine().usage(err);
        return ExitCodes.USER_ERROR;
    }

    /** True when stack traces were asked for with {@code --debug} or {@code ALEPH_DEBUG=1}. */
    public boolean debug() {
        String env = environment.get("ALEPH_DEBUG");
        return debugOption || (env != null && !env.isEmpty() && !env.equals("0"));
    }

    /**
     * The activations available to this run: those on the module path (or class path) plus
     * those of the plug-in path, built once.
     *
     * @throws org.aleph.kernel.UserErrorException when a plug-in path entry is missing or
     *                                             its modules do not resolve
     */
    public ActivationRegistry registry() {
        if (registry == null) {
            List<PluginPath.Entry> entries = PluginPath.entries(pluginPath, environment.get("ALEPH_PLUGIN_PATH"), homePlugins());
            registry = PluginPath.registry(entries, onDemandWanted ? onDemandFolder() : null, spec.commandLine().getErr())
                    .withUnknownNameAdvice("an activation from a plug-in jar needs --plugin-path JAR (or ALEPH_PLUGIN_PATH)");
        }
        return registry;
    }

    /**
     * Listing entries of the activations of the on-demand modules that this run did not load
     * ({@link OnDemandListing}): empty when they were loaded into {@link #registry()} or are
     * not there.
     */
    public List<ActivationRegistry.Entry> unloadedActivations() {
        return onDemandWanted ? List.of() : OnDemandListing.entries(onDemandFolder());
    }

    /**
     * The folder holding the modules kept off the boot layer, named by the script with
     * {@code -Daleph.onDemandPath} (its lib folder); null when not given, e.g. when the whole
     * lib folder is the module path or the class path.
     */
    private static Path onDemandFolder() {
        String folder = System.getProperty(ON_DEMAND_PROPERTY);
        return folder == null || folder.isEmpty() || !Files.isDirectory(Path.of(folder)) ? null : Path.of(folder);
    }

    private static Path homePlugins() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isEmpty()) {
            return null;
        }
        Path dir = Path.of(home, "plugins");
        return Files.isDirectory(dir) ? dir : null;
    }

    /** The version of the kernel-cli module (or "development" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Aleph.class.getModule().getDescriptor() == null ? null
                    : Aleph.class.getModule().getDescriptor().rawVersion().orElse(null);
            if (v == null) {
                v = Aleph.class.getPackage().getImplementationVersion();
            }
            return new String[] {"aleph " + (v == null ? "0.1.0-SNAPSHOT" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
