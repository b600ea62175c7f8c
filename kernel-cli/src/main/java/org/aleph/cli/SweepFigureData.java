package org.aleph.cli;

import java.nio.file.Path;
import java.util.List;
import org.aleph.cli.figures.SweepFigure.MeanFieldMap;
import org.aleph.cli.figures.SweepFigure.Scores;
import org.aleph.kernel.io.OutputGroup;
import org.aleph.kernel.fit.GridSweep;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.theory.CriticalLine;
import org.aleph.kernel.theory.MeanField;
import org.aleph.kernel.theory.SignalPropagation;

/**
 * The data behind the figure of one depth of {@code aleph sweep}
 * ({@link org.aleph.cli.figures.SweepFigure}, which draws it): the sweep's scores and log
 * marginal likelihoods on its (sigma_w^2, sigma_b^2) grid, and the mean field's chi_1 and
 * log10 xi_c on a finer grid of {@value #FINE} points per axis over the same extent
 * ({@link MeanField}), for smooth contours.
 */
final class SweepFigureData {

    /** Points per axis of the mean-field grid behind the contours. */
    static final int FINE = 61;

    private SweepFigureData() {
    }

    /** Computes the data of depth {@code depth} and stages its figure in {@code group} as {@code base}.png and .svg. */
    static List<Path> draw(OutputGroup group, Activation a, MeanField mf, CriticalLine line, double[] sw2, double[] sb2, int depth,
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
        return org.aleph.cli.figures.SweepFigure.of(a.name(), depth, new Scores(sw2, sb2, score, lml, classes),
                new MeanFieldMap(fx, fy, chi, xi), line, bestOf(best, depth, true), bestOf(best, depth, false)).stage(group, base);
    }

    private static GridSweep.Point bestOf(List<SweepCommand.Best> best, int depth, boolean validation) {
        for (SweepCommand.Best b : best) {
            if (b.depth() == depth && b.by().startsWith("validation") == validation) {
                return b.point();
            }
        }
        return null;
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
