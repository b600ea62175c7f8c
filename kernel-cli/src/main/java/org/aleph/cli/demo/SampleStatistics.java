package org.aleph.cli.demo;

import java.util.Arrays;
import org.hipparchus.special.Erf;

/**
 * How far a sample of network outputs is from the Gaussian N(0, sigma^2) that the NNGP
 * predicts for infinite width (Neal 1996; Lee et al. 2018):
 * <ul>
 *   <li>the sample variance s^2 with its standard error sqrt((m4 - m2^2)/n) (delta method);</li>
 *   <li>the excess kurtosis g2 = m4/m2^2 - 3 (0 for a Gaussian) with the standard error of g2
 *       for a Gaussian sample of size n, sqrt(24 n (n-1)^2 / ((n-3)(n-2)(n+3)(n+5)))
 *       (Joanes &amp; Gill 1998, "Comparing measures of sample skewness and kurtosis");</li>
 *   <li>the Kolmogorov-Smirnov distance D = sup |F_n(v) - Phi(v/sigma)| against the fully
 *       specified N(0, sigma^2), and its asymptotic p-value Q(lambda) = 2 sum_k (-1)^(k-1)
 *       exp(-2 k^2 lambda^2) with Stephens' (1970) correction
 *       lambda = (sqrt(n) + 0.12 + 0.11/sqrt(n)) D.</li>
 * </ul>
 *
 * @param n               sample size
 * @param mean            sample mean
 * @param variance        unbiased sample variance
 * @param varianceError   standard error of the variance
 * @param excessKurtosis  g2
 * @param kurtosisError   standard error of g2 under normality
 * @param ksDistance      Kolmogorov-Smirnov distance to N(0, reference variance)
 * @param ksPValue        its asymptotic p-value
 */
public record SampleStatistics(int n, double mean, double variance, double varianceError, double excessKurtosis,
                               double kurtosisError, double ksDistance, double ksPValue) {

    /** Terms of the Kolmogorov series; they fall below 1e-300 long before this for lambda >= 0.2. */
    private static final int KS_TERMS = 100;

    /**
     * The statistics of {@code values} against N(0, referenceVariance).
     *
     * @throws IllegalArgumentException for fewer than 6 values or a reference variance that is not positive
     */
    public static SampleStatistics of(double[] values, double referenceVariance) {
        int n = values.length;
        if (n < 6) {
            throw new IllegalArgumentException("need at least 6 values, got " + n);
        }
        if (!(referenceVariance > 0) || Double.isInfinite(referenceVariance)) {
            throw new IllegalArgumentException("reference variance must be finite and > 0, got " + referenceVariance);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        double m2 = 0;
        double m4 = 0;
        for (double v : values) {
            double d = (v - mean) * (v - mean);
            m2 += d;
            m4 += d * d;
        }
        m2 /= n;
        m4 /= n;
        double variance = m2 * n / (n - 1);
        double varianceError = Math.sqrt(Math.max(0, m4 - m2 * m2) / n);
        double g2 = m2 > 0 ? m4 / (m2 * m2) - 3 : Double.NaN;
        double kurtosisError = Math.sqrt(24.0 * n * (n - 1.0) * (n - 1.0) / ((n - 3.0) * (n - 2.0) * (n + 3.0) * (n + 5.0)));
        double d = ksDistance(values, Math.sqrt(referenceVariance));
        return new SampleStatistics(n, mean, variance, varianceError, g2, kurtosisError, d, ksPValue(d, n));
    }

    /** sup |F_n(v) - Phi(v / sigma)| over the sample. */
    static double ksDistance(double[] values, double sigma) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = 0.5 * Erf.erfc(-s[i] / (sigma * Math.sqrt(2)));
            d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
        }
        return d;
    }

    /** The asymptotic Kolmogorov p-value with Stephens' small-sample correction. */
    static double ksPValue(double d, int n) {
        double sn = Math.sqrt(n);
        double lambda = (sn + 0.12 + 0.11 / sn) * d;
        if (lambda < 0.2) {
            return 1; // the series converges slowly here and equals 1 to 1e-20
        }
        double sum = 0;
        for (int k = 1; k <= KS_TERMS; k++) {
            double term = Math.exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-300) {
                break;
            }
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }

    /**
     * The sample covariance of paired values and its standard error, the standard deviation of
     * the centred products over sqrt(n): {@code {cov, se}}.
     */
    public static double[] covariance(double[] a, double[] b) {
        int n = a.length;
        if (b.length != n || n < 2) {
            throw new IllegalArgumentException("need two samples of equal size >= 2, got " + a.length + " and " + b.length);
        }
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double p = (a[i] - ma) * (b[i] - mb);
            s += p;
            s2 += p * p;
        }
        double mp = s / n;
        double varP = Math.max(0, s2 / n - mp * mp);
        return new double[] {s / (n - 1), Math.sqrt(varP / n)};
    }
}
