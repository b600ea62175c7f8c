package org.aleph.cli.figures;

import java.util.ArrayList;
import java.util.List;
import org.aleph.cli.plot.Figure;
import org.aleph.cli.plot.LinePlot;
import org.aleph.kernel.theory.DualCurves;

/**
 * The first figure of {@code aleph dual}: side by side, the NNGP dual k_L(rho) / k_L(1) and the
 * NTK dual theta_L(rho) / theta_L(1) of an activation composed over depths L (Daniely et al.
 * 2016; Jacot et al. 2018), one line per shown depth (every depth up to 8, else 1, 2, 4, ...
 * and L), with the identity dashed for reference.
 */
public final class DualFigure {

    private DualFigure() {
    }

    /**
     * The two panels for {@code activation}.
     *
     * @param convention the NNGP's convention, shown in the first title
     * @param rho        the input correlations, from -1 to 1
     * @param c          the curves at depths 1..L over {@code rho}
     */
    public static Figure of(String activation, String convention, double[] rho, DualCurves c) {
        LinePlot k = LinePlot.titled(activation + ": NNGP dual (" + convention + ")").x("input correlation \u03c1").y("k_L(\u03c1) / k_L(1)");
        LinePlot t = LinePlot.titled(activation + ": NTK dual").x("input correlation \u03c1").y("\u03b8_L(\u03c1) / \u03b8_L(1)");
        for (int l : shownDepths(c.depth())) {
            k.series("L = " + l, rho, c.normalisedNngp(l));
            t.series("L = " + l, rho, c.normalisedNtk(l));
        }
        k.dashed("identity", rho, rho);
        t.dashed("identity", rho, rho);
        return Figure.of(k.chart(), t.chart());
    }

    /** Depths drawn: all up to 8, else 1, 2, 4, ... and L. */
    static int[] shownDepths(int depth) {
        List<Integer> d = new ArrayList<>();
        if (depth <= 8) {
            for (int l = 1; l <= depth; l++) {
                d.add(l);
            }
        } else {
            for (int l = 1; l < depth; l *= 2) {
                d.add(l);
            }
            d.add(depth);
        }
        return d.stream().mapToInt(Integer::intValue).toArray();
    }
}
