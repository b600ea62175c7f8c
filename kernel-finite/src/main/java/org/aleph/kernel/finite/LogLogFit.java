package org.aleph.kernel.finite;

/**
 * The least-squares slope of {@code log y} against {@code log x}: for a quantity that scales
 * as {@code C x^p} the slope is p (p = -1/2 for a fluctuation of width x, Jacot et al. 2018,
 * Lee et al. 2019).
 */
public final class LogLogFit {

    private LogLogFit() {
    }

    /**
     * The fitted exponent, or NaN when fewer than two points are given or some value is not
     * positive and finite (its logarithm is undefined).
     */
    public static double slope(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("inconsistent dimensions: " + x.length + " != " + y.length);
        }
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            if (!(x[i] > 0) || !(y[i] > 0) || !Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                return Double.NaN;
            }
            mx += Math.log(x[i]);
            my += Math.log(y[i]);
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        return sxx > 0 ? sxy / sxx : Double.NaN;
    }

    /** {@link #slope(double[], double[])} with integer abscissae (widths). */
    public static double slope(int[] x, double[] y) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = x[i];
        }
        return slope(dx, y);
    }
}
