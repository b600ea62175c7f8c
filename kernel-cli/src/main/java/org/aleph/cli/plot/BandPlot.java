package org.aleph.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A builder for curves with shaded bands, e.g. a posterior mean with its 95% band, training
 * points and the true function, or sampled functions over the prior band:
 * <pre>{@code
 * JFreeChart c = BandPlot.titled("NNGP posterior").x("x").y("f(x)").yRange(-2, 2)
 *         .band("mean +- 1.96 sd", x, mean, lower, upper, 0)
 *         .dashed("sin(x)", x, truth).points("training data", xTrain, yTrain)
 *         .note("train RMSE 0.01").chart();
 * }</pre>
 * Bands are filled translucently (JFreeChart's {@link DeviationRenderer}) and drawn first, so that
 * lines and points stay on top. Thin lines ({@link #thin}) are left out of the legend. Colours
 * follow {@link LinePlot#COLOURS} (Okabe-Ito) by index.
 */
public final class BandPlot {

    private record Band(String name, double[] x, double[] mean, double[] lower, double[] upper, int colour) {
    }

    private record Curve(String name, double[] x, double[] y, int colour, Kind kind) {
    }

    private enum Kind { LINE, DASHED, THIN, POINTS }

    private final String title;
    private String xLabel = "x";
    private String yLabel = "y";
    private double[] xRange;
    private double[] yRange;
    private String note;
    private boolean legend = true;
    private final List<Band> bands = new ArrayList<>();
    private final List<Curve> curves = new ArrayList<>();
    private final List<Double> verticals = new ArrayList<>();
    private final List<String> verticalLabels = new ArrayList<>();

    private BandPlot(String title) {
        this.title = title;
    }

    /** A new plot with a title (may be empty). */
    public static BandPlot titled(String title) {
        return new BandPlot(title);
    }

    /** The x axis label. */
    public BandPlot x(String label) {
        this.xLabel = label;
        return this;
    }

    /** The y axis label. */
    public BandPlot y(String label) {
        this.yLabel = label;
        return this;
    }

    /** A fixed x range (to share the axis between panels). */
    public BandPlot xRange(double lower, double upper) {
        this.xRange = range(lower, upper);
        return this;
    }

    /** A fixed y range (to share the axis between panels). */
    public BandPlot yRange(double lower, double upper) {
        this.yRange = range(lower, upper);
        return this;
    }

    /** A text box in the upper left corner (several lines separated by '\n'). */
    public BandPlot note(String text) {
        this.note = text;
        return this;
    }

    /** Shows or hides the legend (shown by default when something is named). */
    public BandPlot legend(boolean show) {
        this.legend = show;
        return this;
    }

    /** A thin dotted vertical line at {@code x} with a label at its top (marks an input of interest). */
    public BandPlot vertical(double x, String label) {
        verticals.add(x);
        verticalLabels.add(label);
        return this;
    }

    /**
     * A shaded band from {@code lower} to {@code upper} with its centre line {@code mean}, or
     * without a centre line when {@code mean} is null.
     */
    public BandPlot band(String name, double[] x, double[] mean, double[] lower, double[] upper, int colour) {
        check(name, x, lower);
        check(name, x, upper);
        if (mean != null) {
            check(name, x, mean);
        }
        bands.add(new Band(name, x.clone(), mean == null ? null : mean.clone(), lower.clone(), upper.clone(), colour));
        return this;
    }

    /** A solid line. */
    public BandPlot line(String name, double[] x, double[] y, int colour) {
        return add(new Curve(name, x.clone(), y.clone(), colour, Kind.LINE));
    }

    /** A dashed dark line (a reference such as the true function). */
    public BandPlot dashed(String name, double[] x, double[] y) {
        return add(new Curve(name, x.clone(), y.clone(), 6, Kind.DASHED));
    }

    /** A thin line left out of the legend (one of many sampled functions). */
    public BandPlot thin(double[] x, double[] y, int colour) {
        return add(new Curve("", x.clone(), y.clone(), colour, Kind.THIN));
    }

    /** Markers without a line (data points). */
    public BandPlot points(String name, double[] x, double[] y) {
        return add(new Curve(name, x.clone(), y.clone(), 6, Kind.POINTS));
    }

    private BandPlot add(Curve c) {
        check(c.name(), c.x(), c.y());
        curves.add(c);
        return this;
    }

    /** The chart. */
    public JFreeChart chart() {
        NumberAxis xAxis = new NumberAxis(xLabel);
        NumberAxis yAxis = new NumberAxis(yLabel);
        xAxis.setAutoRangeIncludesZero(false);
        yAxis.setAutoRangeIncludesZero(false);
        if (xRange != null) {
            xAxis.setRange(xRange[0], xRange[1]);
        }
        if (yRange != null) {
            yAxis.setRange(yRange[0], yRange[1]);
        }
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(xAxis);
        plot.setRangeAxis(yAxis);

        XYSeriesCollection lines = new XYSeriesCollection();
        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        for (int k = 0; k < curves.size(); k++) {
            Curve c = curves.get(k);
            XYSeries s = new XYSeries(c.kind() == Kind.THIN ? "sample " + k : c.name(), false, true);
            for (int i = 0; i < c.x().length; i++) {
                if (Double.isFinite(c.x()[i]) && Double.isFinite(c.y()[i])) {
                    s.add(c.x()[i], c.y()[i]);
                }
            }
            lines.addSeries(s);
            Color colour = colour(c.colour());
            switch (c.kind()) {
                case LINE -> lineRenderer.setSeriesStroke(k, new BasicStroke(2.5f));
                case DASHED -> lineRenderer.setSeriesStroke(k,
                        new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
                case THIN -> {
                    lineRenderer.setSeriesStroke(k, new BasicStroke(1.3f));
                    lineRenderer.setSeriesVisibleInLegend(k, false);
                }
                case POINTS -> {
                    lineRenderer.setSeriesLinesVisible(k, false);
                    lineRenderer.setSeriesShapesVisible(k, true);
                    lineRenderer.setSeriesShape(k, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
                }
            }
            lineRenderer.setSeriesPaint(k, c.kind() == Kind.DASHED ? new Color(0x444444) : colour);
        }
        plot.setDataset(0, lines);
        plot.setRenderer(0, lineRenderer);

        YIntervalSeriesCollection intervals = new YIntervalSeriesCollection();
        DeviationRenderer bandRenderer = new DeviationRenderer(true, false);
        bandRenderer.setAlpha(0.25f);
        for (int k = 0; k < bands.size(); k++) {
            Band b = bands.get(k);
            YIntervalSeries s = new YIntervalSeries(b.name(), false, true);
            for (int i = 0; i < b.x().length; i++) {
                if (Double.isFinite(b.x()[i]) && Double.isFinite(b.lower()[i]) && Double.isFinite(b.upper()[i])) {
                    s.add(b.x()[i], b.mean() == null ? 0.5 * (b.lower()[i] + b.upper()[i]) : b.mean()[i], b.lower()[i], b.upper()[i]);
                }
            }
            intervals.addSeries(s);
            Color colour = colour(b.colour());
            bandRenderer.setSeriesPaint(k, colour);
            bandRenderer.setSeriesFillPaint(k, colour);
            bandRenderer.setSeriesStroke(k, new BasicStroke(2.5f));
            bandRenderer.setSeriesLinesVisible(k, b.mean() != null);
        }
        plot.setDataset(1, intervals);
        plot.setRenderer(1, bandRenderer);
        plot.setFixedLegendItems(legendItems(lineRenderer));
        Style.apply(plot);
        if (note != null) {
            plot.addAnnotation(CornerNote.upperLeft(note), false);
        }
        for (int i = 0; i < verticals.size(); i++) {
            ValueMarker m = new ValueMarker(verticals.get(i), new Color(0x555555),
                    new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 3f}, 0f));
            m.setLabel(verticalLabels.get(i));
            m.setLabelFont(Style.TICK);
            m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m);
        }
        boolean named = !bands.isEmpty() || curves.stream().anyMatch(c -> c.kind() != Kind.THIN);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, legend && named);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(2, 2, 2, 12)); // room for the last tick label on the x axis
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(Style.TICK);
        }
        return chart;
    }

    /** Bands as filled squares (with their centre line), then the named curves, in the order given. */
    private LegendItemCollection legendItems(XYLineAndShapeRenderer lineRenderer) {
        LegendItemCollection items = new LegendItemCollection();
        for (Band b : bands) {
            Color c = colour(b.colour());
            LegendItem item = new LegendItem(b.name(), null, null, null, true, new Rectangle2D.Double(-7, -7, 14, 14), true,
                    new Color(c.getRed(), c.getGreen(), c.getBlue(), 80), false, c, new BasicStroke(1f),
                    b.mean() != null, new Line2D.Double(-9, 0, 9, 0), new BasicStroke(2.5f), c);
            item.setLabelFont(Style.TICK);
            items.add(item);
        }
        for (int k = 0; k < curves.size(); k++) {
            if (curves.get(k).kind() != Kind.THIN) {
                LegendItem item = lineRenderer.getLegendItem(0, k);
                if (item != null) {
                    item.setLabelFont(Style.TICK);
                    items.add(item);
                }
            }
        }
        return items;
    }

    static Color colour(int index) {
        return LinePlot.COLOURS[Math.floorMod(index, LinePlot.COLOURS.length)];
    }

    private static double[] range(double lower, double upper) {
        if (!(lower < upper) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw new IllegalArgumentException("need finite lower < upper, got " + lower + ", " + upper);
        }
        return new double[] {lower, upper};
    }

    private static void check(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
        }
    }
}
