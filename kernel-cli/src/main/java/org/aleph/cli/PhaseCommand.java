package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aleph.kernel.io.OutputGroup;
import org.aleph.cli.figures.PhaseFigure;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.theory.CriticalLine;
import org.aleph.kernel.theory.MeanField;
import org.aleph.kernel.theory.SignalPropagation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph phase}: mean-field signal propagation of an activation (Poole et al. 2016;
 * Schoenholz et al. 2017), computed by {@link MeanField}. At one point ({@code --sw2 --sb2})
 * it prints q*, chi_1, c* and the depth scales; otherwise it draws the order-to-chaos phase
 * diagram — chi_1 over the (sigma_w^2, sigma_b^2) plane, the critical line and contours of
 * q* — to {@code phase-ACT.png}, {@code .svg} and {@code .csv} (plus the critical line in
 * {@code phase-ACT-critical.csv}).
 */
@Command(name = "phase",
        sortOptions = false,
        description = {
            "Mean-field signal propagation of an activation (Poole et al. 2016):",
            "the order-to-chaos phase diagram, or with --sw2 and --sb2 the values",
            "q*, chi_1, c*, xi_q, xi_c and xi_grad at one point (sigma_w^2, sigma_b^2).",
            "Every layer is Dense(sigma_w, sigma_b) then the activation; |x|^2/d = 1.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph phase --act Tanh --out figures",
            "  aleph phase --act \"LeakyRelu(0.1)\" --sw2-max 3 --sb2-max 0.5 --grid 61",
            "  aleph phase --act Erf --sw2 1.5 --sb2 0.05 --json",
            "",
            "Files: phase-ACT.png and .svg (chi_1 heat map, critical line, q* contours), phase-ACT.csv",
            "(one line per grid point: sw2,sb2,q_star,chi1,c_star,xi_q,xi_c,xi_grad; Infinity where a value",
            "diverges, an empty field where it is undefined: c*, xi_q and xi_c when q* diverges) and",
            "phase-ACT-critical.csv (q_star,sw2,sb2 along the critical line). --json gives null for undefined values.",
        })
public final class PhaseCommand implements Callable<Integer> {

    /** Largest grid side accepted. */
    static final int MAX_GRID = 401;

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Option(names = "--act", required = true, paramLabel = "ACT", description = "The activation, e.g. Erf, Tanh or \"LeakyRelu(0.1)\".")
    String act;

    @Option(names = "--sw2", paramLabel = "S", description = "sigma_w^2 of a single point (with --sb2).")
    Double sw2;

    @Option(names = "--sb2", paramLabel = "B", description = "sigma_b^2 of a single point (with --sw2).")
    Double sb2;

    @Mixin
    OutputOption output;

    @Option(names = "--sw2-max", paramLabel = "S", defaultValue = "4", description = "Right edge of the diagram (default: ${DEFAULT-VALUE}).")
    double sw2Max;

    @Option(names = "--sb2-max", paramLabel = "B", defaultValue = "1", description = "Top edge of the diagram (default: ${DEFAULT-VALUE}).")
    double sb2Max;

