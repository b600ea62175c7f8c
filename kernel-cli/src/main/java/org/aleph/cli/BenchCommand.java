package org.aleph.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.LinearAlgebra;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph bench}: a whole-process benchmark of the kernel recursion and the dense linear
 * algebra, run side by side with the NumPy baseline ({@code shared/peers/numpy_fc_kernel.py})
 * on the same machine at the same time, reporting ratios (absolute times on a shared machine
 * drift; ratios measured in one run do not). Each timing is the best of {@code --repeat}
 * runs after one warm-up.
 */
@Command(name = "bench",
        sortOptions = false,
        description = {
            "Times the NNGP + NTK of the benchmark networks and a Cholesky solve with 10 right-hand sides,",
            "next to the NumPy baseline run in the same session, and prints the ratios.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph bench --n 2000,4000",
            "  aleph bench --n 4000 --nets relu,erf,gelu,tanh --peer ../shared/peers/numpy_fc_kernel.py --json",
            "  aleph bench --n 1000 --nets relu,tanh --correlation 0.85 --no-peer   # inputs like real data",
            "  aleph bench --cnn nt21 --n 8        # CPU seconds per entry of neural-tangents' 21-layer pooling CNN",
            "  aleph bench --cnn fmnist --n 200    # the Flatten CNN of the Fashion-MNIST benchmark",
        })
public final class BenchCommand implements Callable<Integer> {

    /** The benchmark architectures of issue 7: three hidden layers, 784 inputs. */
    static final Map<String, String> NETS = new LinkedHashMap<>();

    static {
        for (String act : List.of("Relu", "Erf", "Gelu", "Tanh")) {
            NETS.put(act.toLowerCase(Locale.ROOT), String.format("Dense(1.5,0.05) %1$s Dense(1.5,0.05) %1$s Dense(1.5,0.05) %1$s Dense(1,0)", act));
        }
        NETS.put("expr", "Dense(1.5,0.05) Expr(\"Max(0,x)\") Dense(1.5,0.05) Expr(\"Max(0,x)\") Dense(1.5,0.05) Expr(\"Max(0,x)\") Dense(1,0)");
    }

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Option(names = "--n", split = ",", defaultValue = "2000", paramLabel = "N", description = "Numbers of samples (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--d", defaultValue = "784", paramLabel = "D", description = "Input dimension (default ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--nets", split = ",", defaultValue = "relu,erf,gelu,tanh", paramLabel = "NAME",
            description = "Benchmark networks among relu, erf, gelu, tanh, expr (default ${DEFAULT-VALUE}).")
    List<String> nets;

    @Option(names = "--correlation", defaultValue = "0", paramLabel = "R",
            description = "Correlation of the input rows, in [0, 1): rows are sqrt(R) c + sqrt(1 - R) g_i with c shared "
                    + "(0, the default: independent Gaussian rows; real data such as MNIST correlate 0.5-0.95).")
    double correlation;

    @Option(names = "--repeat", defaultValue = "2", paramLabel = "R", description = "Timed runs per measurement, best kept (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--peer", paramLabel = "SCRIPT",
            description = "The NumPy baseline script (default: ../shared/peers/numpy_fc_kernel.py next to the installation, if present).")
    Path peer;

