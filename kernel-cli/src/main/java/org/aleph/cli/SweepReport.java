package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.fit.GridSweep;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.theory.CriticalLine;
import org.aleph.kernel.theory.MeanField;
import org.aleph.kernel.theory.SignalPropagation;

/**
 * The outputs of {@code aleph sweep}: the CSV of every point, the table of the best points,
 * and the {@code --json} object (every point, the best ones with chi_1 and xi_c from
 * {@link MeanField}, the critical line, the files and the seconds of each stage); for
 * {@code --net} sweeps the same without the mean-field columns (chi_1 and xi_c are those of
 * fully connected networks of one activation).
 */
final class SweepReport {

    private SweepReport() {
    }

    static String csv(Activation a, List<GridSweep.Point> pts) {
        return csv("--act " + a.name(), pts, true);
    }

    /** The CSV of a {@code --net} sweep (depth 0: the spec's own). */
    static String csv(String spec, List<GridSweep.Point> pts) {
        return csv("--net \"" + spec + "\"", pts, false);
    }

    private static String csv(String what, List<GridSweep.Point> pts, boolean act) {
        StringBuilder s = new StringBuilder();
        s.append("# aleph sweep ").append(what).append(": NNGP kernel regression over the grid")
                .append(act ? "" : " (every Dense and Conv layer at (sqrt(sw2), sqrt(sb2)); depth 0 = the spec's own)").append('\n');
        s.append("# sw2,sb2,depth,accuracy,rmse,log_marginal_likelihood,scale\n");
        for (GridSweep.Point p : pts) {
            s.append(p.sw2()).append(',').append(p.sb2()).append(',').append(p.depth()).append(',').append(p.accuracy()).append(',')
                    .append(p.rmse()).append(',').append(p.logMarginalLikelihood()).append(',').append(p.scale()).append('\n');
        }
        return s.toString();
    }

