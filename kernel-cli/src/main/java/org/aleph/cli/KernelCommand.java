package org.aleph.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.aleph.kernel.io.Inputs;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.io.OutputGroup;
import org.aleph.cli.io.ShapeOption;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph kernel}: the NNGP and NTK of a network for X1 against X2 (or X1 against
 * itself), computed by {@link KernelComputer}, written to CSV or {@code .npy} files and
 * summarised on standard output (or as one JSON object with {@code --json}).
 *
 * <p>Order of work: every option, the spec and the inputs are checked before the kernels are
 * computed, and every output is written atomically after, so a mistake never leaves a
 * half-written file.
 */
@Command(name = "kernel",
        sortOptions = false,
        description = {
            "Computes the NNGP and NTK kernels of an infinitely wide network, fully connected or convolutional.",
            "Inputs hold one sample per row (CSV: numbers separated by commas, '#' comment lines; or NumPy .npy).",
            "Images (NHWC): a .npy of shape (n, H, W, C) or (n, H, W) (C = 1), or a 2-D file with --shape H,W,C.",
            "Without --x2 the kernels are of X1 against itself (exactly symmetric).",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph kernel --net \"Dense(1.5,0.05) Relu Dense(1,0)\" --x1 examples/data/x.csv",
            "  aleph kernel --net \"Dense(2,0.1) Erf Dense(1,0)\" --x1 train.npy --x2 test.npy --nngp K.npy --ntk T.npy",
            "  aleph kernel --net \"Dense Relu Dense\" --x1 x.csv --json --print",
            "  aleph kernel --net \"Conv(1.5,0.05) Relu Conv(1.5,0.05) Relu Flatten Dense(1,0)\" --x1 images.npy --nngp K.npy",
            "  aleph kernel --net \"Conv(1.5,0.05,filter=3) Relu GlobalAvgPool Dense(1,0)\" --x1 x.csv --shape 8,8,3 --print",
            "",
            "The spec syntax: layers separated by spaces, e.g. Dense(W_std, b_std), Relu, LeakyRelu(alpha=0.1),",
            "Residual(Relu Dense(1,0)), LayerNorm, Conv(W_std, b_std, filter=3, stride=1, padding=SAME),",
            "AvgPool(window=2), GlobalAvgPool, Flatten, Dropout(rate), LayerNorm(eps=0);",
            "Dense(W_std, b_std, parameterization=standard, width=N) (also on Conv; docs/parameterization.md);",
            "`aleph activations` lists every activation.",
        })
public final class KernelCommand implements Callable<Integer> {

    /** Matrices up to this many rows and columns are included in --json output without --print. */
    static final int JSON_MATRIX_LIMIT = 100;
    /** Matrices up to this many rows and columns are shown (rounded) in the text summary. */
    static final int TEXT_MATRIX_LIMIT = 10;

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Mixin
    NetOption net;

    @Option(names = "--x1", required = true, paramLabel = "FILE", description = "Inputs X1 (n1 x d), .csv or .npy.")
    Path x1;

    @Option(names = "--x2", paramLabel = "FILE", description = "Inputs X2 (n2 x d); default: X1.")
    Path x2;

    @Option(names = "--shape", paramLabel = "H,W,C",
            description = "Read the rows of 2-D inputs (CSV, 2-D .npy) as images of H x W pixels and C channels (H,W: C = 1).")
    String shape;

    @Option(names = "--nngp", paramLabel = "OUT", description = "Write the NNGP kernel (n1 x n2) here, .csv or .npy.")
    Path nngpOut;

    @Option(names = "--ntk", paramLabel = "OUT", description = "Write the NTK (n1 x n2) here, .csv or .npy.")
    Path ntkOut;

    @Option(names = "--var1", paramLabel = "OUT", description = "Write the output variances K(x,x) of X1 (n1 values) here.")
    Path var1Out;

    @Option(names = "--var2", paramLabel = "OUT", description = "Write the output variances K(x',x') of X2 (n2 values) here.")
    Path var2Out;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    @Option(names = "--print", description = "Include the matrices in the output whatever their size.")
    boolean print;

