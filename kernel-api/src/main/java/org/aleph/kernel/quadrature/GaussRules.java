package org.aleph.kernel.quadrature;

import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * The fixed Gauss rules the quadrature uses, built once from Hipparchus
 * ({@link GaussIntegratorFactory#legendre(int)}, {@link GaussIntegratorFactory#hermite(int)})
 * and cached for the life of the JVM.
 *
 * <p>Legendre rules live on [-1, 1]. Hermite rules are rescaled to the standard normal
 * weight: node {@code sqrt(2) x_i}, weight {@code w_i / sqrt(pi)}, so that
 * {@code sum w_i g(z_i)} approximates E[g(Z)] for Z ~ N(0, 1) and is exact for polynomials of
 * degree below {@code 2n}. Every rule is built once per JVM.
 *
 * <p>{@link #maxPanelLength} is a measured table: the longest interval [a, a + h] inside
 * [-10, 10] on which the n-point Legendre rule integrates {@code exp(-z^2/2) (1 + z^2)} to a
 * given relative accuracy, wherever the interval lies (checked against 40-digit quadrature).
 */
final class GaussRules {

    /** Legendre sizes on offer, ascending. */
    static final int[] LEGENDRE_SIZES = {6, 8, 10, 12, 16, 20, 24, 32};

    /** Hermite (standard normal) sizes on offer, ascending. */
    static final int[] HERMITE_SIZES = {6, 10, 16, 24};

    /** log10 of the tolerances at which {@link #HMAX} was measured. */
    private static final double[] LOG_TOL = {-14, -12, -9, -6};

    /** HMAX[size index][tolerance index]: longest panel for that accuracy. */
    private static final double[][] HMAX = {
        {0.2, 0.3, 0.45, 1.0},
        {0.4, 0.6, 1.0, 1.9},
        {0.8, 1.2, 2.0, 5.5},
        {1.7, 2.5, 5.0, 7.0},
        {5.0, 6.0, 7.5, 10.0},
        {7.0, 8.0, 10.0, 12.5},
        {9.0, 10.5, 12.5, 15.0},
        {13.0, 14.0, 16.0, 19.0},
    };

    /** LEGENDRE_X[k], LEGENDRE_W[k]: nodes and weights of the rule LEGENDRE_SIZES[k]. */
    static final double[][] LEGENDRE_X;
    static final double[][] LEGENDRE_W;
    /**
     * LEGENDRE_TAIL[k][m][j] = (2 d + 1) / 2 w_j P_d(x_j) with d = {@link #tailDegree}(n, m): the dot
     * product with the values g(x_j) at the n nodes is the coefficient of P_d in the degree
     * n - 1 interpolant of g (exact, since the rule integrates degree 2n - 1), whose size tells
     * whether the panel resolves g ({@link PanelRefiner}).
     */
    static final double[][][] LEGENDRE_TAIL;
    /**
     * HERMITE_TAIL[k][m][j] = w_j h_d(z_j), d = {@link #tailDegree}(n, m), h_d = He_d / sqrt(d!) the normalised
     * probabilists' Hermite polynomials: the dot product with g(z_j) is the coefficient of h_d in
     * g's expansion as far as the rule sees it ({@link PanelRefiner}).
     */
    static final double[][][] HERMITE_TAIL;
    /**
     * LEGENDRE_MID[k][j] = L_j(0), the Lagrange basis of rule k at the midpoint 0 (never a node:
     * every size is even), so that the dot product with g(x_j) is the interpolant's value there.
     */
    static final double[][] LEGENDRE_MID;
    /** HERMITE_Z[k], HERMITE_W[k]: standard-normal nodes and weights of HERMITE_SIZES[k]. */
    static final double[][] HERMITE_Z;
    static final double[][] HERMITE_W;

    static {
        GaussIntegratorFactory factory = new GaussIntegratorFactory();
        LEGENDRE_X = new double[LEGENDRE_SIZES.length][];
        LEGENDRE_W = new double[LEGENDRE_SIZES.length][];
        for (int k = 0; k < LEGENDRE_SIZES.length; k++) {
            GaussIntegrator rule = factory.legendre(LEGENDRE_SIZES[k]);
            LEGENDRE_X[k] = points(rule, 1.0);
            LEGENDRE_W[k] = weights(rule, 1.0);
        }
        LEGENDRE_TAIL = new double[LEGENDRE_SIZES.length][4][];
        for (int k = 0; k < LEGENDRE_SIZES.length; k++) {
            int n = LEGENDRE_SIZES[k];
            for (int m = 0; m < 4; m++) {
                int d = tailDegree(n, m);
                double[] t = new double[n];
                for (int j = 0; j < n; j++) {
                    t[j] = 0.5 * (2 * d + 1) * LEGENDRE_W[k][j] * legendre(d, LEGENDRE_X[k][j]);
                }
                LEGENDRE_TAIL[k][m] = t;
            }
        }
        LEGENDRE_MID = new double[LEGENDRE_SIZES.length][];
        for (int k = 0; k < LEGENDRE_SIZES.length; k++) {
            double[] x = LEGENDRE_X[k];
            double[] l = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                double p = 1;
                for (int i = 0; i < x.length; i++) {
                    if (i != j) {
                        p *= -x[i] / (x[j] - x[i]);
                    }
                }
                l[j] = p;
            }
            LEGENDRE_MID[k] = l;
        }
        HERMITE_Z = new double[HERMITE_SIZES.length][];
        HERMITE_W = new double[HERMITE_SIZES.length][];
        for (int k = 0; k < HERMITE_SIZES.length; k++) {
            GaussIntegrator rule = factory.hermite(HERMITE_SIZES[k]);
            HERMITE_Z[k] = points(rule, Math.sqrt(2.0));
            HERMITE_W[k] = weights(rule, 1.0 / Math.sqrt(Math.PI));
        }
        HERMITE_TAIL = new double[HERMITE_SIZES.length][4][];
        for (int k = 0; k < HERMITE_SIZES.length; k++) {
            int n = HERMITE_SIZES[k];
            for (int m = 0; m < 4; m++) {
                double[] t = new double[n];
                for (int j = 0; j < n; j++) {
                    t[j] = HERMITE_W[k][j] * hermite(tailDegree(n, m), HERMITE_Z[k][j]);
                }
                HERMITE_TAIL[k][m] = t;
            }
        }
    }

    private GaussRules() {
    }

    /** The degrees whose coefficients the tail vectors give: n - 1, n - 2 (top), n/2, n/2 - 1 (middle). */
    static int tailDegree(int n, int m) {
        return m < 2 ? n - 1 - m : n / 2 - (m - 2);
    }

    /** P_d(x) by the three-term recurrence (d + 1) P_(d+1) = (2d + 1) x P_d - d P_(d-1). */
    static double legendre(int d, double x) {
        double prev = 1;
        double cur = x;
        if (d == 0) {
            return 1;
        }
        for (int i = 1; i < d; i++) {
            double next = ((2 * i + 1) * x * cur - i * prev) / (i + 1);
            prev = cur;
            cur = next;
        }
        return cur;
    }

    /** h_d(z) = He_d(z) / sqrt(d!) by h_(i+1) = (z h_i - sqrt(i) h_(i-1)) / sqrt(i + 1). */
    static double hermite(int d, double z) {
        double prev = 0;
        double cur = 1;
        for (int i = 0; i < d; i++) {
            double next = (z * cur - Math.sqrt(i) * prev) / Math.sqrt(i + 1);
            prev = cur;
            cur = next;
        }
        return cur;
    }

    private static double[] points(GaussIntegrator rule, double scale) {
        double[] x = new double[rule.getNumberOfPoints()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rule.getPoint(i) * scale;
        }
        return x;
    }

    private static double[] weights(GaussIntegrator rule, double scale) {
        double[] w = new double[rule.getNumberOfPoints()];
        for (int i = 0; i < w.length; i++) {
            w[i] = rule.getWeight(i) * scale;
        }
        return w;
    }

    /**
     * The longest panel on which Legendre rule {@code sizeIndex} integrates the Gaussian
     * weight to relative accuracy {@code tol} (log-linear interpolation in the table).
     */
    static double maxPanelLength(int sizeIndex, double tol) {
        double lt = Math.log10(tol);
        double[] row = HMAX[sizeIndex];
        if (lt <= LOG_TOL[0]) {
            return row[0];
        }
        for (int t = 1; t < LOG_TOL.length; t++) {
            if (lt <= LOG_TOL[t]) {
                double f = (lt - LOG_TOL[t - 1]) / (LOG_TOL[t] - LOG_TOL[t - 1]);
                return row[t - 1] + f * (row[t] - row[t - 1]);
            }
        }
        return row[row.length - 1];
    }
}
