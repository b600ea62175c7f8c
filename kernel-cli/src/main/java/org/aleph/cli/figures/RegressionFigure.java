package org.aleph.cli.figures;

import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.aleph.cli.demo.DemoSummary;
import org.aleph.cli.demo.RegressionStudy;
import org.aleph.cli.demo.ToyData;
import org.aleph.cli.plot.BandPlot;
import org.aleph.cli.plot.Figure;
import org.aleph.cli.plot.LinePlot;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.util.LogFormat;

/**
 * The figure of {@link RegressionStudy}: the NTK ensemble's mean and 95% band at the finite
 * times and at t = infinity, the NNGP posterior, each with the training data, the true
 * function and the train and test errors, and the errors of the ensemble mean against the
 * training time. The function panels share their axes.
 */
public final class RegressionFigure {

    static final int PANEL_WIDTH = 560;
    static final int PANEL_HEIGHT = 430;
    static final int COLUMNS = 3;

    private RegressionFigure() {
    }

    /** The grid: ensemble at the finite times, at infinity, NNGP posterior, error curve. */
    public static Figure of(RegressionStudy.Result r) {
        ToyData d = r.settings().data();
        List<RegressionStudy.Fit> shown = new ArrayList<>();
        for (double t : r.settings().times()) {
            shown.add(r.ntkAt(t));
        }
        shown.add(r.ntkAt(Double.POSITIVE_INFINITY));
        shown.add(r.nngp());
        double yMax = 0;
        for (RegressionStudy.Fit f : shown) {
            for (int i = 0; i < f.testMean().length; i++) {
                yMax = Math.max(yMax, Math.abs(f.testMean()[i]) + RegressionStudy.Z95 * f.testSd()[i]);
            }
        }
        for (double y : d.trainY()) {
            yMax = Math.max(yMax, Math.abs(y));
        }
        yMax *= 1.08;
        double[] x = d.testX();
        List<JFreeChart> charts = new ArrayList<>();
        for (RegressionStudy.Fit f : shown) {
            double[] lo = new double[x.length];
            double[] hi = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                lo[i] = f.testMean()[i] - RegressionStudy.Z95 * f.testSd()[i];
                hi[i] = f.testMean()[i] + RegressionStudy.Z95 * f.testSd()[i];
            }
            int colour = f.ntk() ? 0 : 2;
            charts.add(BandPlot.titled(f.ntk() ? f.label() : "NNGP posterior (exact Bayes)")
                    .x("x").y("f(x)").xRange(x[0], x[x.length - 1]).yRange(-yMax, yMax)
                    .band("mean \u00b1 1.96 sd", x, f.testMean(), lo, hi, colour)
                    .dashed("sin(x)", x, d.testY())
                    .points(d.trainX().length + " training points", d.trainX(), d.trainY())
                    .note(String.format(Locale.ROOT, "train RMSE %.4f%ntest RMSE %.4f", f.trainRmse(), f.testRmse()))
                    .chart());
        }
        double[] t = r.settings().curveTimes();
        double[] nngpTest = new double[t.length];
        Arrays.fill(nngpTest, r.nngp().testRmse());
        JFreeChart errors = LinePlot.titled("Error of the NTK ensemble mean").x("training time t (steps of learning rate "
                        + DemoSummary.number(r.settings().learningRate()) + ")").y("RMSE").logX().logY()
                .series("train (noisy targets)", t, r.curveTrainRmse())
                .series("test (sin x)", t, r.curveTestRmse())
                .dashed("NNGP posterior, test", t, nngpTest)
                .chart();
        for (ValueAxis axis : new ValueAxis[] {errors.getXYPlot().getDomainAxis(), errors.getXYPlot().getRangeAxis()}) {
            if (axis instanceof LogAxis log) { // one tick per decade, labelled 10^k
                log.setTickUnit(new NumberTickUnit(1), false, true);
                LogFormat format = new LogFormat(10, "10", "^", true);
                format.setExponentFormat(new DecimalFormat("0"));
                log.setNumberFormatOverride(format);
            }
        }
        charts.add(errors);
        return Figure.grid(COLUMNS, PANEL_WIDTH, PANEL_HEIGHT, charts);
    }
}