    @Override
    public Integer call() {
        long started = System.nanoTime();
        int workers = threads.workers();
        Map<String, Path> outputs = outputs();
        ActivationRegistry registry = aleph.registry();
        Network network = net.network(registry);
        ImageShape given = ShapeOption.parse(shape, "--shape");

        long t0 = System.nanoTime();
        Inputs in1 = MatrixFiles.readInputs(x1, "--x1", given, "--shape");
        Inputs in2 = x2 == null ? null : MatrixFiles.readInputs(x2, "--x2", given, "--shape");
        ImageShape images = ImageInputs.common(network, in1, in2);
        Matrix a = in1.x();
        Matrix b = in2 == null ? null : in2.x();
        if (b != null && b.cols() != a.cols()) {
            throw new UserErrorException("--x2 " + x2 + " has " + b.cols() + " column" + (b.cols() == 1 ? "" : "s") + " but --x1 " + x1
                    + " has " + a.cols() + "; both need one column per input feature");
        }
        long t1 = System.nanoTime();
        long[] firstTile = {0};
        KernelResult result = compute(network, workers, a, b, images, firstTile);
        long t2 = System.nanoTime();
        write(outputs, result);
        long t3 = System.nanoTime();

        KernelReport report = new KernelReport(network, UsedActivations.of(network, registry), in1, in2, images, result, workers,
                seconds(t0, t1), seconds(t1, t2), seconds(t2, t3), outputs);
        if (json.on()) {
            spec.commandLine().getOut().println(report.json(print || fits(result, JSON_MATRIX_LIMIT)));
        } else {
            report.text(spec.commandLine().getOut(), print || (outputs.isEmpty() && fits(result, TEXT_MATRIX_LIMIT)), print);
        }
        spec.commandLine().getOut().flush();
        timing(environment().get("ALEPH_TIMING"), started, t0, t1, firstTile[0], t2, t3);
        return 0;
    }

    /**
     * With ALEPH_TIMING=1, one line on standard error saying where the process's time went:
     * from the process start to this command (JVM start-up, class loading, option parsing),
     * the spec and the checks, reading, the kernels (split at the first finished tile: before
     * it the input Gram, including the wait for the native BLAS to load, after it the layer
     * recursion), writing (docs/performance.md, "How to measure whole-process time").
     */
    private static void timing(String flag, long started, long t0, long t1, long firstTile, long t2, long t3) {
        if (flag == null || flag.isEmpty() || flag.equals("0")) {
            return;
        }
        double startup = ProcessStart.secondsSince() - seconds(started, System.nanoTime());
        long split = firstTile == 0 ? t2 : firstTile;
        System.err.printf(java.util.Locale.ROOT, "aleph: timing: start-up %.3f s, spec %.3f s, reading %.3f s, kernels %.3f s"
                        + " (gram %.3f s, recursion %.3f s), writing %.3f s (%s)%n",
                startup, seconds(started, t0), seconds(t0, t1), seconds(t1, t2), seconds(t1, split), seconds(split, t2),
                seconds(t2, t3), KernelComputer.gramBackend());
    }

    /** The environment of the run (the process's, or a server request's). */
    private Map<String, String> environment() {
        Object root = spec.root().userObject();
        return root instanceof Aleph aleph ? aleph.environment() : System.getenv();
    }

