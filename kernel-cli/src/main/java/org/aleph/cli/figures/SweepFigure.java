package org.aleph.cli.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aleph.cli.plot.Figure;
import org.aleph.cli.plot.HeatMap;
import org.aleph.cli.plot.Palette;
import org.aleph.kernel.fit.GridSweep;
import org.aleph.kernel.theory.CriticalLine;
import org.jfree.chart.JFreeChart;

/**
 * The figure of one depth of {@code aleph sweep}, after Lee et al. 2018 (figure 4): side by
 * side, heat maps over (sigma_w^2, sigma_b^2) of the validation score (accuracy, or RMSE for
 * regression) and of the log marginal likelihood, each with the order-to-chaos critical line
 * (chi_1 = 1 along the fixed point q*), the level line chi_1 = 1 of the mean-field grid, dashed
 * contours of the correlation depth scale xi_c (Schoenholz et al. 2017: signals propagate
 * through about xi_c layers; networks deeper than a few xi_c are not trainable and their NNGP
 * forgets the input), and the best point of each panel. The colours span the top of each
 * score's range (accuracy: 0.15; other scores: 25% of the largest magnitude) and saturate below.
 */
public final class SweepFigure {

    /** Levels of the xi_c contours. */
    static final double[] XI_LEVELS = {1, 2, 5, 10, 20, 50};

    /** Size of the figure in pixels: two panels side by side. */
    static final int WIDTH = 1600;
    static final int HEIGHT = 680;

    /**
     * The sweep's values on its grid at one depth, {@code score[i][j]} and
     * {@code logLikelihood[i][j]} at (sw2[i], sb2[j]).
     *
     * @param accuracy true when the score is a classification accuracy (higher is better), false for an RMSE
     */
    public record Scores(double[] sw2, double[] sb2, double[][] score, double[][] logLikelihood, boolean accuracy) {
    }

    /**
     * The mean field on a grid, {@code chi1[i][j]} and {@code log10XiC[i][j]} at (sw2[i], sb2[j]);
     * log10 xi_c is NaN where xi_c is undefined, 10 where it is infinite.
     */
    public record MeanFieldMap(double[] sw2, double[] sb2, double[][] chi1, double[][] log10XiC) {
    }

    private SweepFigure() {
    }

    /**
     * The two panels for {@code activation} at {@code depth}.
     *
     * @param bestScore      the point with the best validation score, marked in the first panel (null: none)
     * @param bestLikelihood the point with the largest log marginal likelihood, marked in the second (null: none)
     */
    public static Figure of(String activation, int depth, Scores s, MeanFieldMap map, CriticalLine line, GridSweep.Point bestScore,
                            GridSweep.Point bestLikelihood) {
        List<JFreeChart> charts = new ArrayList<>();
        boolean classes = s.accuracy();
        String scoreName = classes ? "validation accuracy" : "validation RMSE";
        charts.add(panel(activation + ", depth " + depth + ": " + scoreName, s.sw2(), s.sb2(), s.score(), scoreName, classes, classes, line,
                map, bestScore));
        charts.add(panel(activation + ", depth " + depth + ": log marginal likelihood", s.sw2(), s.sb2(), s.logLikelihood(),
                "log marginal likelihood (scale profiled)", false, true, line, map, bestLikelihood));
        return Figure.of(charts.toArray(new JFreeChart[0])).size(WIDTH, HEIGHT);
    }

    private static JFreeChart panel(String title, double[] x, double[] y, double[][] z, String label, boolean accuracy,
                                    boolean higherIsBetter, CriticalLine line, MeanFieldMap m, GridSweep.Point best) {
        double[] fx = m.sw2();
        double[] fy = m.sb2();
        double[][] chi = m.chi1();
        double[][] logXi = m.log10XiC();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : z) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo < hi)) {
            lo = Double.isFinite(lo) ? lo - 1 : 0;
            hi = lo + 2;
        }
        // The interesting part is near the best value: the colours span the top SPAN of the range
        // (accuracy: 0.15; other scores: 25% of the largest magnitude) and saturate below, as the label says.
        double span = accuracy ? 0.15 : 0.25 * Math.max(Math.abs(hi), Math.abs(lo));
        if (higherIsBetter && hi - lo > span) {
            lo = hi - span;
            label = label + String.format(Locale.ROOT, " (darkest: <= %.4g)", lo);
        } else if (!higherIsBetter && hi - lo > span) {
            hi = lo + span;
            label = label + String.format(Locale.ROOT, " (brightest: >= %.4g)", hi);
        }
        List<Double> levels = new ArrayList<>();
        for (double l : XI_LEVELS) {
            levels.add(Math.log10(l));
        }
        double[] lv = levels.stream().mapToDouble(Double::doubleValue).toArray();
        HeatMap map = HeatMap.titled(title)
                .x("\u03c3w\u00b2 (weight variance)").y("\u03c3b\u00b2 (bias variance)")
                .values(x, y, z, Palette.sequential(lo, hi), label)
                .curve("critical line \u03c7\u2081 = 1", line.sw2(), line.sb2())
                .levelLine(fx, fy, chi, 1.0, "\u03c7\u2081 = 1")
                .contours(fx, fy, logXi, lv, l -> String.format(Locale.ROOT, "\u03bec = %.0f", Math.pow(10, l)));
        if (best != null) {
            map.curve(String.format(Locale.ROOT, "best (%.3g, %.3g)", best.sw2(), best.sb2()), new double[] {best.sw2()},
                    new double[] {best.sb2()});
        }
        return map.chart();
    }
}
