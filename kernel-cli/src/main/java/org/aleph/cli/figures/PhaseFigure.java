package org.aleph.cli.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aleph.cli.plot.Figure;
import org.aleph.cli.plot.HeatMap;
import org.aleph.cli.plot.Palette;
import org.aleph.kernel.theory.CriticalLine;
import org.aleph.kernel.theory.SignalPropagation;

/**
 * The figure of {@code aleph phase}: the order-to-chaos phase diagram of an activation
 * (Poole et al. 2016; Schoenholz et al. 2017). A heat map of chi_1 = sigma_w^2
 * E[phi'(sqrt(q*) z)^2] over the (sigma_w^2, sigma_b^2) plane on a palette diverging at 1, its
 * level line chi_1 = 1 on the grid, the critical line (chi_1 = 1, c* = 1) parametrised by q*,
 * and contours of q* at 1 and 3 times the powers of ten inside its range (at most 8, every
 * other one dropped while there are more).
 */
public final class PhaseFigure {

    /** Size of the figure in pixels. */
    static final int WIDTH = 900;
    static final int HEIGHT = 720;

    private PhaseFigure() {
    }

    /**
     * The diagram of {@code activation} over the square grid {@code xs} x {@code ys} (n points each).
     *
     * @param pts  the mean field at every grid point, {@code pts[i * n + j]} at (xs[i], ys[j])
     * @param line the critical line chi_1 = 1, c* = 1
     */
    public static Figure of(String activation, double[] xs, double[] ys, SignalPropagation[] pts, CriticalLine line) {
        int n = xs.length;
        double[][] chi = new double[n][n];
        double[][] logQ = new double[n][n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                SignalPropagation p = pts[i * n + j];
                chi[i][j] = p.chi1();
                double q = p.qStar();
                logQ[i][j] = q > 0 && Double.isFinite(q) ? Math.log10(q) : Double.NaN;
                if (Double.isFinite(logQ[i][j])) {
                    lo = Math.min(lo, logQ[i][j]);
                    hi = Math.max(hi, logQ[i][j]);
                }
            }
        }
        List<Double> levels = new ArrayList<>();
        for (int k = (int) Math.floor(lo) - 1; k <= Math.ceil(hi) && lo <= hi; k++) {
            for (double m : new double[] {1, 3}) {
                double level = k + Math.log10(m);
                if (level > lo && level < hi) {
                    levels.add(level);
                }
            }
        }
        while (levels.size() > 8) { // keep every other level
            List<Double> thin = new ArrayList<>();
            for (int k = 0; k < levels.size(); k += 2) {
                thin.add(levels.get(k));
            }
            levels = thin;
        }
        double[] lv = levels.stream().mapToDouble(Double::doubleValue).toArray();
        HeatMap map = HeatMap.titled(activation + ": order-to-chaos phase diagram")
                .x("\u03c3w\u00b2 (weight variance)").y("\u03c3b\u00b2 (bias variance)")
                .values(xs, ys, chi, Palette.diverging(0, 1, 2), "\u03c7\u2081 = \u03c3w\u00b2 E[\u03c6'(\u221aq* z)\u00b2]")
                .levelLine(xs, ys, chi, 1.0, "\u03c7\u2081 = 1")
                .contours(xs, ys, logQ, lv, l -> String.format(Locale.ROOT, "q* = %.3g", Math.pow(10, l)))
                .curve("critical line (\u03c7\u2081 = 1, c* = 1)", line.sw2(), line.sb2());
        return Figure.of(map.chart()).size(WIDTH, HEIGHT);
    }
}
