package org.aleph.kernel.theory;

import java.util.Arrays;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Gaussians;

/**
 * The Hermite coefficients of an activation, its "spectrum":
 * <pre>
 *   a_k = E[phi(z) He_k(z)] / sqrt(k!),   z ~ N(0, 1),   so that   phi = sum_k a_k He_k / sqrt(k!)
 * </pre>
 * in L^2 of the Gaussian measure, with He_k the probabilists' Hermite polynomials. The dual
 * activation follows from it (O'Donnell, <i>Analysis of Boolean Functions</i>, sec. 11.2;
 * Daniely et al. 2016, sec. 4): for unit variances
 * E[phi(u) phi(v)] = sum_k a_k^2 rho^k, and E[phi(z)^2] = sum_k a_k^2 (Parseval).
 *
 * <p>Quadrature: composite 16-point Gauss-Legendre on [-{@value #RANGE}, {@value #RANGE}] in
 * panels at most {@value #PANEL} wide, split at the activation's kinks so that each panel's
 * integrand is analytic (exponential convergence; Gauss-Hermite would converge only
 * algebraically across a kink). The Gaussian tail beyond the range weighs less than
 * e^-128. The normalised polynomials come from the stable recurrence
 * h_{k+1} = (z h_k - sqrt(k) h_{k-1}) / sqrt(k+1). phi is evaluated once per node.
 */
public final class HermiteSpectrum {

    /** Half-width of the integration range. */
    static final double RANGE = 16;
    /** Widest panel. */
    static final double PANEL = 0.25;
    /** Largest degree offered. */
    public static final int MAX_DEGREE = 200;

    private HermiteSpectrum() {
    }

    /**
     * a_0 .. a_maxDegree of the activation.
     *
     * @throws UserErrorException when maxDegree is outside 0..{@value #MAX_DEGREE} or phi is not
     *                            finite on the range
     */
    public static double[] coefficients(Activation activation, int maxDegree) {
        if (maxDegree < 0 || maxDegree > MAX_DEGREE) {
            throw new UserErrorException("the largest Hermite degree must lie in 0.." + MAX_DEGREE + ", got " + maxDegree);
        }
        double[] kinks = Arrays.stream(activation.kinks()).filter(k -> k > -RANGE && k < RANGE).sorted().distinct().toArray();
        double[] breaks = new double[kinks.length + 2];
        breaks[0] = -RANGE;
        System.arraycopy(kinks, 0, breaks, 1, kinks.length);
        breaks[breaks.length - 1] = RANGE;
        double[][] rule = GaussLegendre.SIXTEEN.composite(breaks, PANEL);
        double[] x = rule[0];
        double[] w = rule[1];
        double[] a = new double[maxDegree + 1];
        double[] sqrt = new double[maxDegree + 2];
        for (int k = 0; k < sqrt.length; k++) {
            sqrt[k] = Math.sqrt(k);
        }
        for (int e = 0; e < x.length; e++) {
            double z = x[e];
            double f = activation.phi(z);
            if (!Double.isFinite(f)) {
                throw new UserErrorException(activation.name() + " is " + f + " at x = " + z
                        + ", so its Hermite coefficients do not exist");
            }
            double g = w[e] * f * Math.exp(-0.5 * z * z) * Gaussians.INV_SQRT_2PI;
            double hPrev = 0;
            double h = 1;
            for (int k = 0; k <= maxDegree; k++) {
                a[k] += g * h;
                double hNext = (z * h - sqrt[k] * hPrev) / sqrt[k + 1];
                hPrev = h;
                h = hNext;
            }
        }
        return a;
    }

    /**
     * The unit-variance dual from the coefficients: sum_k a_k^2 rho^k (Horner), the series
     * that {@code E[phi(u)phi(v)]} at unit variances and correlation rho equals.
     */
    public static double dualFromCoefficients(double[] a, double rho) {
        double s = 0;
        for (int k = a.length - 1; k >= 0; k--) {
            s = s * rho + a[k] * a[k];
        }
        return s;
    }
}
