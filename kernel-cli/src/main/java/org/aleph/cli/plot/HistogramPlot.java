package org.aleph.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A builder for histograms normalised as densities (bar height = count / (n * bin width), so
 * that the bars integrate to the fraction of the sample inside the range) with density
 * curves drawn over them:
 * <pre>{@code
 * JFreeChart c = HistogramPlot.titled("f(0.5), width 4").x("f(0.5)").range(-3, 3, 40)
 *         .histogram("2000 networks", values, 0)
 *         .density("N(0, K(x,x))", grid, pdf).note("KS D = 0.05").chart();
 * }</pre>
 * Values outside the range are counted but not drawn; {@link #outside} says what fraction
 * that was. Bars are translucent, flat (no gradient) and drawn below the curves.
 */
public final class HistogramPlot {

    private record Histogram(String name, double[] values, int colour) {
    }

    private record Curve(String name, double[] x, double[] y, int colour) {
    }

    private final String title;
    private String xLabel = "x";
    private String yLabel = "density";
    private double lower = Double.NaN;
    private double upper = Double.NaN;
    private int bins = 40;
    private double yMax = Double.NaN;
    private String note;
    private final List<Histogram> histograms = new ArrayList<>();
    private final List<Curve> curves = new ArrayList<>();

    private HistogramPlot(String title) {
        this.title = title;
    }

    /** A new plot with a title (may be empty). */
    public static HistogramPlot titled(String title) {
        return new HistogramPlot(title);
    }

    /** The x axis label. */
    public HistogramPlot x(String label) {
        this.xLabel = label;
        return this;
    }

    /** The y axis label (default "density"). */
    public HistogramPlot y(String label) {
        this.yLabel = label;
        return this;
    }

    /** The binned range [lower, upper] (also the x axis range) and the number of bins. */
    public HistogramPlot range(double lower, double upper, int bins) {
        if (!(lower < upper) || !Double.isFinite(lower) || !Double.isFinite(upper) || bins < 1) {
            throw new IllegalArgumentException("need finite lower < upper and bins >= 1, got " + lower + ", " + upper + ", " + bins);
        }
        this.lower = lower;
        this.upper = upper;
        this.bins = bins;
        return this;
    }

    /** A fixed upper end of the y axis (to share it between panels); the lower end is 0. */
    public HistogramPlot yMax(double max) {
        if (!(max > 0) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("need a finite yMax > 0, got " + max);
        }
        this.yMax = max;
        return this;
    }

    /** A text box in the upper right corner (lines separated by '\n'). */
    public HistogramPlot note(String text) {
        this.note = text;
        return this;
    }

    /** A histogram of {@code values}. */
    public HistogramPlot histogram(String name, double[] values, int colour) {
        histograms.add(new Histogram(name, values.clone(), colour));
        return this;
    }

    /** A density curve drawn over the bars. */
    public HistogramPlot density(String name, double[] x, double[] y, int colour) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("curve " + name + ": " + x.length + " x values but " + y.length + " y values");
        }
        curves.add(new Curve(name, x.clone(), y.clone(), colour));
        return this;
    }

    /** The density heights of {@code values} in {@code bins} equal bins on [lower, upper]. */
    public static double[] densities(double[] values, double lower, double upper, int bins) {
        double[] h = new double[bins];
        double w = (upper - lower) / bins;
        for (double v : values) {
            if (v >= lower && v <= upper) {
                h[Math.min(bins - 1, (int) ((v - lower) / w))] += 1;
            }
        }
        for (int i = 0; i < bins; i++) {
            h[i] /= values.length * w;
        }
        return h;
    }

    /** The fraction of {@code values} outside [lower, upper]. */
    public static double outside(double[] values, double lower, double upper) {
        int out = 0;
        for (double v : values) {
            if (!(v >= lower && v <= upper)) {
                out++;
            }
        }
        return values.length == 0 ? 0 : (double) out / values.length;
    }

    /** The chart. */
    public JFreeChart chart() {
        if (Double.isNaN(lower)) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Histogram h : histograms) {
                for (double v : h.values()) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            range(Double.isFinite(lo) ? lo : 0, Double.isFinite(hi) && hi > lo ? hi : lo + 1, bins);
        }
        XYIntervalSeriesCollection bars = new XYIntervalSeriesCollection();
        XYBarRenderer barRenderer = new XYBarRenderer();
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        barRenderer.setDrawBarOutline(true);
        double w = (upper - lower) / bins;
        for (int k = 0; k < histograms.size(); k++) {
            Histogram h = histograms.get(k);
            double[] d = densities(h.values(), lower, upper, bins);
            XYIntervalSeries s = new XYIntervalSeries(h.name());
            for (int i = 0; i < bins; i++) {
                double a = lower + i * w;
                s.add(a + 0.5 * w, a, a + w, d[i], 0, d[i]);
            }
            bars.addSeries(s);
            Color c = BandPlot.colour(h.colour());
            barRenderer.setSeriesPaint(k, new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
            barRenderer.setSeriesOutlinePaint(k, new Color(c.getRed(), c.getGreen(), c.getBlue(), 200));
            barRenderer.setSeriesOutlineStroke(k, new BasicStroke(0.6f));
        }
        XYSeriesCollection lines = new XYSeriesCollection();
        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        for (int k = 0; k < curves.size(); k++) {
            Curve c = curves.get(k);
            XYSeries s = new XYSeries(c.name(), false, true);
            for (int i = 0; i < c.x().length; i++) {
                if (Double.isFinite(c.x()[i]) && Double.isFinite(c.y()[i])) {
                    s.add(c.x()[i], c.y()[i]);
                }
            }
            lines.addSeries(s);
            lineRenderer.setSeriesPaint(k, BandPlot.colour(c.colour()));
            lineRenderer.setSeriesStroke(k, new BasicStroke(2.5f));
        }
        NumberAxis xAxis = new NumberAxis(xLabel);
        xAxis.setRange(lower, upper);
        NumberAxis yAxis = new NumberAxis(yLabel);
        yAxis.setAutoRangeIncludesZero(true);
        if (!Double.isNaN(yMax)) {
            yAxis.setRange(0, yMax);
        }
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(xAxis);
        plot.setRangeAxis(yAxis);
        plot.setDataset(0, lines);    // index 0 is drawn last, on top
        plot.setRenderer(0, lineRenderer);
        plot.setDataset(1, bars);
        plot.setRenderer(1, barRenderer);
        Style.apply(plot);
        if (note != null) {
            plot.addAnnotation(CornerNote.upperRight(note), false);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(2, 2, 2, 12)); // room for the last tick label on the x axis
        chart.getLegend().setItemFont(Style.TICK);
        return chart;
    }
}
