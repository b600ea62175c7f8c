package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aleph.kernel.io.OutputGroup;
import org.aleph.cli.figures.DualFigure;
import org.aleph.cli.figures.SpectrumFigure;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.theory.DualActivation;
import org.aleph.kernel.theory.DualCurves;
import org.aleph.kernel.theory.HermiteSpectrum;
import org.aleph.kernel.theory.MeanField;
import org.aleph.kernel.theory.SphereSpectrum;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph dual}: the dual activation of a nonlinearity composed over depth (the
 * normalised NNGP and NTK as functions of the input correlation, {@link DualActivation}),
 * its Hermite spectrum ({@link HermiteSpectrum}) and the eigenvalues of the depth-L NNGP and
 * NTK on the sphere S^{d-1} by degree ({@link SphereSpectrum}). Draws {@code dual-ACT} and
 * {@code spectrum-ACT} (PNG and SVG) and writes their numbers to CSV.
 */
@Command(name = "dual",
        sortOptions = false,
        description = {
            "The dual activation rho -> kernel(rho) of the NNGP and NTK at several",
            "depths, the Hermite coefficients of the activation, and the kernels'",
            "eigenvalues on the sphere S^(d-1) by degree. The network is",
            "Dense(sigma_w0, sigma_b0) [ACT Dense(sigma_w, sigma_b)]^L, |x|^2/d = 1.",
            "Without --sw2/--sb2: sigma_w^2 = 1/E[phi(z)^2], no biases, sigma_w0 = 1",
            "(unit variance at every layer: Daniely et al. 2016's dual composed L",
            "times); with them: sigma_w0 = sigma_w and sigma_b0 = sigma_b.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph dual --act Relu --depth 5 --out figures",
            "  aleph dual --act Erf --sw2 2 --sb2 0.1 --dim 784 --degree 10 --json",
            "  aleph dual --act Tanh --sw2 2.5 --sb2 0.05 --fixed-point --depth 10",
            "",
            "Files: dual-ACT.png/.svg (normalised NNGP and NTK against rho), dual-ACT.csv (rho, then the",
            "normalised NNGP and NTK at depths 1..L), spectrum-ACT.png/.svg and spectrum-ACT.csv",
            "(k, a_k, NNGP and NTK eigenvalues mu_k at depth L, multiplicity N(d, k)).",
        })
public final class DualCommand implements Callable<Integer> {

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Option(names = "--act", required = true, paramLabel = "ACT", description = "The activation, e.g. Relu, Erf or \"LeakyRelu(0.1)\".")
    String act;

    @Option(names = "--depth", paramLabel = "L", defaultValue = "4", description = "Largest depth (number of nonlinearities; default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--sw2", paramLabel = "S", description = "sigma_w^2 of every Dense layer (with --sb2).")
    Double sw2;

    @Option(names = "--sb2", paramLabel = "B", description = "sigma_b^2 of every Dense layer (with --sw2).")
    Double sb2;

    @Option(names = "--fixed-point", description = "With --sw2/--sb2: start at the length fixed point q* (first layer Dense(sqrt(q*), 0)), "
            + "so the variance stays q* and one layer is the mean-field correlation map.")
    boolean fixedPoint;

