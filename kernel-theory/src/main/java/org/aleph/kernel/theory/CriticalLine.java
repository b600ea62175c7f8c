package org.aleph.kernel.theory;

import java.util.Arrays;

/**
 * The order-to-chaos critical line of an activation in the (sigma_w^2, sigma_b^2) plane: the
 * points where the length map has a fixed point q* with chi_1 = 1, so that c* = 1 is
 * marginally stable (Poole et al. 2016, Fig. 2; Schoenholz et al. 2017, Fig. 1).
 *
 * <p>Parametrised by q* itself, the two conditions q* = sigma_w^2 E[phi(sqrt(q*) z)^2] + sigma_b^2
 * and sigma_w^2 E[phi'(sqrt(q*) z)^2] = 1 solve in closed form:
 * <pre>
 *   sigma_w^2(q) = 1 / E[phi'(sqrt(q) z)^2],    sigma_b^2(q) = q - sigma_w^2(q) E[phi(sqrt(q) z)^2],
 * </pre>
 * so the whole line costs one block call of the activation's expectations. Points with
 * sigma_b^2 &lt; 0 are not physical and are dropped. For a positively homogeneous activation
 * the line collapses to one point (Relu: sigma_w^2 = 2, sigma_b^2 = 0 for every q).
 *
 * @param q   the fixed-point variance q* along the line, increasing
 * @param sw2 sigma_w^2 at each point
 * @param sb2 sigma_b^2 at each point
 */
public record CriticalLine(double[] q, double[] sw2, double[] sb2) {

    /** Copies the arrays, which must have one length. */
    public CriticalLine {
        if (q.length != sw2.length || q.length != sb2.length) {
            throw new IllegalArgumentException("q, sw2 and sb2 must have one length: " + q.length + ", " + sw2.length + ", " + sb2.length);
        }
        q = q.clone();
        sw2 = sw2.clone();
        sb2 = sb2.clone();
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    @Override
    public double[] sw2() {
        return sw2.clone();
    }

    @Override
    public double[] sb2() {
        return sb2.clone();
    }

    /** The number of points on the line. */
    public int size() {
        return q.length;
    }

    static CriticalLine trace(MeanFieldMaps maps, double qMin, double qMax, int points) {
        if (!(qMin > 0) || !(qMax > qMin) || points < 2) {
            throw new IllegalArgumentException("need 0 < qMin < qMax and at least 2 points, got " + qMin + ", " + qMax + ", " + points);
        }
        double[] q = new double[points];
        double ratio = Math.log(qMax / qMin) / (points - 1);
        for (int i = 0; i < points; i++) {
            q[i] = qMin * Math.exp(ratio * i);
        }
        double[] ones = new double[points];
        Arrays.fill(ones, 1.0);
        double[] zeros = new double[points];
        double[] phi2 = new double[points];
        double[] dphi2 = new double[points];
        maps.length(q, ones, zeros, points, phi2, dphi2);
        double[] lq = new double[points];
        double[] lw = new double[points];
        double[] lb = new double[points];
        int m = 0;
        for (int i = 0; i < points; i++) {
            double w = 1.0 / dphi2[i];
            double b = q[i] - w * phi2[i];
            if (b < 0 && b > -1e-12 * q[i]) {
                b = 0;
            }
            if (Double.isFinite(w) && Double.isFinite(b) && b >= 0) {
                lq[m] = q[i];
                lw[m] = w;
                lb[m] = b;
                m++;
            }
        }
        return new CriticalLine(Arrays.copyOf(lq, m), Arrays.copyOf(lw, m), Arrays.copyOf(lb, m));
    }
}
