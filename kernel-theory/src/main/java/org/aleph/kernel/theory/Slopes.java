package org.aleph.kernel.theory;

/**
 * The slope V'(q) of the length map by finite differences, for a block of points in one
 * call of the activation's expectations.
 *
 * <p>V'(q) = sigma_w^2 (E[phi'(u)^2] + E[phi(u) phi''(u)]) (Schoenholz et al. 2017, eq. 5) needs
 * phi'', which the SPI does not offer; V is smooth in q for every activation (the Gaussian
 * expectation smooths kinks), so the fourth-order central difference
 * (-V(q+2h) + 8 V(q+h) - 8 V(q-h) + V(q-2h)) / (12 h) with h = {@value #RELATIVE_STEP} q is
 * accurate to about 1e-10 relative (truncation h^4 V^(5), rounding eps V / h). At q = 0 the
 * second-order forward difference (-3 V(0) + 4 V(h) - V(2h)) / (2 h) with h = {@value #ZERO_STEP}
 * is used.
 */
final class Slopes {

    /** Central-difference step relative to q. */
    static final double RELATIVE_STEP = 2e-3;
    /** Forward-difference step at q = 0. */
    static final double ZERO_STEP = 1e-6;

    private Slopes() {
    }

    /** V'(q[i]) for each point; NaN where q is not finite. */
    static double[] length(MeanFieldMaps maps, double[] sw2, double[] sb2, double[] q) {
        int n = q.length;
        double[] qs = new double[4 * n];
        double[] w2 = new double[4 * n];
        double[] b2 = new double[4 * n];
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            double qi = Double.isFinite(q[i]) ? q[i] : 1.0;
            boolean zero = qi <= 0;
            h[i] = zero ? ZERO_STEP : RELATIVE_STEP * qi;
            double[] at = zero ? new double[] {0, h[i], 2 * h[i], 0}
                    : new double[] {qi - 2 * h[i], qi - h[i], qi + h[i], qi + 2 * h[i]};
            for (int j = 0; j < 4; j++) {
                qs[4 * i + j] = at[j];
                w2[4 * i + j] = sw2[i];
                b2[4 * i + j] = sb2[i];
            }
        }
        double[] v = new double[4 * n];
        maps.length(qs, w2, b2, 4 * n, v, null);
        double[] slope = new double[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(q[i])) {
                slope[i] = Double.NaN;
            } else if (q[i] <= 0) {
                slope[i] = (-3 * v[4 * i] + 4 * v[4 * i + 1] - v[4 * i + 2]) / (2 * h[i]);
            } else {
                slope[i] = (-v[4 * i + 3] + 8 * v[4 * i + 2] - 8 * v[4 * i + 1] + v[4 * i]) / (12 * h[i]);
            }
        }
        return slope;
    }
}