    @Option(names = "--no-peer", description = "Do not run the NumPy baseline.")
    boolean noPeer;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    @Option(names = "--cnn", paramLabel = "NAME",
            description = "Instead: CPU seconds per kernel entry of a convolutional benchmark network, nt21 (neural-tangents' "
                    + "21-layer Relu CNN with global average pooling on 32x32x3) or fmnist (two convolutions and Flatten on "
                    + "28x28x1), on --n random images (default 8 for nt21).")
    String cnn;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (cnn != null) {
            int images = spec.commandLine().getParseResult().hasMatchedOption("--n") ? sizes.get(0) : 8;
            int workers = threads.workers();
            if (images < 2 || images > 100_000) {
                throw new UserErrorException("--cnn needs --n between 2 and 100000 images, got " + images);
            }
            ConvBenchmark.run(cnn, images, workers, aleph.registry(), json.on(), out, err);
            return 0;
        }
        for (String n : nets) {
            if (!NETS.containsKey(n)) {
                throw new UserErrorException("--nets: unknown benchmark network '" + n + "'; choose among " + String.join(", ", NETS.keySet()));
            }
        }
        if (repeat < 1 || d < 1 || sizes.stream().anyMatch(n -> n < 2)) {
            throw new UserErrorException("--repeat and --d must be at least 1 and every --n at least 2");
        }
        if (!(correlation >= 0 && correlation < 1)) {
            throw new UserErrorException("--correlation " + correlation + ": must be at least 0 and below 1");
        }
        int workers = threads.workers();
        for (int n : sizes) {
            if ((long) n * d > Integer.MAX_VALUE - 8 || (long) n * n > Integer.MAX_VALUE - 8) {
                throw new UserErrorException(String.format(Locale.ROOT, "--n %d with --d %d: the inputs (%d values) or a kernel "
                        + "(%d entries) exceed one Java array; use a smaller --n or --d", n, d, (long) n * d, (long) n * n));
            }
            // the kernels, the factorisation and its copy, the inputs: refused up front, like every command that builds kernels
            MemoryBudget.requireKernelJob(n, 0, d, workers, 16L * n * n, "--n");
        }
        Path peerScript = noPeer ? null : peerScript();
        LinearAlgebra la = LinearAlgebra.automatic();
        JsonWriter w = new JsonWriter().beginObject();
        w.name("gram_backend").value(KernelComputer.gramBackend());
        w.name("linear_algebra").value(la.name());
        w.name("threads").value(workers);
        w.name("d").value(d);
        w.name("correlation").value(correlation);
        w.name("results").beginArray();
        if (!json.on()) {
            out.printf(Locale.ROOT, "gram: %s; linear algebra: %s; %d threads; d = %d%s%n", KernelComputer.gramBackend(), la.name(), workers, d,
                    correlation > 0 ? String.format(Locale.ROOT, "; input rows correlated %.2f", correlation) : "");
        }
        for (int n : sizes) {
            Matrix x = randomInputs(n, d, correlation);
            Map<String, Double> times = new LinkedHashMap<>();
            KernelResult relu = null;
            for (String name : nets) {
                Network net = Network.parse(NETS.get(name), aleph.registry());
                KernelResult[] last = new KernelResult[1];
                times.put(name, best(() -> last[0] = new KernelComputer(net, workers).compute(x, null)));
                if (name.equals("relu")) {
                    relu = last[0];
                }
                err.printf(Locale.ROOT, "n=%d %s kernel %.3f s%n", n, name, times.get(name));
            }
            if (relu == null) {
                relu = new KernelComputer(Network.parse(NETS.get("relu"), aleph.registry()), workers).compute(x, null);
            }
            double[] ntk = relu.ntk().data();
            double solve = best(() -> solve(la, ntk, n));
            double eigen = best(() -> la.symmetricEigen(ntk.clone(), n));
            err.printf(Locale.ROOT, "n=%d solve %.3f s, eigen %.3f s%n", n, solve, eigen);
            double[] peerTimes = peerScript == null ? null : runPeer(peerScript, n, err);
            w.beginObject().name("n").value(n);
            w.name("kernel_seconds").beginObject();
            times.forEach((k, v) -> w.name(k).value(v));
            w.endObject();
            w.name("solve_seconds").value(solve);
            w.name("eigen_seconds").value(eigen);
            if (peerTimes != null) {
                w.name("numpy_kernel_seconds").value(peerTimes[0]);
                w.name("numpy_solve_seconds").value(peerTimes[1]);
                if (times.containsKey("relu")) {
                    w.name("speedup_relu_vs_numpy").value(peerTimes[0] / times.get("relu"));
                }
                w.name("solve_ratio_vs_numpy").value(solve / peerTimes[1]);
            }
            w.endObject();
            if (!json.on()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "n = %5d  kernels:", n));
                times.forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s %.3f s", k, v)));
                line.append(String.format(Locale.ROOT, "; Cholesky solve (10 rhs) %.3f s; eigen %.3f s", solve, eigen));
                out.println(line);
                if (peerTimes != null) {
                    out.printf(Locale.ROOT, "          NumPy: kernel %.3f s, solve %.3f s -> Relu kernel %.2fx faster than NumPy, solve %.2fx NumPy's time%n",
                            peerTimes[0], peerTimes[1], times.containsKey("relu") ? peerTimes[0] / times.get("relu") : Double.NaN,
                            solve / peerTimes[1]);
                }
                if (times.containsKey("relu")) {
                    StringBuilder rel = new StringBuilder("          relative to Relu:");
                    double r = times.get("relu");
                    times.forEach((k, v) -> rel.append(String.format(Locale.ROOT, " %s %.2fx", k, v / r)));
                    out.println(rel);
                }
            }
        }
        w.endArray();
        if (json.on()) {
            out.println(w.endObject());
        }
        out.flush();
        return 0;
    }

    /** Cholesky of NTK + 1e-4 mean(diag) I and a solve with 10 right-hand sides, as the peer does. */
    private static void solve(LinearAlgebra la, double[] kernel, int n) {
        double[] a = kernel.clone();
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += a[i * n + i];
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            a[i * n + i] += 1e-4 * mean;
        }
        if (la.choleskyInPlace(a, n) != 0) {
            throw new IllegalStateException("the benchmark kernel is not positive definite");
        }
        double[] b = new double[10 * n];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian();
        }
        la.choleskySolveRows(a, n, b, 10);
    }

    private double best(Runnable job) {
        job.run(); // warm-up
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeat; r++) {
            long t = System.nanoTime();
            job.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return best;
    }

    /**
     * n rows of dimension d, x_i = sqrt(r) c + sqrt(1 - r) g_i with c and the g_i independent
     * standard Gaussian vectors, so that rows correlate about r with each other (r = 0:
     * independent rows, whose correlations are of order 1 / sqrt(d)).
     */
    static Matrix randomInputs(int n, int d, double r) {
        SplittableRandom rnd = new SplittableRandom(20261128);
        double[] common = new double[d];
        for (int k = 0; k < d && r > 0; k++) {
            common[k] = Math.sqrt(r) * rnd.nextGaussian();
        }
        double own = Math.sqrt(1 - r);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = common[i % d] + own * rnd.nextGaussian();
        }
        return Matrix.wrap(n, d, x);
    }

    private Path peerScript() {
        if (peer != null) {
            if (!Files.isRegularFile(peer)) {
                throw new UserErrorException("--peer " + peer + ": no such file");
            }
            return peer;
        }
        String home = System.getProperty(Aleph.HOME_PROPERTY);
        Path guess = Path.of(home == null ? "." : home).resolve("../shared/peers/numpy_fc_kernel.py").normalize();
        return Files.isRegularFile(guess) ? guess : null;
    }

    private double[] runPeer(Path script, int n, PrintWriter err) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", script.toString(), "--n", Integer.toString(n), "--d", Integer.toString(d))
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            err.println("note: the NumPy baseline failed: " + text.strip());
            return null;
        }
        Matcher k = Pattern.compile("kernel_s=([0-9.eE+-]+)").matcher(text);
        Matcher s = Pattern.compile("solve_s=([0-9.eE+-]+)").matcher(text);
        if (!k.find() || !s.find()) {
            err.println("note: cannot read the NumPy baseline's output: " + text.strip());
            return null;
        }
        err.printf(Locale.ROOT, "n=%d NumPy: %s%n", n, text.strip());
        return new double[] {Double.parseDouble(k.group(1)), Double.parseDouble(s.group(1))};
    }
}
