package org.aleph.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A builder for heat maps of a function on a regular grid, with optional contour lines of
 * the same or another field and overlaid curves:
 * <pre>{@code
 * JFreeChart c = HeatMap.titled("Erf: chi_1").x("sigma_w^2").y("sigma_b^2")
 *         .values(sw2, sb2, chi1, Palette.diverging(0, 1, 2), "chi_1")
 *         .contours(sw2, sb2, logQ, levels, l -> "q* = " + Math.exp(l))
 *         .curve("critical line", lineX, lineY).chart();
 * }</pre>
 * Grid values are z[i][j] at (x[i], y[j]), x and y increasing and evenly spaced.
 */
public final class HeatMap {

    private record Curve(String name, double[] x, double[] y) {
    }

    private record ContourSet(double[] x, double[] y, double[][] z, double[] levels, DoubleFunction<String> label, boolean solid) {
    }

    private final String title;
    private String xLabel = "x";
    private String yLabel = "y";
    private double[] gx;
    private double[] gy;
    private double[][] gz;
    private Palette palette;
    private String scaleLabel = "";
    private final List<ContourSet> contours = new ArrayList<>();
    private final List<Curve> curves = new ArrayList<>();

    private HeatMap(String title) {
        this.title = title;
    }

    /** A new heat map with a title. */
    public static HeatMap titled(String title) {
        return new HeatMap(title);
    }

    /** The x axis label. */
    public HeatMap x(String label) {
        this.xLabel = label;
        return this;
    }

    /** The y axis label. */
    public HeatMap y(String label) {
        this.yLabel = label;
        return this;
    }

    /** The coloured field and its colour scale (with the scale's label). */
    public HeatMap values(double[] x, double[] y, double[][] z, Palette scale, String label) {
        checkGrid(x, y, z);
        this.gx = x.clone();
        this.gy = y.clone();
        this.gz = z;
        this.palette = scale;
        this.scaleLabel = label;
        return this;
    }

    /** Contour lines of a field on a grid at the given levels, each labelled by {@code label}. */
    public HeatMap contours(double[] x, double[] y, double[][] z, double[] levels, DoubleFunction<String> label) {
        checkGrid(x, y, z);
        contours.add(new ContourSet(x.clone(), y.clone(), z, levels.clone(), label, false));
        return this;
    }

    /** One emphasised (solid, black) contour line of a field, e.g. chi_1 = 1. */
    public HeatMap levelLine(double[] x, double[] y, double[][] z, double level, String label) {
        checkGrid(x, y, z);
        contours.add(new ContourSet(x.clone(), y.clone(), z, new double[] {level}, l -> label, true));
        return this;
    }

