package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.fit.GridSweep;
import org.aleph.kernel.fit.NngpPosterior;
import org.aleph.kernel.io.OutputGroup;

/**
 * {@code aleph sweep --net SPEC}: the (sigma_w^2, sigma_b^2) grid of {@link GridSweep#forNetwork}
 * for any architecture (Conv, pooling, FanOut ... FanIn, Repeat, ...), every Dense and Conv
 * layer at (sigma_w, sigma_b) with its other arguments kept. Each grid point computes its
 * train-train and validation-train NNGP whole with the kernel computer (no input Gram or
 * shallower depth to share, unlike {@code --act}); the points are shared among the threads.
 * Output: the best point by validation score and by log marginal likelihood, scored on the test
 * data, every point in {@code --json}, and {@code sweep-net.csv} in {@code --out}.
 */
final class NetworkSweep {

    private final SweepCommand cmd;
    private final Network template;
    private final ImageShape images;
    private final double[] sw2;
    private final double[] sb2;
    private final FitData train;
    private final FitData val;
    private final FitData test;
    private final LinearAlgebra la;
    private final double loadSeconds;
    private final long t0;

    NetworkSweep(SweepCommand cmd, Network template, ImageShape images, double[] sw2, double[] sb2, FitData train, FitData val,
                 FitData test, LinearAlgebra la, double loadSeconds, long t0) {
        this.cmd = cmd;
        this.template = template;
        this.images = images;
        this.sw2 = sw2;
        this.sb2 = sb2;
        this.train = train;
        this.val = val;
        this.test = test;
        this.la = la;
        this.loadSeconds = loadSeconds;
        this.t0 = t0;
    }

    int run(PrintWriter o, PrintWriter err, int workers) {
        GridSweep sweep = GridSweep.forNetwork(template, images, train.x(), train.y(), val.x(), val.y(), val.labels(), cmd.diagReg, la);
        err.printf(Locale.ROOT, "aleph sweep: %s%s, %d x %d grid, %d training + %d validation points, %d thread%s; every Dense and Conv "
                + "layer at (sw, sb); each grid point computes its kernels whole (nothing is shared between points)%n",
                template.spec(), images == null ? "" : " on " + images + " images", sw2.length, sb2.length, train.size(), val.size(),
                workers, workers == 1 ? "" : "s");
        err.flush();
        long t1 = System.nanoTime();
        SweepCommand.Eta eta = new SweepCommand.Eta(err);
        List<GridSweep.Point> points = sweep.run(sw2, sb2, workers, eta::update);
        double sweepSeconds = (System.nanoTime() - t1) * 1e-9;
        boolean classes = train.classification();
        long t2 = System.nanoTime();
        List<SweepCommand.Best> best = new ArrayList<>();
        ToDoubleFunction<GridSweep.Point> score = classes ? GridSweep.Point::accuracy : p -> -p.rmse();
        best.add(best(sweep, points, score, classes ? "validation_accuracy" : "validation_rmse", workers));
        best.add(best(sweep, points, GridSweep.Point::logMarginalLikelihood, "log_marginal_likelihood", workers));
        double testSeconds = (System.nanoTime() - t2) * 1e-9;
        List<Path> files = new ArrayList<>();
        if (cmd.out != null) {
            try (OutputGroup group = new OutputGroup()) {
                files.add(OutputFolder.stageText(group, cmd.out.resolve("sweep-net.csv"), SweepReport.csv(template.spec(), points)));
                group.commit();
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (cmd.json.on()) {
            SweepReport.printNetworkJson(o, template.spec(), images, sw2, sb2, points, best, sweep::network, files, train, val, test,
                    new double[] {loadSeconds, sweepSeconds, testSeconds, seconds}, cmd.diagReg);
        } else {
            SweepReport.printNetworkText(o, template.spec(), sw2, sb2, points, best, sweep::network, files, classes, sweepSeconds, seconds);
        }
        o.flush();
        return 0;
    }

    private SweepCommand.Best best(GridSweep sweep, List<GridSweep.Point> pts, ToDoubleFunction<GridSweep.Point> score, String by,
                                   int workers) {
        GridSweep.Point top = pts.stream().filter(p -> Double.isFinite(score.applyAsDouble(p)))
                .max(Comparator.comparingDouble(score)).orElse(null);
        if (top == null) {
            return new SweepCommand.Best(0, by, null, Double.NaN);
        }
        double t = Double.NaN;
        if (test != null) {
            double[] mean = NngpPosterior.mean(sweep.network(top.sw2(), top.sb2()), train.x(), images, train.y(), test.x(), 1, cmd.diagReg,
                    true, la, null, workers);
            t = train.classification() ? test.accuracy(mean) : test.rmse(mean);
        }
        return new SweepCommand.Best(0, by, top, t);
    }
}