    @Option(names = "--grid", paramLabel = "N", defaultValue = "41", description = "Grid points per axis (default: ${DEFAULT-VALUE}).")
    int grid;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        threads.workers();
        Activation activation = ActivationOption.parse(act, aleph.registry(), "--act");
        if ((sw2 == null) != (sb2 == null)) {
            throw new UserErrorException("--sw2 and --sb2 go together: give both for one point, or neither for the phase diagram");
        }
        MeanField mf = new MeanField(activation);
        PrintWriter o = spec.commandLine().getOut();
        if (sw2 != null) {
            point(mf, o);
        } else {
            diagram(mf, o);
        }
        o.flush();
        return 0;
    }

    private void point(MeanField mf, PrintWriter o) {
        SignalPropagation p = mf.at(sw2, sb2);
        Activation a = mf.activation();
        String phase = p.phase(1e-12).name().toLowerCase(Locale.ROOT);
        if (json.on()) {
            JsonWriter w = new JsonWriter().beginObject()
                    .name("activation").value(a.name())
                    .name("provenance").value(a.provenance().toString())
                    .name("sw2").value(p.sw2()).name("sb2").value(p.sb2())
                    .name("q_star").value(p.qStar())
                    .name("q_diverges").value(p.lengthDiverges())
                    .name("chi1").value(p.chi1())
                    .name("c_star").value(p.cStar())
                    .name("xi_q").value(p.xiQ())
                    .name("xi_c").value(p.xiC())
                    .name("xi_grad").value(p.xiGrad())
                    .name("length_slope").value(p.lengthSlope())
                    .name("correlation_slope").value(p.correlationSlope())
                    .name("phase").value(phase)
                    .endObject();
            o.println(w);
            return;
        }
        o.printf(Locale.ROOT, "%s (%s) at sigma_w^2 = %s, sigma_b^2 = %s: %s%n", a.name(), a.provenance(), sw2, sb2, phase);
        o.printf(Locale.ROOT, "  q*       %s%s%n", p.qStar(), p.lengthDiverges() ? "  (the length grows without bound)" : "");
        o.printf(Locale.ROOT, "  chi_1    %s%n", p.chi1());
        o.printf(Locale.ROOT, "  c*       %s%n", text(p.cStar()));
        o.printf(Locale.ROOT, "  xi_q     %s%n", text(p.xiQ()));
        o.printf(Locale.ROOT, "  xi_c     %s%n", text(p.xiC()));
        String gradients = p.xiGrad() > 0 && Double.isFinite(p.xiGrad()) ? "   (gradients vanish like exp(-depth / xi_grad))"
                : (p.xiGrad() < 0 ? "   (negative: gradients grow like exp(depth / |xi_grad|))" : "");
        o.printf(Locale.ROOT, "  xi_grad  %s%s%n", text(p.xiGrad()), gradients);
    }

    /** A value for the summary: "undefined" where the mean field has none (NaN: the length q* diverges). */
    private static String text(double v) {
        return Double.isNaN(v) ? "undefined (the length q* diverges)" : Double.toString(v);
    }

    /** A value for the CSV: empty where undefined, so that no file holds NaN. */
    private static String cell(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private void diagram(MeanField mf, PrintWriter o) {
        if (grid < 3 || grid > MAX_GRID) {
            throw new UserErrorException("--grid must lie in 3.." + MAX_GRID + ", got " + grid);
        }
        if (!(sw2Max > 0) || !Double.isFinite(sw2Max) || !(sb2Max > 0) || !Double.isFinite(sb2Max)) {
            throw new UserErrorException("--sw2-max and --sb2-max must be positive numbers, got " + sw2Max + " and " + sb2Max);
        }
        int workers = threads.workers();
        Path out = output.folder(".");
        Activation a = mf.activation();
        spec.commandLine().getErr().printf(Locale.ROOT, "aleph phase: %s (%s), %d x %d points on %d thread%s%n",
                a.name(), a.provenance().kind().label(), grid, grid, workers, workers == 1 ? "" : "s");
        spec.commandLine().getErr().flush();
        long t0 = System.nanoTime();
        double[] xs = new double[grid];
        double[] ys = new double[grid];
        for (int i = 0; i < grid; i++) {
            xs[i] = sw2Max * (i + 1) / grid;
            ys[i] = sb2Max * i / (grid - 1);
        }
        double[] w = new double[grid * grid];
        double[] b = new double[grid * grid];
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                w[i * grid + j] = xs[i];
                b[i * grid + j] = ys[j];
            }
        }
        SignalPropagation[] pts = mf.at(w, b, workers);
        CriticalLine line = mf.criticalLine(1e-6, 1e4, 400);
        double seconds = (System.nanoTime() - t0) * 1e-9;

        String base = "phase-" + OutputFolder.fileName(act);
        List<Path> files = new ArrayList<>();
        try (OutputGroup group = new OutputGroup()) {
            files.addAll(PhaseFigure.of(a.name(), xs, ys, pts, line).stage(group, out.resolve(base)));
            files.add(writeCsv(group, out.resolve(base + ".csv"), a, pts));
            files.add(writeLineCsv(group, out.resolve(base + "-critical.csv"), a, line));
            group.commit();
        }

        int onAxis = line.size() > 0 ? 0 : -1;
        if (json.on()) {
            JsonWriter j = new JsonWriter().beginObject()
                    .name("activation").value(a.name())
                    .name("provenance").value(a.provenance().toString())
                    .name("grid").value(grid)
                    .name("sw2_max").value(sw2Max).name("sb2_max").value(sb2Max)
                    .name("seconds").value(seconds)
                    .name("critical_line").beginObject()
                    .name("q_star").vector(line.q()).name("sw2").vector(line.sw2()).name("sb2").vector(line.sb2()).endObject()
                    .name("files").beginArray();
            for (Path f : files) {
                j.value(f.toString());
            }
            o.println(j.endArray().endObject());
            return;
        }
        o.printf(Locale.ROOT, "%s: phase diagram over sigma_w^2 in (0, %s], sigma_b^2 in [0, %s], %d x %d points, %.1f s%n",
                a.name(), sw2Max, sb2Max, grid, grid, seconds);
        if (onAxis == 0) {
            o.printf(Locale.ROOT, "critical line (chi_1 = 1, c* = 1) starts at sigma_w^2 = %.6g, sigma_b^2 = %.3g (q* = %.3g)%n",
                    line.sw2()[0], line.sb2()[0], line.q()[0]);
        } else {
            o.println("no critical line with sigma_b^2 >= 0 was found");
        }
        for (Path f : files) {
            o.println("wrote " + f);
        }
    }

    private static Path writeCsv(OutputGroup group, Path file, Activation a, SignalPropagation[] pts) {
        StringBuilder s = new StringBuilder();
        s.append("# aleph phase --act ").append(a.name()).append(": mean-field signal propagation, ").append(a.provenance()).append('\n');
        s.append("# sw2,sb2,q_star,chi1,c_star,xi_q,xi_c,xi_grad\n");
        for (SignalPropagation p : pts) {
            s.append(p.sw2()).append(',').append(p.sb2()).append(',').append(cell(p.qStar())).append(',').append(cell(p.chi1())).append(',')
                    .append(cell(p.cStar())).append(',').append(cell(p.xiQ())).append(',').append(cell(p.xiC())).append(',')
                    .append(cell(p.xiGrad())).append('\n');
        }
        return OutputFolder.stageText(group, file, s.toString());
    }

    private static Path writeLineCsv(OutputGroup group, Path file, Activation a, CriticalLine line) {
        StringBuilder s = new StringBuilder();
        s.append("# aleph phase --act ").append(a.name()).append(": critical line chi1 = 1 parametrised by q*\n");
        s.append("# q_star,sw2,sb2\n");
        double[] q = line.q();
        double[] w = line.sw2();
        double[] b = line.sb2();
        for (int i = 0; i < q.length; i++) {
            s.append(q[i]).append(',').append(w[i]).append(',').append(b[i]).append('\n');
        }
        return OutputFolder.stageText(group, file, s.toString());
    }
}