    /** A curve drawn over the map (e.g. a critical line), listed in the legend. */
    public HeatMap curve(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("curve " + name + ": " + x.length + " x values but " + y.length + " y values");
        }
        curves.add(new Curve(name, x.clone(), y.clone()));
        return this;
    }

    /** The chart. */
    public JFreeChart chart() {
        if (gz == null) {
            throw new IllegalStateException("values(...) must be given before chart()");
        }
        int nx = gx.length;
        int ny = gy.length;
        double[][] series = new double[3][nx * ny];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                int e = i * ny + j;
                series[0][e] = gx[i];
                series[1][e] = gy[j];
                series[2][e] = gz[i][j];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(scaleLabel, series);
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setSeriesVisibleInLegend(0, false);
        blocks.setBlockWidth(nx > 1 ? gx[1] - gx[0] : 1);
        blocks.setBlockHeight(ny > 1 ? gy[1] - gy[0] : 1);
        blocks.setPaintScale(palette);
        NumberAxis xAxis = new NumberAxis(xLabel);
        NumberAxis yAxis = new NumberAxis(yLabel);
        double hx = 0.5 * (nx > 1 ? gx[1] - gx[0] : 1);
        double hy = 0.5 * (ny > 1 ? gy[1] - gy[0] : 1);
        xAxis.setRange(gx[0] - hx, gx[nx - 1] + hx);
        yAxis.setRange(gy[0] - hy, gy[ny - 1] + hy);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, blocks);
        Style.apply(plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);

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
            boolean point = s.getItemCount() > 0 && extent(s) < 1e-9; // a curve collapsed to one point
            if (point) {
                double px = s.getX(0).doubleValue();
                double py = s.getY(0).doubleValue();
                s.clear();
                s.add(px, py);
            }
            lines.addSeries(s);
            lineRenderer.setSeriesPaint(k, k == 0 ? new Color(0x009E73) : LinePlot.COLOURS[k % LinePlot.COLOURS.length]);
            lineRenderer.setSeriesStroke(k, new BasicStroke(3f));
            lineRenderer.setSeriesShapesVisible(k, point);
            lineRenderer.setSeriesShape(k, new java.awt.geom.Ellipse2D.Double(-7, -7, 14, 14));
        }
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD); // curves over the blocks
        if (!curves.isEmpty()) {
            plot.setDataset(1, lines);
            plot.setRenderer(1, lineRenderer);
        }
        addContours(plot);

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, !curves.isEmpty());
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis scaleAxis = new NumberAxis(scaleLabel);
        scaleAxis.setRange(palette.getLowerBound(), palette.getUpperBound());
        scaleAxis.setLabelFont(Style.AXIS_LABEL);
        scaleAxis.setTickLabelFont(Style.TICK);
        PaintScaleLegend legend = new PaintScaleLegend(palette, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
        legend.setMargin(new RectangleInsets(8, 8, 8, 8));
        legend.setStripWidth(14);
        legend.setSubdivisionCount(256);
        chart.addSubtitle(legend);
        return chart;
    }

    /** Among the longer half of the segments, the one farthest from the plot's edges (labels are not clipped). */
    private static Contours.Segment labelSite(List<Contours.Segment> segments, double[] x, double[] y) {
        if (segments.isEmpty()) {
            return null;
        }
        double[] lengths = segments.stream().mapToDouble(Contours.Segment::length).sorted().toArray();
        double median = lengths[lengths.length / 2];
        double wx = x[x.length - 1] - x[0];
        double wy = y[y.length - 1] - y[0];
        Contours.Segment best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Contours.Segment s : segments) {
            if (s.length() < median) {
                continue;
            }
            double mx = 0.5 * (s.x1() + s.x2());
            double my = 0.5 * (s.y1() + s.y2());
            double score = Math.min(Math.min(mx - x[0], x[x.length - 1] - mx) / (wx > 0 ? wx : 1),
                    Math.min(my - y[0], y[y.length - 1] - my) / (wy > 0 ? wy : 1));
            if (score > bestScore) {
                bestScore = score;
                best = s;
            }
        }
        return best;
    }

    private static double extent(XYSeries s) {
        double d = 0;
        for (int i = 1; i < s.getItemCount(); i++) {
            d = Math.max(d, Math.hypot(s.getX(i).doubleValue() - s.getX(0).doubleValue(), s.getY(i).doubleValue() - s.getY(0).doubleValue()));
        }
        return d;
    }

    private void addContours(XYPlot plot) {
        BasicStroke dashed = new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 3f}, 0f);
        BasicStroke solid = new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        for (ContourSet set : contours) {
            BasicStroke stroke = set.solid() ? solid : dashed;
            Color ink = set.solid() ? Color.BLACK : new Color(0x333333);
            for (double level : set.levels()) {
                List<Contours.Segment> segments = Contours.at(set.x(), set.y(), set.z(), level);
                for (Contours.Segment seg : segments) {
                    plot.addAnnotation(new XYLineAnnotation(seg.x1(), seg.y1(), seg.x2(), seg.y2(), stroke, ink), false);
                }
                Contours.Segment longest = labelSite(segments, set.x(), set.y());
                if (longest != null) {
                    XYTextAnnotation text = new XYTextAnnotation(set.label().apply(level),
                            0.5 * (longest.x1() + longest.x2()), 0.5 * (longest.y1() + longest.y2()));
                    double fx = (text.getX() - set.x()[0]) / (set.x()[set.x().length - 1] - set.x()[0]);
                    text.setTextAnchor(fx < 0.12 ? TextAnchor.CENTER_LEFT : (fx > 0.88 ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER));
                    text.setFont(font);
                    text.setPaint(ink);
                    text.setBackgroundPaint(new Color(255, 255, 255, 190));
                    plot.addAnnotation(text, false);
                }
            }
        }
    }

    private static void checkGrid(double[] x, double[] y, double[][] z) {
        if (x.length < 1 || y.length < 1 || z.length != x.length) {
            throw new IllegalArgumentException("grid of " + x.length + " x " + y.length + " points but " + z.length + " rows of values");
        }
        for (double[] row : z) {
            if (row.length != y.length) {
                throw new IllegalArgumentException("a row of values has " + row.length + " entries, expected " + y.length);
            }
        }
    }
}
