package org.aleph.cli.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * Contour lines of a function sampled on a rectangular grid, by marching squares (Lorensen &amp;
 * Cline 1987, in two dimensions) with linear interpolation along the cell edges. Cells with a
 * non-finite corner are skipped; the two ambiguous saddle cases are resolved by the cell mean.
 */
public final class Contours {

    /** One straight piece of a contour line. */
    public record Segment(double x1, double y1, double x2, double y2) {
        /** The length of the piece in data units. */
        public double length() {
            return Math.hypot(x2 - x1, y2 - y1);
        }
    }

    private Contours() {
    }

    /**
     * The segments of the level set {@code z = level}.
     *
     * @param x     grid abscissas, increasing (nx)
     * @param y     grid ordinates, increasing (ny)
     * @param z     values, z[i][j] at (x[i], y[j])
     * @param level the contour level
     */
    public static List<Segment> at(double[] x, double[] y, double[][] z, double level) {
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i + 1 < x.length; i++) {
            for (int j = 0; j + 1 < y.length; j++) {
                double a = z[i][j] - level;         // (x_i, y_j)
                double b = z[i + 1][j] - level;     // (x_i+1, y_j)
                double c = z[i + 1][j + 1] - level; // (x_i+1, y_j+1)
                double d = z[i][j + 1] - level;     // (x_i, y_j+1)
                if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c) && Double.isFinite(d))) {
                    continue;
                }
                double[][] pts = new double[4][];
                int n = 0;
                // edges in order: bottom (a-b), right (b-c), top (c-d), left (d-a)
                if ((a < 0) != (b < 0)) {
                    pts[n++] = new double[] {lerp(x[i], x[i + 1], a, b), y[j]};
                }
                if ((b < 0) != (c < 0)) {
                    pts[n++] = new double[] {x[i + 1], lerp(y[j], y[j + 1], b, c)};
                }
                if ((c < 0) != (d < 0)) {
                    pts[n++] = new double[] {lerp(x[i + 1], x[i], c, d), y[j + 1]};
                }
                if ((d < 0) != (a < 0)) {
                    pts[n++] = new double[] {x[i], lerp(y[j + 1], y[j], d, a)};
                }
                if (n == 2) {
                    out.add(new Segment(pts[0][0], pts[0][1], pts[1][0], pts[1][1]));
                } else if (n == 4) {
                    boolean centreAbove = (a + b + c + d) / 4 >= 0;
                    boolean aAbove = a >= 0;
                    if (centreAbove == aAbove) { // a's corner joins the centre: cut the other two corners
                        out.add(new Segment(pts[0][0], pts[0][1], pts[1][0], pts[1][1]));
                        out.add(new Segment(pts[2][0], pts[2][1], pts[3][0], pts[3][1]));
                    } else {
                        out.add(new Segment(pts[0][0], pts[0][1], pts[3][0], pts[3][1]));
                        out.add(new Segment(pts[1][0], pts[1][1], pts[2][0], pts[2][1]));
                    }
                }
            }
        }
        return out;
    }

    private static double lerp(double p, double q, double fp, double fq) {
        double t = fp / (fp - fq);
        return p + t * (q - p);
    }
}
