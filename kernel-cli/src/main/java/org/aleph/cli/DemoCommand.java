package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aleph.cli.demo.DemoSummary;
import org.aleph.cli.figures.RegressionFigure;
import org.aleph.cli.figures.WidthFigure;
import org.aleph.cli.demo.RegressionStudy;
import org.aleph.cli.demo.SampleStatistics;
import org.aleph.cli.demo.ToyData;
import org.aleph.cli.demo.WidthStudy;
import org.aleph.kernel.io.OutputGroup;
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
 * {@code aleph demo}: the two pictures of the theory, drawn with the built-in activations
 * only, so that it runs on a fresh clone.
 * <ol>
 *   <li>Finite versus infinite width ({@link WidthStudy}): random networks of widths 4 and 500
 *       against samples of their NNGP Gaussian process, as functions and as the distribution
 *       of the output at two inputs, with normality statistics.</li>
 *   <li>NNGP versus NTK ({@link RegressionStudy}): a toy 1-D regression, the NNGP posterior
 *       and the infinite NTK ensemble during and after gradient-descent training.</li>
 * </ol>
 * Writes {@code width.png/.svg}, {@code regression.png/.svg} and {@code summary.txt}.
 * Everything is drawn from {@code --seed}; the number of threads does not change the result.
 */
@Command(name = "demo",
        sortOptions = false,
        description = {
            "Draws what the theory says, with nothing but this repository:",
            " 1. width.png: random networks of width 4 and 500 against the Gaussian",
            "    process of their NNGP kernel (infinite width): sampled functions, and",
            "    histograms of the output at two inputs against N(0, K(x,x)) with the",
            "    Kolmogorov-Smirnov distance and the excess kurtosis;",
            " 2. regression.png: a toy 1-D regression (10 noisy points of sin x), the NNGP",
            "    posterior and the infinite NTK ensemble trained by gradient descent, at",
            "    t = 1, 10, 100 and infinity, with 95%% bands and train/test errors.",
            "The numbers behind them go to summary.txt and to standard output.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph demo                          # writes demo-out/",
            "  aleph demo --out figures --seed 7",
            "  aleph demo --networks 500 --json    # a quicker, noisier run; one JSON object",
            "",
            "Files: width.png/.svg, regression.png/.svg, summary.txt (in --out).",
        })
public final class DemoCommand implements Callable<Integer> {

