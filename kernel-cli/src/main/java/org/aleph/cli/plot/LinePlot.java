package org.aleph.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A builder for line (and marker) plots of several series:
 * <pre>{@code
 * JFreeChart c = LinePlot.titled("Dual activation of Erf").x("rho").y("kappa_L(rho)")
 *         .series("L = 1", rho, k1).series("L = 2", rho, k2).dashed("identity", rho, rho).chart();
 * }</pre>
 * Non-finite points are left out (and, on a logarithmic axis, non-positive ones). Colours
 * follow the Okabe-Ito palette, distinguishable by colour-blind readers.
 */
public final class LinePlot {

    /** Okabe &amp; Ito (2008), "Color universal design". */
    static final Color[] COLOURS = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
    };

    private record Series(String name, double[] x, double[] y, boolean dashed, boolean markers) {
    }

    private final String title;
    private String xLabel = "x";
    private String yLabel = "y";
    private boolean logY;
    private boolean logX;
    private final List<Series> series = new ArrayList<>();

    private LinePlot(String title) {
        this.title = title;
    }

    /** A new plot with a title (may be empty). */
    public static LinePlot titled(String title) {
        return new LinePlot(title);
    }

    /** The x axis label. */
    public LinePlot x(String label) {
        this.xLabel = label;
        return this;
    }

    /** The y axis label. */
    public LinePlot y(String label) {
        this.yLabel = label;
        return this;
    }

    /** A logarithmic y axis. */
    public LinePlot logY() {
        this.logY = true;
        return this;
    }

    /** A logarithmic x axis. */
    public LinePlot logX() {
        this.logX = true;
        return this;
    }

    /** A solid line through the points. */
    public LinePlot series(String name, double[] x, double[] y) {
        return add(new Series(name, x.clone(), y.clone(), false, false));
    }

    /** A dashed line (references such as the identity). */
    public LinePlot dashed(String name, double[] x, double[] y) {
        return add(new Series(name, x.clone(), y.clone(), true, false));
    }

    /** Markers joined by a thin line (discrete data such as a spectrum by degree). */
    public LinePlot markers(String name, double[] x, double[] y) {
        return add(new Series(name, x.clone(), y.clone(), false, true));
    }

    private LinePlot add(Series s) {
        if (s.x().length != s.y().length) {
            throw new IllegalArgumentException("series " + s.name() + ": " + s.x().length + " x values but " + s.y().length + " y values");
        }
        series.add(s);
        return this;
    }

    /** The chart. */
    public JFreeChart chart() {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                double x = s.x()[i];
                double y = s.y()[i];
                if (Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0) && (!logX || x > 0)) {
                    xy.add(x, y);
                }
            }
            data.addSeries(xy);
            Color colour = COLOURS[k % COLOURS.length];
            renderer.setSeriesPaint(k, s.dashed() ? Color.GRAY : colour);
            renderer.setSeriesStroke(k, s.dashed()
                    ? new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(s.markers() ? 1f : 2f));
            renderer.setSeriesShapesVisible(k, s.markers());
        }
        XYPlot plot = new XYPlot(data, axis(xLabel, logX), axis(yLabel, logY), renderer);
        Style.apply(plot);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, series.size() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static ValueAxis axis(String label, boolean log) {
        if (log) {
            LogAxis a = new LogAxis(label);
            a.setBase(10);
            a.setSmallestValue(1e-300);
            a.setNumberFormatOverride(new java.text.DecimalFormat("0.#E0"));
            return a;
        }
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }
}