    @Option(names = "--dim", paramLabel = "D", defaultValue = "3", description = "Input dimension d for the eigenvalues on S^(d-1) (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "30", description = "Largest Hermite degree and spherical-harmonic degree (default: ${DEFAULT-VALUE}).")
    int degree;

    @Option(names = "--points", paramLabel = "N", defaultValue = "201", description = "Correlations rho in [-1, 1] (default: ${DEFAULT-VALUE}).")
    int points;

    @Mixin
    OutputOption output;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Activation a = ActivationOption.parse(act, aleph.registry(), "--act");
        if ((sw2 == null) != (sb2 == null)) {
            throw new UserErrorException("--sw2 and --sb2 go together: give both, or neither for unit-variance layers");
        }
        if (depth < 1 || depth > 1000) {
            throw new UserErrorException("--depth must lie in 1..1000, got " + depth);
        }
        if (points < 3 || points > 100_001) {
            throw new UserErrorException("--points must lie in 3..100001, got " + points);
        }
        if (degree < 0 || degree > HermiteSpectrum.MAX_DEGREE) {
            throw new UserErrorException("--degree must lie in 0.." + HermiteSpectrum.MAX_DEGREE + ", got " + degree);
        }
        if (dim < 2) {
            throw new UserErrorException("--dim must be at least 2, got " + dim);
        }
        Path out = output.folder(".");
        if (fixedPoint && sw2 == null) {
            throw new UserErrorException("--fixed-point needs --sw2 and --sb2: the fixed point q* belongs to one (sigma_w^2, sigma_b^2)");
        }
        DualActivation dual;
        String convention;
        if (sw2 == null) {
            dual = DualActivation.unitVariance(a);
            convention = "unit variance";
        } else if (fixedPoint) {
            double q = new MeanField(a).at(sw2, sb2).qStar();
            if (!(q > 0) || !Double.isFinite(q)) {
                throw new UserErrorException("--fixed-point: q* is " + q + " at sigma_w^2 = " + sw2 + ", sigma_b^2 = " + sb2
                        + "; choose a point with a finite positive fixed point (see aleph phase)");
            }
            dual = DualActivation.atFixedPoint(a, sw2, sb2, q);
            convention = "fixed point q* = " + String.format(Locale.ROOT, "%.6g", q);
        } else {
            dual = DualActivation.network(a, sw2, sb2);
            convention = "network";
        }

        double[] rho = new double[points];
        for (int i = 0; i < points; i++) {
            rho[i] = Math.max(-1, Math.min(1, -1 + 2.0 * i / (points - 1)));
        }
        DualCurves curves = dual.compose(rho, depth, Runtime.getRuntime().availableProcessors());
        double[] hermite = HermiteSpectrum.coefficients(a, degree);
        int cores = Runtime.getRuntime().availableProcessors();
        DualCurves atNodes = dual.compose(SphereSpectrum.nodes(), depth, cores); // NNGP and NTK in one pass
        requireFinite(curves, depth);
        requireFinite(atNodes, depth);
        SphereSpectrum nngp = SphereSpectrum.fromValues(atNodes.nngp(depth), dim, degree);
        SphereSpectrum ntk = SphereSpectrum.fromValues(atNodes.ntk(depth), dim, degree);

        String name = OutputFolder.fileName(act);
        List<Path> files = new ArrayList<>();
        try (OutputGroup group = new OutputGroup()) {
            files.addAll(DualFigure.of(a.name(), convention, rho, curves).stage(group, out.resolve("dual-" + name)));
            files.add(OutputFolder.stageText(group, out.resolve("dual-" + name + ".csv"), dualCsv(a, dual, rho, curves)));
            files.addAll(SpectrumFigure.of(a.name(), hermite, nngp, ntk).stage(group, out.resolve("spectrum-" + name)));
            files.add(OutputFolder.stageText(group, out.resolve("spectrum-" + name + ".csv"), spectrumCsv(a, hermite, nngp, ntk)));
            group.commit();
        }

        PrintWriter o = spec.commandLine().getOut();
        if (json.on()) {
            JsonWriter j = new JsonWriter().beginObject()
                    .name("activation").value(a.name())
                    .name("provenance").value(a.provenance().toString())
                    .name("convention").value(convention)
                    .name("sw2").value(dual.sw2()).name("sb2").value(dual.sb2())
                    .name("depth").value(depth).name("dimension").value(dim)
                    .name("variance").value(curves.variance(depth))
                    .name("ntk_diagonal").value(curves.ntkDiagonal(depth))
                    .name("hermite").vector(hermite)
                    .name("nngp_eigenvalues").vector(nngp.eigenvalues())
                    .name("ntk_eigenvalues").vector(ntk.eigenvalues())
                    .name("multiplicities").vector(nngp.multiplicities())
                    .name("nngp_partial_trace").value(nngp.trace())
                    .name("ntk_partial_trace").value(ntk.trace())
                    .name("files").beginArray();
            for (Path f : files) {
                j.value(f.toString());
            }
            o.println(j.endArray().endObject());
        } else {
            o.printf(Locale.ROOT, "%s (%s), %s: sigma_w^2 = %.6g, sigma_b^2 = %.6g, depth %d%n",
                    a.name(), a.provenance(), convention, dual.sw2(), dual.sb2(), depth);
            o.printf(Locale.ROOT, "  NNGP k_L(1) = %.6g, NTK theta_L(1) = %.6g%n", curves.variance(depth), curves.ntkDiagonal(depth));
            o.printf(Locale.ROOT, "  Hermite a_0..a_%d: %s%n", Math.min(5, degree), head(hermite, 6));
            o.printf(Locale.ROOT, "  NNGP eigenvalues on S^%d, k = 0..%d: %s (sum N(d,k) mu_k = %.6g of %.6g)%n",
                    dim - 1, Math.min(5, degree), head(nngp.eigenvalues(), 6), nngp.trace(), curves.variance(depth));
            for (Path f : files) {
                o.println("wrote " + f);
            }
        }
        o.flush();
        return 0;
    }

