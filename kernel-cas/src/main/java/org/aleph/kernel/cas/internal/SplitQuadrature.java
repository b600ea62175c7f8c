package org.aleph.kernel.cas.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Gaussians;

/**
 * The independent reference for checking derived formulas: E[f(u) g(v)] for
 * (u, v) ~ N(0, [[q11, q12], [q12, q22]]) by tensor Gauss-Legendre quadrature after the
 * Cholesky change of variables u = s1 z1, v = s2 (rho z1 + sqrt(1 - rho^2) z2), on
 * z in [-L, L] (the Gaussian tail beyond L = 12 is below 1e-31), with both integrals split at
 * the kinks of f and g so that every piece is smooth and the rule converges exponentially.
 * Nodes per piece grow with its length and with the oscillation of the integrand.
 *
 * <p>Cost: about (5 + frequency) nodes per unit length in each direction, e.g. 120 x 120
 * evaluations of f and g for a kinked polynomial.
 */
final class SplitQuadrature {

    /** Half-width of the integration box in standard deviations before the growth allowance. */
    static final double HALF_WIDTH = 12.0;

    private static final Map<Integer, double[][]> RULES = new ConcurrentHashMap<>();

    private final double[] kinks;
    private final double growth;
    private final double frequency;
    private final double sharpness;

    /**
     * @param kinks     points where f or g is not smooth
     * @param growth    the largest exponential rate |a| in exp(a x) (0 if none)
     * @param frequency the largest frequency |b| in cos(b x + d) (0 if none)
     * @param sharpness the largest k in Erf(k x) or sqrt(c) in exp(-c x^2) (0 if none)
     */
    SplitQuadrature(double[] kinks, double growth, double frequency, double sharpness) {
        this.kinks = kinks.clone();
        this.growth = growth;
        this.frequency = frequency;
        this.sharpness = sharpness;
    }

    /** E[f(u) g(v)]. */
    double expectation(DoubleUnaryOperator f, DoubleUnaryOperator g, double q11, double q12, double q22) {
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        double rho = Gaussians.correlation(q11, q12, q22);
        double c = Math.sqrt(Math.max(0, 1 - rho * rho));
        double smax = Math.max(s1, s2);
        double len = HALF_WIDTH + 2 * growth * smax;
        double density = 5 + 2 * frequency * smax + 3 * sharpness * smax;
        double[] outer = outerBreaks(len, s1, s2, rho, c);
        double sum = 0;
        for (int p = 0; p + 1 < outer.length; p++) {
            double a = outer[p], b = outer[p + 1];
            double[][] r = rule(nodes(b - a, density));
            for (int i = 0; i < r[0].length; i++) {
                double z1 = 0.5 * (a + b) + 0.5 * (b - a) * r[0][i];
                double w1 = 0.5 * (b - a) * r[1][i] * Gaussians.normalDensity(z1);
                double fu = f.applyAsDouble(s1 * z1);
                if (fu == 0) {
                    continue;
                }
                double inner = 0;
                if (c == 0) {
                    inner = g.applyAsDouble(s2 * rho * z1);
                } else {
                    double[] in = breaks(-len, len, kinks, s2 * c, s2 * rho * z1);
                    for (int q = 0; q + 1 < in.length; q++) {
                        double a2 = in[q], b2 = in[q + 1];
                        double[][] r2 = rule(nodes(b2 - a2, density));
                        for (int j = 0; j < r2[0].length; j++) {
                            double z2 = 0.5 * (a2 + b2) + 0.5 * (b2 - a2) * r2[0][j];
                            inner += 0.5 * (b2 - a2) * r2[1][j] * Gaussians.normalDensity(z2)
                                    * g.applyAsDouble(s2 * (rho * z1 + c * z2));
                        }
                    }
                }
                sum += w1 * fu * inner;
            }
        }
        return sum;
    }

    /**
     * Break points of the outer variable: the kinks of f, the graded neighbourhood of the
     * point where the inner kink of g sweeps through (width ~ sqrt(1 - rho^2), which is tiny
     * near rho = +-1), and +-2, +-6 where the Gaussian weight changes fastest.
     */
    private double[] outerBreaks(double len, double s1, double s2, double rho, double c) {
        java.util.TreeSet<Double> pts = new java.util.TreeSet<>();
        for (double z : new double[] {-6, -2, 0, 2, 6}) {
            pts.add(z);
        }
        for (double t : kinks) {
            if (s1 > 0) {
                pts.add(t / s1);
            }
            if (s2 > 0 && rho != 0) {
                double centre = t / (s2 * rho);
                pts.add(centre);
                for (double w = c; w < 1 && w > 0; w *= 4) {
                    pts.add(centre - w / Math.abs(rho));
                    pts.add(centre + w / Math.abs(rho));
                }
            }
        }
        double[] out = new double[pts.size() + 2];
        int k = 0;
        out[k++] = -len;
        for (double z : pts) {
            if (z > -len && z < len) {
                out[k++] = z;
            }
        }
        out[k++] = len;
        return java.util.Arrays.copyOf(out, k);
    }

    /** Break points of [lo, hi] where scale * z + shift hits a kink. */
    private static double[] breaks(double lo, double hi, double[] kinks, double scale, double shift) {
        double[] out = new double[kinks.length + 2];
        int k = 0;
        out[k++] = lo;
        if (scale > 0) {
            double[] pts = new double[kinks.length];
            int m = 0;
            for (double t : kinks) {
                double z = (t - shift) / scale;
                if (z > lo && z < hi) {
                    pts[m++] = z;
                }
            }
            java.util.Arrays.sort(pts, 0, m);
            for (int i = 0; i < m; i++) {
                out[k++] = pts[i];
            }
        }
        out[k++] = hi;
        return java.util.Arrays.copyOf(out, k);
    }

    private static int nodes(double length, double density) {
        return (int) Math.max(16, Math.min(400, Math.ceil(length * density)));
    }

    /**
     * Gauss-Legendre nodes and weights on [-1, 1] by Newton's iteration on the Legendre
     * recurrence from the Tricomi initial guesses (Hipparchus' high-precision construction is
     * far slower for the hundreds of nodes needed here); accurate to a few ulps.
     */
    static double[][] rule(int n) {
        return RULES.computeIfAbsent(n, k -> {
            double[][] r = new double[2][k];
            for (int i = 0; i < (k + 1) / 2; i++) {
                double z = Math.cos(Math.PI * (i + 0.75) / (k + 0.5));
                double dp = 0;
                for (int it = 0; it < 100; it++) {
                    double p0 = 1, p1 = z;
                    for (int j = 2; j <= k; j++) {
                        double p2 = ((2 * j - 1) * z * p1 - (j - 1) * p0) / j;
                        p0 = p1;
                        p1 = p2;
                    }
                    if (k == 1) {
                        p0 = 1;
                    }
                    dp = k * (z * p1 - p0) / (z * z - 1);
                    double dz = p1 / dp;
                    z -= dz;
                    if (Math.abs(dz) < 1e-16) {
                        break;
                    }
                }
                double p0 = 1, p1 = z;
                for (int j = 2; j <= k; j++) {
                    double p2 = ((2 * j - 1) * z * p1 - (j - 1) * p0) / j;
                    p0 = p1;
                    p1 = p2;
                }
                dp = k * (z * p1 - p0) / (z * z - 1);
                double w = 2 / ((1 - z * z) * dp * dp);
                r[0][i] = -z;
                r[1][i] = w;
                r[0][k - 1 - i] = z;
                r[1][k - 1 - i] = w;
            }
            return r;
        });
    }
}