    static String joinInts(int[] v) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            s.append(i == 0 ? "" : ",").append(v[i]);
        }
        return s.toString();
    }

    static void printText(PrintWriter o, Activation a, double[] sw2, double[] sb2, List<GridSweep.Point> pts, List<SweepCommand.Best> best,
                           List<Path> files, boolean classes, double sweepSeconds, double seconds) {
        long failed = pts.stream().filter(p -> Double.isNaN(p.rmse())).count();
        o.printf(Locale.ROOT, "%s: %d x %d grid, %d points, sweep %.1f s, total %.1f s%s%n", a.name(), sw2.length, sb2.length, pts.size(),
                sweepSeconds, seconds, failed > 0 ? " (" + failed + " points not positive definite: NaN)" : "");
        o.printf(Locale.ROOT, "%-6s %-26s %8s %8s %10s %11s %9s %9s%n", "depth", "best by", "sw2", "sb2", classes ? "val acc" : "val rmse",
                "log ML", "test", "chi_1");
        MeanField mf = new MeanField(a);
        for (SweepCommand.Best b : best) {
            if (b.point() == null) {
                o.printf(Locale.ROOT, "%-6d %-26s no finite value%n", b.depth(), b.by());
                continue;
            }
            GridSweep.Point p = b.point();
            o.printf(Locale.ROOT, "%-6d %-26s %8.4g %8.4g %10.4f %11.2f %9.4f %9.4f%n", b.depth(), b.by(), p.sw2(), p.sb2(),
                    classes ? p.accuracy() : p.rmse(), p.logMarginalLikelihood(), b.test(), mf.at(p.sw2(), p.sb2()).chi1());
        }
        for (Path f : files) {
            o.println("wrote " + f);
        }
    }

    static void printJson(PrintWriter o, Activation a, double[] sw2, double[] sb2, int[] ds, List<GridSweep.Point> pts, List<SweepCommand.Best> best,
                           CriticalLine line, List<Path> files, FitData train, FitData val, FitData test, double loadSeconds,
                           double sweepSeconds, double testSeconds, double seconds, double diagReg) {
        MeanField mf = new MeanField(a);
        JsonWriter j = new JsonWriter().beginObject()
                .name("activation").value(a.name())
                .name("provenance").value(a.provenance().toString())
                .name("task").value(train.classification() ? "classification" : "regression")
                .name("n_train").value((long) train.size()).name("n_val").value((long) val.size())
                .name("n_test").value(test == null ? 0L : (long) test.size())
                .name("diag_reg").value(diagReg)
                .name("sw2").vector(sw2).name("sb2").vector(sb2);
        j.name("depths").beginArray();
        for (int d : ds) {
            j.value((long) d);
        }
        j.endArray().name("points").beginArray();
        for (GridSweep.Point p : pts) {
            j.beginObject().name("sw2").value(p.sw2()).name("sb2").value(p.sb2()).name("depth").value((long) p.depth())
                    .name("accuracy").value(p.accuracy()).name("rmse").value(p.rmse())
                    .name("log_marginal_likelihood").value(p.logMarginalLikelihood()).name("scale").value(p.scale()).endObject();
        }
        j.endArray().name("best").beginArray();
        for (SweepCommand.Best b : best) {
            j.beginObject().name("depth").value((long) b.depth()).name("by").value(b.by());
            if (b.point() != null) {
                GridSweep.Point p = b.point();
                SignalPropagation sp = mf.at(p.sw2(), p.sb2());
                j.name("sw2").value(p.sw2()).name("sb2").value(p.sb2()).name("accuracy").value(p.accuracy()).name("rmse").value(p.rmse())
                        .name("log_marginal_likelihood").value(p.logMarginalLikelihood())
                        .name(train.classification() ? "test_accuracy" : "test_rmse").value(b.test())
                        .name("chi1").value(sp.chi1()).name("xi_c").value(sp.xiC())
                        .name("spec").value(SweepCommand.network(a, p.sw2(), p.sb2(), b.depth()).spec());
            }
            j.endObject();
        }
        j.endArray().name("critical_line").beginObject().name("sw2").vector(line.sw2()).name("sb2").vector(line.sb2()).endObject();
        j.name("files").beginArray();
        for (Path f : files) {
            j.value(f.toString());
        }
        j.endArray().name("seconds").beginObject().name("load").value(loadSeconds).name("sweep").value(sweepSeconds)
                .name("test").value(testSeconds).name("total").value(seconds).endObject().endObject();
        o.println(j);
    }

    static void printNetworkText(PrintWriter o, String spec, double[] sw2, double[] sb2, List<GridSweep.Point> pts,
                                 List<SweepCommand.Best> best, BiFunction<Double, Double, Network> network, List<Path> files, boolean classes,
                                 double sweepSeconds, double seconds) {
        long failed = pts.stream().filter(p -> Double.isNaN(p.rmse())).count();
        o.printf(Locale.ROOT, "%s: %d x %d grid, %d points, sweep %.1f s, total %.1f s%s%n", spec, sw2.length, sb2.length, pts.size(),
                sweepSeconds, seconds, failed > 0 ? " (" + failed + " points not positive definite: NaN)" : "");
        o.printf(Locale.ROOT, "%-26s %8s %8s %10s %11s %9s%n", "best by", "sw2", "sb2", classes ? "val acc" : "val rmse", "log ML", "test");
        for (SweepCommand.Best b : best) {
            if (b.point() == null) {
                o.printf(Locale.ROOT, "%-26s no finite value%n", b.by());
                continue;
            }
            GridSweep.Point p = b.point();
            o.printf(Locale.ROOT, "%-26s %8.4g %8.4g %10.4f %11.2f %9.4f%n", b.by(), p.sw2(), p.sb2(), classes ? p.accuracy() : p.rmse(),
                    p.logMarginalLikelihood(), b.test());
            o.printf(Locale.ROOT, "  %s%n", network.apply(p.sw2(), p.sb2()).spec());
        }
        for (Path f : files) {
            o.println("wrote " + f);
        }
    }

    /** times: load, sweep, test, total seconds. */
    static void printNetworkJson(PrintWriter o, String spec, ImageShape images, double[] sw2, double[] sb2, List<GridSweep.Point> pts,
                                 List<SweepCommand.Best> best, BiFunction<Double, Double, Network> network, List<Path> files, FitData train,
                                 FitData val, FitData test, double[] times, double diagReg) {
        JsonWriter j = new JsonWriter().beginObject()
                .name("net").value(spec)
                .name("kernels").value("kernel_computer");
        ImageInputs.json(j.name("image_shape"), images);
        j.name("task").value(train.classification() ? "classification" : "regression")
                .name("n_train").value((long) train.size()).name("n_val").value((long) val.size())
                .name("n_test").value(test == null ? 0L : (long) test.size())
                .name("diag_reg").value(diagReg)
                .name("sw2").vector(sw2).name("sb2").vector(sb2);
        j.name("points").beginArray();
        for (GridSweep.Point p : pts) {
            j.beginObject().name("sw2").value(p.sw2()).name("sb2").value(p.sb2())
                    .name("accuracy").value(p.accuracy()).name("rmse").value(p.rmse())
                    .name("log_marginal_likelihood").value(p.logMarginalLikelihood()).name("scale").value(p.scale()).endObject();
        }
        j.endArray().name("best").beginArray();
        for (SweepCommand.Best b : best) {
            j.beginObject().name("by").value(b.by());
            if (b.point() != null) {
                GridSweep.Point p = b.point();
                j.name("sw2").value(p.sw2()).name("sb2").value(p.sb2()).name("accuracy").value(p.accuracy()).name("rmse").value(p.rmse())
                        .name("log_marginal_likelihood").value(p.logMarginalLikelihood())
                        .name(train.classification() ? "test_accuracy" : "test_rmse").value(b.test())
                        .name("spec").value(network.apply(p.sw2(), p.sb2()).spec());
            }
            j.endObject();
        }
        j.endArray().name("files").beginArray();
        for (Path f : files) {
            j.value(f.toString());
        }
        j.endArray().name("seconds").beginObject().name("load").value(times[0]).name("sweep").value(times[1])
                .name("test").value(times[2]).name("total").value(times[3]).endObject().endObject();
        o.println(j);
    }
}
