package org.aleph.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;

/**
 * {@code aleph bench --cnn NAME}: CPU seconds per kernel entry (NNGP and NTK together) of a
 * convolutional benchmark network on random images, measured as a user runs it (the whole
 * computation of X against itself, every image's own run included), with what an entry costs
 * (floating-point operations of the window sums, activation evaluations) and the GFLOP/s this
 * achieves next to the machine's own rate for a vectorised add loop measured in the same run.
 *
 * <p>{@code nt21} is the network neural-tangents' README times (21 convolutions 3 x 3 SAME with
 * Relu, global average pooling, Dense; 32 x 32 x 3 inputs; 258.55 ms per entry on a CPU with
 * more than 56 cores in float64, i.e. about 14 core-seconds per entry); {@code fmnist} is the
 * Flatten network of the classification benchmark (two 3 x 3 convolutions on 28 x 28 x 1).
 */
final class ConvBenchmark {

    /** Benchmark networks and their image shapes. */
    static final Map<String, String> NETS = new LinkedHashMap<>();
    static final Map<String, ImageShape> SHAPES = new LinkedHashMap<>();

    static {
        NETS.put("nt21", "Conv(1.4, 0.1, filter=3, padding=SAME) Relu ".repeat(21) + "GlobalAvgPool Dense(1, 0)");
        SHAPES.put("nt21", new ImageShape(32, 32, 3));
        NETS.put("fmnist", "Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu "
                + "Flatten Dense(1,0)");
        SHAPES.put("fmnist", new ImageShape(28, 28, 1));
    }

    private ConvBenchmark() {
    }

    static void run(String name, int n, int threads, ActivationRegistry registry, boolean json, PrintWriter out, PrintWriter err) {
        if (!NETS.containsKey(name)) {
            throw new UserErrorException("--cnn: unknown benchmark network '" + name + "'; choose among " + String.join(", ", NETS.keySet()));
        }
        Network net = Network.parse(NETS.get(name), registry);
        ImageShape shape = SHAPES.get(name);
        KernelComputer.EntryCost cost = KernelComputer.entryCost(net, shape);
        Matrix x = images(n, shape);
        long entries = (long) n * (n + 1) / 2;
        err.printf(Locale.ROOT, "%s: %d images %s, %d entries, %d thread(s)%n", name, n, shape, entries, threads);
        // warm-up on two images, so the JIT has compiled the hot loops before the timed run
        new KernelComputer(net, threads).compute(Matrix.wrap(2, shape.features(), java.util.Arrays.copyOf(x.data(), 2 * shape.features())), null, shape);
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        new KernelComputer(net, threads).compute(x, null, shape);
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        double perEntry = cpu / entries;
        double gflops = cost.linearFlops() * (double) entries / cpu / 1e9;
        double addRate = machineAddRate();
        JsonWriter w = new JsonWriter().beginObject();
        w.name("network").value(name).name("spec").value(net.spec()).name("image_shape").value(shape.toString());
        w.name("images").value(n).name("entries").value(entries).name("threads").value(threads);
        w.name("wall_seconds").value(wall).name("cpu_seconds").value(cpu);
        w.name("cpu_seconds_per_entry").value(perEntry);
        w.name("full_covariance").value(cost.fullCovariance());
        w.name("linear_flops_per_entry").value(cost.linearFlops());
        w.name("activation_evaluations_per_entry").value(cost.activationEvaluations());
        w.name("window_gflops_per_core").value(gflops);
        w.name("machine_add_gflops_per_core").value(addRate);
        w.name("ns_per_activation_evaluation_upper_bound").value(cpu / entries / cost.activationEvaluations() * 1e9);
        if (name.equals("nt21")) {
            w.name("neural_tangents_readme_core_seconds_per_entry").value(0.25855 * 56);
            w.name("ratio_vs_neural_tangents_readme").value(0.25855 * 56 / perEntry);
        }
        w.endObject();
        if (json) {
            out.println(w);
        } else {
            out.printf(Locale.ROOT, "%s on %s: %.3g CPU s per entry (%.1f s wall, %.1f s CPU for %d entries, %d threads)%n",
                    name, shape, perEntry, wall, cpu, entries, threads);
            out.printf(Locale.ROOT, "  per entry: %.3g window flops, %.3g activation evaluations; %s covariance%n",
                    (double) cost.linearFlops(), (double) cost.activationEvaluations(), cost.fullCovariance() ? "full" : "diagonal");
            out.printf(Locale.ROOT, "  window sums at %.2f GFLOP/s per core if they took all the time; a vectorised add loop here: %.2f GFLOP/s%n",
                    gflops, addRate);
            if (name.equals("nt21")) {
                out.printf(Locale.ROOT, "  neural-tangents README: 258.55 ms per entry on > 56 cores = %.1f core-seconds; Aleph uses %.0fx less CPU%n",
                        0.25855 * 56, 0.25855 * 56 / perEntry);
            }
        }
        out.flush();
    }

    /** Images with the pixel statistics of natural images: a smooth random field plus noise, per channel. */
    static Matrix images(int n, ImageShape s) {
        SplittableRandom rnd = new SplittableRandom(20261205);
        double[] x = new double[n * s.features()];
        for (int i = 0; i < n; i++) {
            double fh = rnd.nextDouble() * 0.5;
            double fw = rnd.nextDouble() * 0.5;
            for (int h = 0; h < s.height(); h++) {
                for (int w = 0; w < s.width(); w++) {
                    for (int c = 0; c < s.channels(); c++) {
                        x[i * s.features() + (h * s.width() + w) * s.channels() + c] = Math.sin(fh * h + fw * w + c) + 0.5 * rnd.nextGaussian();
                    }
                }
            }
        }
        return Matrix.wrap(n, s.features(), x);
    }

    /** CPU time of the whole process (every thread, JIT and GC included). */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("the operating system does not report this process's CPU time"));
    }

    /** GFLOP/s of one core adding two arrays of 1M doubles into a third (the shape of a window sum), best of 20. */
    private static double machineAddRate() {
        int m = 1 << 20;
        double[] a = new double[m];
        double[] b = new double[m];
        double[] c = new double[m];
        java.util.Arrays.fill(a, 1.0);
        java.util.Arrays.fill(b, 2.0);
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < 20; r++) {
            long t = System.nanoTime();
            for (int e = 0; e < m; e++) {
                c[e] += a[e] * b[e];
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return 2.0 * m / best / 1e9 + 0 * c[m / 2];
    }
}
