package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.aleph.cli.data.LabeledData;
import org.aleph.kernel.io.OutputGroup;
import org.aleph.cli.io.ShapeOption;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.fit.GridSweep;
import org.aleph.kernel.fit.NngpPosterior;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.theory.CriticalLine;
import org.aleph.kernel.theory.MeanField;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph sweep}: NNGP kernel regression over a grid of (sigma_w^2, sigma_b^2, depth)
 * ({@link GridSweep}) with the validation score and the log marginal likelihood at every
 * point, the best points scored on test data, and heat maps with the order-to-chaos critical
 * line and the depth-scale contours of {@code aleph phase} drawn over them (Lee et al. 2018,
 * figure 4). With {@code --net} any other architecture (Conv, pooling, FanOut ... FanIn, ...) is
 * swept over the same plane, every Dense and Conv layer at (sigma_w, sigma_b), each grid point's
 * kernels computed whole ({@link GridSweep#forNetwork}); the CSV and the table, no figures.
 */
@Command(name = "sweep",
        sortOptions = false,
        description = {
            "NNGP kernel regression with [Dense(sw, sb) ACT] x depth Dense(sw, sb) over a",
            "grid of sigma_w^2 x sigma_b^2 (x depth): validation accuracy (classes) or",
            "RMSE, and the log marginal likelihood of the training targets (noise =",
            "--diag-reg, output scale profiled out) at every point. Validation: the last",
            "--n-val samples of the training file. The best points (by validation and by",
            "likelihood) are scored on the test data. Figures per depth: heat maps of both",
            "with the critical line chi_1 = 1 and contours of the depth scale xi_c.",
            "--net SPEC instead of --act sweeps any architecture (Conv, pooling,",
            "FanOut...FanIn, ...): every Dense and Conv layer gets (sw, sb), the spec fixes",
            "the depth; nothing is shared between grid points (each computes its kernels",
            "whole, points shared among the threads); CSV and table, no heat maps.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph sweep --act Relu --train /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \\",
            "      --n-train 1000 --n-val 1000 --test /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --n-test 2000 \\",
            "      --sw2 0.2:4:20 --sb2 0:1:20 --depth 1,3,10 --out figures",
            "  aleph sweep --act Erf --train-x x.csv --train-y y.csv --n-val 50 --sw2 0.5,1,2,4 --sb2 0,0.1 --json",
            "  aleph sweep --net \"AvgPool(window=4) Conv(filter=3) Relu GlobalAvgPool Dense\" \\",
            "      --train /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz --n-train 300 --n-val 200 --sw2 1,2,4 --sb2 0,0.1",
            "",
            "Grids: a list (0.5,1,2) or LO:HI:COUNT (evenly spaced, ends included). Files in --out: sweep-ACT.csv",
            "(sw2,sb2,depth,accuracy,rmse,log_marginal_likelihood,scale per line) and sweep-ACT-dDEPTH.png/.svg.",
        })
public final class SweepCommand implements Callable<Integer> {

    /** Largest number of grid points (sw2 x sb2). */
    static final int MAX_POINTS = 10_000;

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Option(names = "--act", paramLabel = "ACT", description = "The activation, e.g. Relu, Erf, Tanh or \"LeakyRelu(0.1)\" (or --net).")
    String act;

    @Mixin
    NetOption net;

    @Option(names = "--shape", paramLabel = "H,W,C",
            description = "Read the rows of 2-D inputs (CSV, 2-D .npy) as images of H x W pixels and C channels (H,W: C = 1).")
    String shape;

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataOptions source;

    @Option(names = "--n-train", paramLabel = "N", defaultValue = "1000", description = "Training samples: the first N of the file (default ${DEFAULT-VALUE}).")
    int nTrain;

    @Option(names = "--n-val", paramLabel = "M", defaultValue = "1000", description = "Validation samples: the last M of the training file (default ${DEFAULT-VALUE}).")
    int nVal;

    @Option(names = "--sw2", paramLabel = "GRID", defaultValue = "0.2:4:20", description = "sigma_w^2 values (default ${DEFAULT-VALUE}).")
    String sw2Grid;

    @Option(names = "--sb2", paramLabel = "GRID", defaultValue = "0:1:20", description = "sigma_b^2 values (default ${DEFAULT-VALUE}).")
    String sb2Grid;

    @Option(names = "--depth", paramLabel = "LIST", split = ",", description = "Hidden-layer counts with --act (default 3).")
    List<Integer> depths;

    @Option(names = "--diag-reg", paramLabel = "R", defaultValue = "1e-4",
            description = "Regulariser (noise) relative to the mean diagonal, as aleph classify's (default ${DEFAULT-VALUE}).")
    double diagReg;

    @Mixin
    OutputOption output;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    /** The checked --out folder, or null when none was given (set by {@link #call}). */
    Path out;

    /** The best point of one depth by one criterion, with its test score. */
    record Best(int depth, String by, GridSweep.Point point, double test) {
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((act == null) == !net.given()) {
            throw new UserErrorException("give the activation with --act or a whole architecture with --net, one of them");
        }
        if (net.given() && depths != null) {
            throw new UserErrorException("--depth goes with --act: with --net the spec fixes the depth");
        }
        Activation activation = act == null ? null : ActivationOption.parse(act, aleph.registry(), "--act");
        Network template = net.given() ? net.network(aleph.registry()) : null;
        double[] sw2 = grid(sw2Grid, "--sw2");
        double[] sb2 = grid(sb2Grid, "--sb2");
        if ((long) sw2.length * sb2.length > MAX_POINTS) {
            throw new UserErrorException("--sw2 x --sb2 has " + (long) sw2.length * sb2.length + " points; at most " + MAX_POINTS);
        }
        for (double w : sw2) {
            if (!(w > 0)) {
                throw new UserErrorException("--sw2: sigma_w^2 = " + w + " is outside its domain; it must be positive");
            }
        }
        for (double b : sb2) {
            if (!(b >= 0)) {
                throw new UserErrorException("--sb2: sigma_b^2 = " + b + " is outside its domain; it must be >= 0");
            }
        }
        int[] ds = depths == null ? new int[] {3} : depths.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        if (ds.length == 0 || ds[0] < 1) {
            throw new UserErrorException("--depth: every depth must be a number of hidden layers >= 1");
        }
        int workers = threads.workers();
        if (nTrain < 1 || nVal < 1) {
            throw new UserErrorException("--n-train and --n-val must be at least 1, got " + nTrain + " and " + nVal);
        }
        out = output.folderIfGiven();
        if (out != null) {
            OutputOption.requireNoInput(out, outputNames(template != null, ds), source.inputs());
        }
        long t0 = System.nanoTime();
        FitData[] data = load(ShapeOption.parse(shape, "--shape"));
        FitData train = data[0];
        FitData val = data[1];
        FitData test = data[2];
        FitCommand.checkMemory(train.size(), val.size());
        double loadSeconds = (System.nanoTime() - t0) * 1e-9;
        LinearAlgebra la = LinearAlgebra.automatic();
        if (template != null) {
            ImageShape images = ImageInputs.common(template, train.inputs(), test == null ? null : test.inputs());
            FitCommand.checkKernelMemory(template, images, train.size(), val.size(), workers);
            return new NetworkSweep(this, template, images, sw2, sb2, train, val, test, la, loadSeconds, t0).run(o, err, workers);
        }
        GridSweep sweep = new GridSweep(activation, train.x(), train.y(), val.x(), val.y(), val.labels(), diagReg, la);
        err.printf(Locale.ROOT, "aleph sweep: %s (%s), %d x %d grid, depth %s, %d training + %d validation points, %d thread%s%n",
                activation.name(), activation.provenance().kind().label(), sw2.length, sb2.length, SweepReport.joinInts(ds), train.size(), val.size(),
                workers, workers == 1 ? "" : "s");
        err.flush();
        long t1 = System.nanoTime();
        Eta eta = new Eta(err);
        List<GridSweep.Point> points = sweep.run(sw2, sb2, ds, workers, eta::update);
        double sweepSeconds = (System.nanoTime() - t1) * 1e-9;

        boolean classes = train.classification();
        List<Best> best = new ArrayList<>();
        long t2 = System.nanoTime();
        for (int d : ds) {
            List<GridSweep.Point> atDepth = points.stream().filter(p -> p.depth() == d).toList();
            ToDoubleFunction<GridSweep.Point> score = classes ? GridSweep.Point::accuracy : p -> -p.rmse();
            best.add(best(atDepth, score, d, classes ? "validation_accuracy" : "validation_rmse", train, test, la, workers, activation));
            best.add(best(atDepth, GridSweep.Point::logMarginalLikelihood, d, "log_marginal_likelihood", train, test, la, workers, activation));
        }
        double testSeconds = (System.nanoTime() - t2) * 1e-9;

        MeanField mf = new MeanField(activation);
        CriticalLine line = mf.criticalLine(1e-6, 1e4, 400);
        List<Path> files = new ArrayList<>();
        if (out != null) {
            String base = "sweep-" + OutputFolder.fileName(act);
            try (OutputGroup group = new OutputGroup()) { // the CSV and every figure appear together, or none does
                files.add(OutputFolder.stageText(group, out.resolve(base + ".csv"), SweepReport.csv(activation, points)));
                for (int d : ds) {
                    files.addAll(SweepFigureData.draw(group, activation, mf, line, sw2, sb2, d, points, classes, best, workers,
                            out.resolve(base + "-d" + d)));
                }
                group.commit();
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (json.on()) {
            SweepReport.printJson(o, activation, sw2, sb2, ds, points, best, line, files, train, val, test, loadSeconds, sweepSeconds, testSeconds,
                    seconds, diagReg);
        } else {
            SweepReport.printText(o, activation, sw2, sb2, points, best, files, classes, sweepSeconds, seconds);
        }
        o.flush();
        return 0;
    }

    private Best best(List<GridSweep.Point> pts, ToDoubleFunction<GridSweep.Point> score, int depth, String by, FitData train,
                      FitData test, LinearAlgebra la, int workers, Activation activation) {
        GridSweep.Point top = pts.stream().filter(p -> Double.isFinite(score.applyAsDouble(p)))
                .max(Comparator.comparingDouble(score)).orElse(null);
        if (top == null) {
            return new Best(depth, by, null, Double.NaN);
        }
        double t = Double.NaN;
        if (test != null) {
            Network best = network(activation, top.sw2(), top.sb2(), depth);
            double[] mean = NngpPosterior.mean(best, train.x(), train.y(), test.x(), 1, diagReg, true, la, null, 1);
            t = train.classification() ? test.accuracy(mean) : test.rmse(mean);
        }
        return new Best(depth, by, top, t);
    }

    /** The files this sweep writes in --out: sweep-net.csv with --net, else sweep-ACT.csv and each depth's figures. */
    private List<String> outputNames(boolean network, int[] ds) {
        if (network) {
            return List.of("sweep-net.csv");
        }
        String base = "sweep-" + OutputFolder.fileName(act);
        List<String> names = new ArrayList<>(List.of(base + ".csv"));
        for (int d : ds) {
            names.add(base + "-d" + d + ".png");
            names.add(base + "-d" + d + ".svg");
        }
        return names;
    }

    /** [Dense(sw, sb) act] x depth Dense(sw, sb). */
    static Network network(Activation activation, double sw2, double sb2, int depth) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            layers.add(new Layer.Dense(Math.sqrt(sw2), Math.sqrt(sb2)));
            layers.add(new Layer.Nonlinearity(activation));
        }
        layers.add(new Layer.Dense(Math.sqrt(sw2), Math.sqrt(sb2)));
        return new Network(layers);
    }

    private FitData[] load(ImageShape given) {
        int total = nTrain + nVal;
        if (source.regression != null) {
            FitData[] d = source.regression.load(given);
            checkSplit(d[0].size(), total, source.regression.x);
            return new FitData[] {d[0].rows(0, nTrain), d[0].rows(d[0].size() - nVal, d[0].size()), d[1]};
        }
        LabeledData[] d = source.classes.load(-1, 2000, given);
        checkSplit(d[0].x().rows(), total, source.classes.train);
        int classes = Math.max(d[0].classes(), d[1] == null ? 0 : d[1].classes());
        FitData all = FitData.classes(d[0], classes, source.classes.train, "--train");
        return new FitData[] {all.rows(0, nTrain), all.rows(all.size() - nVal, all.size()),
            d[1] == null ? null : FitData.classes(d[1], classes, source.classes.test, "--test")};
    }

    private void checkSplit(int have, int need, Path file) {
        if (have < need) {
            throw new UserErrorException(file + " holds " + have + " samples, too few for " + nTrain + " training and " + nVal
                    + " validation samples (--n-train + --n-val = " + need + "); lower them");
        }
    }

    /** A list "0.5,1,2" or "LO:HI:COUNT". */
    static double[] grid(String text, String option) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new UserErrorException(option + ": the grid is empty; give a list (0.5,1,2) or LO:HI:COUNT");
        }
        try {
            if (t.contains(":")) {
                String[] p = t.split(":");
                if (p.length != 3) {
                    throw new UserErrorException(option + " " + text + ": write LO:HI:COUNT, e.g. 0.2:4:20");
                }
                double lo = Double.parseDouble(p[0].trim());
                double hi = Double.parseDouble(p[1].trim());
                int n = Integer.parseInt(p[2].trim());
                if (n < 1 || !(hi >= lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
                    throw new UserErrorException(option + " " + text + ": the grid is empty (COUNT >= 1 and LO <= HI needed)");
                }
                double[] g = new double[n];
                for (int i = 0; i < n; i++) {
                    g[i] = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
                }
                return g;
            }
            String[] parts = t.split(",");
            double[] g = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                g[i] = Double.parseDouble(parts[i].trim());
                if (i > 0 && !(g[i] > g[i - 1])) {
                    throw new UserErrorException(option + " " + text + ": list the values in increasing order, each once");
                }
            }
            return g;
        } catch (NumberFormatException e) {
            throw new UserErrorException(option + " " + text + ": not a list of numbers or LO:HI:COUNT");
        }
    }

    /** Progress with an estimate of the time left, on standard error, at most every 5 s (and at the end when it took > 1 s). */
    static final class Eta {
        private final PrintWriter err;
        private final long start = System.nanoTime();
        private long last = start;

        Eta(PrintWriter err) {
            this.err = err;
        }

        synchronized void update(int done, int total) {
            long now = System.nanoTime();
            double s = (now - start) * 1e-9;
            if ((done < total && now - last >= 5_000_000_000L) || (done == total && s > 1)) {
                last = now;
                double left = s / done * (total - done);
                err.printf(Locale.ROOT, "sweep: %d/%d grid points after %.1f s, about %.0f s left%n", done, total, s, left);
                err.flush();
            }
        }
    }
}