    /** The network of the width study: Gabor after the first layer, Relu after the second. */
    static final String WIDTH_NET = "Dense(2, 0.5) Gabor Dense(2, 0.5) Relu Dense(1, 0)";
    /** The network of the regression. */
    static final String REGRESSION_NET = WIDTH_NET;
    static final int[] WIDTHS = {4, 500};
    static final double X_MIN = -3;
    static final double X_MAX = 3;
    static final int GRID = 161;
    static final double[] PROBES = {-0.5, 1.0};
    static final int FUNCTIONS = 8;
    static final int TRAIN = 10;
    static final int TEST = 100;
    static final double NOISE = 0.1;
    static final double LEARNING_RATE = 1;
    static final double[] TIMES = {1, 10, 100};
    static final double DIAG_REG = 1e-4;

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOption output;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of every random draw: networks, GP samples, data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--networks", paramLabel = "N", defaultValue = "2000",
            description = "Random networks per width (and GP samples) for the histograms (default: ${DEFAULT-VALUE}).")
    int networks;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true"); // before any chart class touches AWT
        long wall0 = System.nanoTime();
        double cpu0 = cpuSeconds();
        if (networks < 20 || networks > 1_000_000) {
            throw new UserErrorException("--networks must lie in 20..1000000, got " + networks);
        }
        int workers = threads.workers();
        Path out = output.folder("demo-out");
        PrintWriter err = spec.commandLine().getErr();
        LinearAlgebra la = LinearAlgebra.automatic();

        double[] grid = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            grid[i] = X_MIN + (X_MAX - X_MIN) * i / (GRID - 1);
        }
        Network widthNet = Network.parse(WIDTH_NET, aleph.registry());
        err.printf(Locale.ROOT, "aleph demo: %d networks at each of the widths 4 and 500 and as many NNGP samples, %d thread%s%n",
                networks, workers, workers == 1 ? "" : "s");
        err.flush();
        WidthStudy.Result width = WidthStudy.run(new WidthStudy.Settings(widthNet, WIDTHS, grid, PROBES, FUNCTIONS, networks, seed, workers),
                la, ProgressReporter.forStage(err, "random networks"));

        ToyData data = ToyData.noisySine(TRAIN, TEST, X_MIN, X_MAX, NOISE, seed);
        double[] curve = new double[57];
        for (int i = 0; i < curve.length; i++) {
            curve[i] = Math.pow(10, -1 + 7.0 * i / (curve.length - 1));
        }
        err.println("aleph demo: NNGP posterior and NTK ensemble on " + TRAIN + " training points");
        err.flush();
        RegressionStudy.Result regression = RegressionStudy.run(new RegressionStudy.Settings(
                Network.parse(REGRESSION_NET, aleph.registry()), data, LEARNING_RATE, TIMES, DIAG_REG, curve, workers), la);

        err.println("aleph demo: drawing the figures");
        err.flush();
        List<Path> files = new ArrayList<>();
        String summary = DemoSummary.text(width, regression);
        try (OutputGroup group = new OutputGroup()) {
            files.addAll(WidthFigure.of(width).stage(group, out.resolve("width")));
            files.addAll(RegressionFigure.of(regression).stage(group, out.resolve("regression")));
            files.add(OutputFolder.stageText(group, out.resolve("summary.txt"), summary));
            group.commit();
        }
        double seconds = (System.nanoTime() - wall0) * 1e-9;
        double cpu = cpuSeconds() - cpu0;

        PrintWriter o = spec.commandLine().getOut();
        if (json.on()) {
            o.println(json(width, regression, files, seconds, cpu));
        } else {
            o.print(summary);
            o.println();
            for (Path f : files) {
                o.println("wrote " + f);
            }
            o.printf(Locale.ROOT, "%.1f s (%.1f s of CPU)%n", seconds, cpu);
        }
        o.flush();
        return 0;
    }

    private String json(WidthStudy.Result w, RegressionStudy.Result r, List<Path> files, double seconds, double cpu) {
        JsonWriter j = new JsonWriter().beginObject()
                .name("seed").value(seed).name("networks").value(networks)
                .name("width").beginObject()
                .name("net").value(w.settings().network().spec())
                .name("probes").vector(w.settings().probes())
                .name("nngp").vector(w.probeKernel())
                .name("jitter").value(w.jitter())
                .name("columns").beginArray();
        for (WidthStudy.Column c : w.columns()) {
            j.beginObject().name("width").value(c.label());
            SampleStatistics[] st = c.statistics();
            j.name("variance").vector(new double[] {st[0].variance(), st[1].variance()})
                    .name("variance_se").vector(new double[] {st[0].varianceError(), st[1].varianceError()})
                    .name("excess_kurtosis").vector(new double[] {st[0].excessKurtosis(), st[1].excessKurtosis()})
                    .name("kurtosis_se").vector(new double[] {st[0].kurtosisError(), st[1].kurtosisError()})
                    .name("ks_distance").vector(new double[] {st[0].ksDistance(), st[1].ksDistance()})
                    .name("ks_p").vector(new double[] {st[0].ksPValue(), st[1].ksPValue()})
                    .name("covariance").value(c.covariance()[0])
                    .name("covariance_se").value(c.covariance()[1])
                    .endObject();
        }
        j.endArray().endObject();
        RegressionStudy.Settings rs = r.settings();
        j.name("regression").beginObject()
                .name("net").value(rs.network().spec())
                .name("train_x").vector(rs.data().trainX())
                .name("train_y").vector(rs.data().trainY())
                .name("learning_rate").value(rs.learningRate())
                .name("max_learning_rate").value(r.maxLearningRate())
                .name("diag_reg").value(rs.diagReg())
                .name("predictions").beginArray();
        for (RegressionStudy.Fit f : r.fits()) {
            j.beginObject().name("kind").value(f.ntk() ? "ntk" : "nngp")
                    .name("time").value(Double.isInfinite(f.time()) ? "inf" : RegressionStudy.timeLabel(f.time()))
                    .name("train_rmse").value(f.trainRmse())
                    .name("test_rmse").value(f.testRmse())
                    .name("train_mean").vector(f.trainMean())
                    .name("train_sd").vector(f.trainSd())
                    .name("test_sd_mean").value(mean(f.testSd()))
                    .endObject();
        }
        j.endArray().name("notes").beginArray();
        for (String n : r.notes()) {
            j.value(n);
        }
        j.endArray().endObject();
        j.name("files").beginArray();
        for (Path f : files) {
            j.value(f.toString());
        }
        return j.endArray().name("seconds").value(seconds).name("cpu_seconds").value(cpu).endObject().toString();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** CPU time of the whole process so far, or NaN where the platform does not say. */
    static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() * 1e-9).orElse(Double.NaN);
    }
}