    private KernelResult compute(Network network, int workers, Matrix a, Matrix b, ImageShape images, long[] firstTile) {
        long n1 = a.rows();
        long n2 = b == null ? a.rows() : b.rows();
        long entries = n1 * n2;
        if (entries > Integer.MAX_VALUE - 8) {
            throw new UserErrorException("the kernels would have " + entries + " entries, more than one Java array holds;"
                    + " compute them in blocks of rows with --x1/--x2");
        }
        long need = ImageInputs.memoryEstimate(network, images, n1, n2, workers);
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > free) {
            throw new UserErrorException(String.format(java.util.Locale.ROOT,
                    "the %d x %d kernels need %.1f GB on %d thread%s but Java may use only %.1f GB more; raise the limit with"
                            + " ALEPH_JAVA_OPTS=-Xmx%dg or split --x1 into blocks of rows", n1, n2, need / 1e9, workers,
                    workers == 1 ? "" : "s", free / 1e9,
                    (long) Math.ceil((rt.maxMemory() - free + need) * 1.2 / (1L << 30))));
        }
        KernelComputer.Progress reporter = ProgressReporter.forStage(spec.commandLine().getErr(), "kernels");
        KernelComputer.Progress progress = (done, total) -> {
            if (done == 1) {
                firstTile[0] = System.nanoTime();
            }
            reporter.update(done, total);
        };
        try {
            return ImageInputs.compute(new KernelComputer(network, workers, progress), a, b, images);
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("out of memory for two " + entries + "-entry matrices ("
                    + (entries * 16 >> 20) + " MB); give Java more with ALEPH_JAVA_OPTS=-Xmx...", e);
        }
    }

    /** The requested outputs by kind, checked before any work is done. */
    private Map<String, Path> outputs() {
        Map<String, Path> out = new LinkedHashMap<>();
        put(out, "nngp", nngpOut);
        put(out, "ntk", ntkOut);
        put(out, "var1", var1Out);
        if (var2Out != null && x2 == null) {
            throw new UserErrorException("--var2 needs --x2; without it the variances of X1 are --var1");
        }
        put(out, "var2", var2Out);
        List<OutputGroup.Target> targets = new ArrayList<>();
        out.forEach((kind, path) -> targets.add(new OutputGroup.Target("--" + kind, path)));
        OutputGroup.requireDistinct(targets, List.of(new OutputGroup.Target("--x1", x1),
                new OutputGroup.Target("--x2", x2)));
        return out;
    }

    private static void put(Map<String, Path> out, String kind, Path path) {
        if (path != null) {
            MatrixFiles.checkWritable(path, "--" + kind);
            out.put(kind, path);
        }
    }

    /**
     * Every output staged, then all committed together: all new or all old. When both n1 x n2
     * matrices are asked for and large, the NNGP is written on a second thread while this one
     * writes the rest: the copy into the file cache is the cost, and it takes both cores.
     */
    private static void write(Map<String, Path> outputs, KernelResult r) {
        try (OutputGroup group = new OutputGroup()) {
            List<Runnable> stages = new ArrayList<>();
            for (Map.Entry<String, Path> e : outputs.entrySet()) {
                String option = "--" + e.getKey();
                Path path = e.getValue();
                stages.add(switch (e.getKey()) {
                    case "nngp" -> () -> MatrixFiles.stage(group, path, r.nngp(), option);
                    case "ntk" -> () -> MatrixFiles.stage(group, path, r.ntk(), option);
                    case "var1" -> () -> MatrixFiles.stageVector(group, path, r.var1(), option);
                    default -> () -> MatrixFiles.stageVector(group, path, r.var2(), option);
                });
            }
            boolean parallel = outputs.containsKey("nngp") && outputs.containsKey("ntk")
                    && (long) r.nngp().rows() * r.nngp().cols() >= PARALLEL_WRITE_ENTRIES;
            if (parallel) {
                runBeside(stages.get(0), stages.subList(1, stages.size()));
            } else {
                stages.forEach(Runnable::run);
            }
            group.commit();
        }
    }

    /** Matrices of at least this many entries (8 MB each) are written two at a time. */
    static final long PARALLEL_WRITE_ENTRIES = 1L << 20;

    /** Runs {@code first} on a new thread and {@code rest} on this one; a failure of {@code first} is thrown before one of {@code rest}. */
    private static void runBeside(Runnable first, List<Runnable> rest) {
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                first.run();
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
        }, "aleph-writer");
        t.setDaemon(true);
        t.start();
        RuntimeException mine = null;
        try {
            rest.forEach(Runnable::run);
        } catch (RuntimeException e) {
            mine = e;
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the outputs", e);
        }
        Throwable earlier = failure.get(); // the first output's failure wins, as when written one after the other
        if (earlier instanceof RuntimeException re) {
            throw re;
        }
        if (earlier instanceof Error err) {
            throw err;
        }
        if (mine != null) {
            throw mine;
        }
    }

    private static boolean fits(KernelResult r, int limit) {
        return r.nngp().rows() <= limit && r.nngp().cols() <= limit;
    }

    private static double seconds(long from, long to) {
        return (to - from) * 1e-9;
    }
}
