package org.aleph.cli.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aleph.cli.demo.DemoSummary;
import org.aleph.cli.demo.RegressionStudy;
import org.aleph.cli.demo.SampleStatistics;
import org.aleph.cli.demo.WidthStudy;
import org.aleph.cli.plot.BandPlot;
import org.aleph.cli.plot.Figure;
import org.aleph.cli.plot.HistogramPlot;
import org.aleph.kernel.spi.Gaussians;
import org.jfree.chart.JFreeChart;

/**
 * The figure of {@link WidthStudy}: one column per width (finite widths, then infinity) and
 * three rows: sampled functions over the NNGP's 95% prior band, and the histogram of the
 * outputs at each of the two probe inputs against the NNGP density N(0, K(x, x)), with the
 * Kolmogorov-Smirnov distance, the excess kurtosis and the variance (and, in the last row,
 * the covariance of the two outputs) in each panel. Axes are shared along each row.
 */
public final class WidthFigure {

    /** Pixels per panel. */
    static final int PANEL_WIDTH = 560;
    static final int PANEL_HEIGHT = 430;
    /** Histogram range in prior standard deviations either side of 0. */
    static final double HISTOGRAM_SDS = 4;
    static final int BINS = 40;
    /** The y axis of a histogram reaches this multiple of the highest bar, leaving room for the note. */
    static final double HEADROOM = 1.55;

    private WidthFigure() {
    }

    /** The 3 x columns grid. */
    public static Figure of(WidthStudy.Result r) {
        WidthStudy.Settings s = r.settings();
        double[] grid = s.grid();
        double[] lo = new double[grid.length];
        double[] hi = new double[grid.length];
        double bound = 0;
        for (int i = 0; i < grid.length; i++) {
            double h = RegressionStudy.Z95 * Math.sqrt(Math.max(0, r.priorVariance()[i]));
            lo[i] = -h;
            hi[i] = h;
            bound = Math.max(bound, h);
        }
        double yMax = 1.15 * bound;
        for (WidthStudy.Column c : r.columns()) {
            for (double[] f : c.functions()) {
                for (double v : f) {
                    yMax = Math.max(yMax, Math.min(2.5 * bound, 1.05 * Math.abs(v)));
                }
            }
        }
        List<JFreeChart> charts = new ArrayList<>();
        for (WidthStudy.Column c : r.columns()) {
            boolean inf = c.width() == WidthStudy.INFINITE;
            BandPlot p = BandPlot.titled(inf ? "Infinite width: " + c.functions().length + " NNGP samples"
                            : "Width " + c.width() + ": " + c.functions().length + " random networks")
                    .x("x").y("f(x)").xRange(grid[0], grid[grid.length - 1]).yRange(-yMax, yMax)
                    .band("NNGP prior: 95% of functions lie in the band", grid, null, lo, hi, 6);
            for (int k = 0; k < c.functions().length; k++) {
                p.thin(grid, c.functions()[k], k % 6);
            }
            p.vertical(s.probes()[0], " a").vertical(s.probes()[1], " b");
            charts.add(p.chart());
        }
        for (int probe = 0; probe < 2; probe++) {
            double variance = probe == 0 ? r.probeKernel()[0] : r.probeKernel()[2];
            double sd = Math.sqrt(variance);
            double a = -HISTOGRAM_SDS * sd;
            double b = HISTOGRAM_SDS * sd;
            double[] xs = new double[201];
            double[] pdf = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = a + (b - a) * i / (xs.length - 1);
                pdf[i] = Gaussians.normalDensity(xs[i] / sd) / sd;
            }
            double top = Gaussians.normalDensity(0) / sd;
            for (WidthStudy.Column c : r.columns()) {
                for (double d : HistogramPlot.densities(c.outputs()[probe], a, b, BINS)) {
                    top = Math.max(top, d);
                }
            }
            top *= HEADROOM;
            String name = probe == 0 ? "a" : "b";
            String at = String.format(Locale.ROOT, "f(%s = %s)", name, DemoSummary.number(s.probes()[probe]));
            for (WidthStudy.Column c : r.columns()) {
                boolean inf = c.width() == WidthStudy.INFINITE;
                SampleStatistics st = c.statistics()[probe];
                StringBuilder note = new StringBuilder(String.format(Locale.ROOT,
                        "KS distance %.3f (p = %s)%nexcess kurtosis %.2f \u00b1 %.2f%nvariance %.4f \u00b1 %.4f (NNGP %.4f)",
                        st.ksDistance(), DemoSummary.pValue(st.ksPValue()), st.excessKurtosis(), st.kurtosisError(),
                        st.variance(), st.varianceError(), variance));
                if (probe == 1) {
                    note.append(String.format(Locale.ROOT, "%ncov(f(a), f(b)) %.4f \u00b1 %.4f (NNGP %.4f)",
                            c.covariance()[0], c.covariance()[1], r.probeKernel()[1]));
                }
                double out = HistogramPlot.outside(c.outputs()[probe], a, b);
                if (out > 0) {
                    note.append(String.format(Locale.ROOT, "%n%.1f%% of the values lie outside the axis", 100 * out));
                }
                charts.add(HistogramPlot.titled((inf ? "Infinite width" : "Width " + c.width()) + ": " + at)
                        .x(at).range(a, b, BINS).yMax(top)
                        .histogram(c.outputs()[probe].length + (inf ? " GP samples" : " networks"), c.outputs()[probe], 0)
                        .density("NNGP N(0, K(x,x))", xs, pdf, 1)
                        .note(note.toString()).chart());
            }
        }
        return Figure.grid(r.columns().size(), PANEL_WIDTH, PANEL_HEIGHT, charts);
    }
}