    private static String head(double[] v, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(n, v.length); i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return b.toString();
    }

    /**
     * Refuses curves that overflowed (a variance that grows without bound from layer to layer,
     * e.g. Exp at sigma_w^2 = 3), naming the first depth, instead of writing NaN or Infinity.
     */
    private void requireFinite(DualCurves c, int depth) {
        for (int l = 1; l <= depth; l++) {
            boolean finite = Double.isFinite(c.variance(l)) && Double.isFinite(c.ntkDiagonal(l));
            for (double v : c.nngp(l)) {
                finite &= Double.isFinite(v);
            }
            for (double v : c.ntk(l)) {
                finite &= Double.isFinite(v);
            }
            if (!finite) {
                throw new UserErrorException(String.format(Locale.ROOT, "%s: the kernel is not finite at depth %d (variance %s): the "
                        + "variance grows without bound from layer to layer%s; lower --depth%s", act, l, c.variance(l),
                        sw2 == null ? "" : " at sigma_w^2 = " + sw2 + ", sigma_b^2 = " + sb2,
                        sw2 == null ? "" : " or --sw2/--sb2 (aleph phase shows where q* is finite)"));
            }
        }
    }

    private static String dualCsv(Activation a, DualActivation dual, double[] rho, DualCurves c) {
        StringBuilder s = new StringBuilder();
        s.append("# aleph dual --act ").append(a.name()).append(": sigma_w^2 = ").append(dual.sw2()).append(", sigma_b^2 = ").append(dual.sb2())
                .append(", input layer sigma_w0^2 = ").append(dual.inputW2()).append(", sigma_b0^2 = ").append(dual.inputB2()).append('\n');
        s.append("# k_L(1) by depth:");
        for (int l = 1; l <= c.depth(); l++) {
            s.append(' ').append(c.variance(l));
        }
        s.append("\n# theta_L(1) by depth:");
        for (int l = 1; l <= c.depth(); l++) {
            s.append(' ').append(c.ntkDiagonal(l));
        }
        s.append("\n# rho");
        for (int l = 1; l <= c.depth(); l++) {
            s.append(",nngp_").append(l);
        }
        for (int l = 1; l <= c.depth(); l++) {
            s.append(",ntk_").append(l);
        }
        s.append('\n');
        double[][] k = new double[c.depth()][];
        double[][] t = new double[c.depth()][];
        for (int l = 1; l <= c.depth(); l++) {
            k[l - 1] = c.normalisedNngp(l);
            t[l - 1] = c.normalisedNtk(l);
        }
        for (int i = 0; i < rho.length; i++) {
            s.append(rho[i]);
            for (double[] row : k) {
                s.append(',').append(row[i]);
            }
            for (double[] row : t) {
                s.append(',').append(row[i]);
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static String spectrumCsv(Activation a, double[] hermite, SphereSpectrum nngp, SphereSpectrum ntk) {
        StringBuilder s = new StringBuilder();
        s.append("# aleph dual --act ").append(a.name()).append(": Hermite coefficients and eigenvalues on S^").append(nngp.dimension() - 1).append('\n');
        s.append("# k,a_k,mu_k_nngp,mu_k_ntk,multiplicity\n");
        double[] mk = nngp.eigenvalues();
        double[] tk = ntk.eigenvalues();
        double[] nk = nngp.multiplicities();
        for (int k = 0; k < hermite.length; k++) {
            s.append(k).append(',').append(hermite[k]).append(',').append(mk[k]).append(',').append(tk[k]).append(',').append(nk[k]).append('\n');
        }
        return s.toString();
    }
}
