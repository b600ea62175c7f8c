package org.aleph.kernel.spi;

/**
 * Small helpers shared by activation implementations: the clamped correlation of a
 * covariance triple and the standard normal density.
 */
public final class Gaussians {

    /** 1 / sqrt(2 pi). */
    public static final double INV_SQRT_2PI = 0.3989422804014327;

    private Gaussians() {
    }

    /**
     * The correlation q12 / sqrt(q11 q22) clamped to [-1, 1]; 0 when either variance is 0
     * (then the corresponding variable is constant and every formula is continuous in rho).
     */
    public static double correlation(double q11, double q12, double q22) {
        double s = Math.sqrt(q11 * q22);
        if (!(s > 0)) {
            return 0.0;
        }
        double rho = q12 / s;
        return rho > 1 ? 1 : (rho < -1 ? -1 : rho);
    }

    /** The standard normal density at x. */
    public static double normalDensity(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
}
