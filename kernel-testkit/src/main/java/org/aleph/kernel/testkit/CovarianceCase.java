package org.aleph.kernel.testkit;

/**
 * One covariance triple {@code (q11, q12, q22)} of a centred bivariate Gaussian together with
 * the regimes it was drawn from, so that a property test can count how often it reached
 * each hard regime.
 *
 * @param q11         variance of u, {@code >= 0}
 * @param q12         covariance, {@code |q12| <= sqrt(q11 q22)} up to rounding
 * @param q22         variance of v, {@code >= 0}
 * @param correlation the correlation regime the triple was drawn from
 * @param scale1      the variance regime of q11
 * @param scale2      the variance regime of q22
 */
public record CovarianceCase(double q11, double q12, double q22,
                             Correlation correlation, Scale scale1, Scale scale2) {

    /** Correlation regimes; the exact and near +-1 ones are where closed forms lose accuracy. */
    public enum Correlation {
        /** rho = +1 exactly (half of the time with q11 = q22 = q12, i.e. u = v). */
        EXACT_PLUS_ONE,
        /** rho = -1 exactly (half of the time u = -v). */
        EXACT_MINUS_ONE,
        /** 1 - rho log-uniform in [1e-15, 1e-9]. */
        NEAR_PLUS_ONE,
        /** 1 + rho log-uniform in [1e-15, 1e-9]. */
        NEAR_MINUS_ONE,
        /** rho = 0 exactly (u and v independent). */
        ZERO,
        /** rho uniform in (-1, 1). */
        GENERIC
    }

    /** Variance regimes. */
    public enum Scale {
        /** Variance 0: the variable is the constant 0 (legal, e.g. x = 0 with b_std = 0). */
        ZERO,
        /** Log-uniform between the smallest variance and 1e-6. */
        TINY,
        /** Log-uniform in [0.1, 10] (cut to the largest variance). */
        MODERATE,
        /** Log-uniform between a tenth of the largest variance and the largest. */
        LARGE
    }

    /** True when u or v is the constant 0. */
    public boolean hasZeroVariance() {
        return q11 == 0 || q22 == 0;
    }

    /** The clamped correlation, computed like {@link org.aleph.kernel.spi.Gaussians#correlation}. */
    public double rho() {
        return org.aleph.kernel.spi.Gaussians.correlation(q11, q12, q22);
    }

    /** The same triple with u and v swapped. */
    public CovarianceCase swapped() {
        return new CovarianceCase(q22, q12, q11, correlation, scale2, scale1);
    }

    @Override
    public String toString() {
        return "(q11=" + q11 + ", q12=" + q12 + ", q22=" + q22 + "; rho " + correlation + ", scales "
                + scale1 + "/" + scale2 + ")";
    }
}
