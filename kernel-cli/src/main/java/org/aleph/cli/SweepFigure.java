package org.aleph.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aleph.cli.plot.Figure;
import org.aleph.cli.plot.HeatMap;
import org.aleph.cli.plot.Palette;
import org.aleph.kernel.fit.GridSweep;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.theory.CriticalLine;
import org.aleph.kernel.theory.MeanField;
import org.aleph.kernel.theory.SignalPropagation;
import org.jfree.chart.JFreeChart;

/**
 * The figure of one depth of {@code aleph sweep}, after Lee et al. 2018 (figure 4): side by
 * side, heat maps over (sigma_w^2, sigma_b^2) of the validation score (accuracy, or RMSE for
 * regression) and of the log marginal likelihood, each with the order-to-chaos critical line
 * (chi_1 = 1 along the fixed point q*, from {@link MeanField#criticalLine}), the level line
 * chi_1 = 1 of the grid, dashed contours of the correlation depth scale xi_c (Schoenholz et
 * al. 2017: signals propagate through about xi_c layers; networks deeper than a few xi_c are
 * not trainable and their NNGP forgets the input), and the best point of each panel.
 */
final class SweepFigure {

    /** Levels of the xi_c contours. */
    static final double[] XI_LEVELS = {1, 2, 5, 10, 20, 50};

    /** Points per axis of the mean-field grid behind the contours. */
    static final int FINE = 61;

    private SweepFigure() {
    }

    static List<Path> draw(org.aleph.kernel.io.OutputGroup group, Activation a, MeanField mf, CriticalLine line, double[] sw2, double[] sb2, int depth,
                           List<GridSweep.Point> points, boolean classes, List<SweepCommand.Best> best, int threads, Path base) {
        int nx = sw2.length;
        int ny = sb2.length;
        double[][] score = new double[nx][ny];
        double[][] lml = new double[nx][ny];
        for (GridSweep.Point p : points) {
            if (p.depth() != depth) {
                continue;
            }
            int i = indexOf(sw2, p.sw2());
            int j = indexOf(sb2, p.sb2());
            score[i][j] = classes ? p.accuracy() : p.rmse();
            lml[i][j] = p.logMarginalLikelihood();
        }
        // mean-field chi_1 and depth scale on a finer grid over the same extent, for smooth contours
        int f = FINE;
        double[] fx = new double[f];
        double[] fy = new double[f];
        for (int i = 0; i < f; i++) {
            fx[i] = sw2[0] + (sw2[nx - 1] - sw2[0]) * i / (f - 1);
            fy[i] = sb2[0] + (sb2[ny - 1] - sb2[0]) * i / (f - 1);
        }
        double[] w = new double[f * f];
        double[] b = new double[f * f];
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                w[i * f + j] = fx[i];
                b[i * f + j] = fy[j];
            }
        }
        SignalPropagation[] sp = mf.at(w, b, threads);
        double[][] chi = new double[f][f];
        double[][] xi = new double[f][f];
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                chi[i][j] = sp[i * f + j].chi1();
                double x = sp[i * f + j].xiC();
                xi[i][j] = x > 0 && Double.isFinite(x) ? Math.log10(x) : (x == Double.POSITIVE_INFINITY ? 10 : Double.NaN);
            }
        }
        List<JFreeChart> charts = new ArrayList<>();
        String scoreName = classes ? "validation accuracy" : "validation RMSE";
        charts.add(panel(a.name() + ", depth " + depth + ": " + scoreName, sw2, sb2, score, scoreName, classes, classes, line, fx, fy,
                chi, xi, bestOf(best, depth, true)));
        charts.add(panel(a.name() + ", depth " + depth + ": log marginal likelihood", sw2, sb2, lml,
                "log marginal likelihood (scale profiled)", false, true, line, fx, fy, chi, xi, bestOf(best, depth, false)));
        return Figure.of(charts.toArray(new JFreeChart[0])).size(1600, 680).stage(group, base);
    }

    private static GridSweep.Point bestOf(List<SweepCommand.Best> best, int depth, boolean validation) {
        for (SweepCommand.Best b : best) {
            if (b.depth() == depth && b.by().startsWith("validation") == validation) {
                return b.point();
            }
        }
        return null;
    }

    private static JFreeChart panel(String title, double[] x, double[] y, double[][] z, String label, boolean accuracy,
                                    boolean higherIsBetter, CriticalLine line, double[] fx, double[] fy, double[][] chi,
                                    double[][] logXi, GridSweep.Point best) {
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

    private static int indexOf(double[] g, double v) {
        for (int i = 0; i < g.length; i++) {
            if (g[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("grid value " + v + " not found");
    }
}
