package org.aleph.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

/** {@link SampleStatistics} against values derived by hand. */
class SampleStatisticsTest {

    @Test
    void ksDistanceOfTheMidQuantilesIsHalfAStep() {
        // x_i = sigma Phi^-1((i + 1/2)/n): the empirical CDF jumps from i/n to (i+1)/n around
        // F(x_i) = (i + 1/2)/n, so D = 1/(2n) exactly.
        int n = 50;
        double sigma = 1.7;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = sigma * Math.sqrt(2) * Erf.erfInv(2 * (i + 0.5) / n - 1);
        }
        assertEquals(0.5 / n, SampleStatistics.of(x, sigma * sigma).ksDistance(), 1e-12);
        // the same points against a wrong variance are far off
        assertTrue(SampleStatistics.of(x, 4 * sigma * sigma).ksDistance() > 0.1);
    }

    @Test
    void kolmogorovPValueAtTheClassicalCriticalValues() {
        // P(sqrt(n) D > 1.3581) = 0.05 and P(sqrt(n) D > 1.6276) = 0.01 asymptotically (Kolmogorov 1933);
        // with Stephens' correction lambda = (sqrt(n) + 0.12 + 0.11/sqrt(n)) D.
        int n = 10000;
        double c = Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n);
        assertEquals(0.05, SampleStatistics.ksPValue(1.3581 / c, n), 2e-5);
        assertEquals(0.01, SampleStatistics.ksPValue(1.6276 / c, n), 2e-5);
        assertEquals(1, SampleStatistics.ksPValue(0, n), 0);
        assertEquals(0, SampleStatistics.ksPValue(1, n), 1e-300);
    }

    @Test
    void momentsOfEvenlySpacedPoints() {
        // n evenly spaced points on [0, 1]: population variance (n+1)/(12 (n-1)), so the unbiased one is
        // n (n+1)/(12 (n-1)^2); excess kurtosis of the discrete uniform -6(n^2+1)/(5(n^2-1))
        int n = 1001;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (double) i / (n - 1);
        }
        SampleStatistics s = SampleStatistics.of(x, 1);
        assertEquals(0.5, s.mean(), 1e-15);
        assertEquals(n * (n + 1.0) / (12.0 * (n - 1) * (n - 1)), s.variance(), 1e-15);
        assertEquals(-6.0 * ((double) n * n + 1) / (5.0 * ((double) n * n - 1)), s.excessKurtosis(), 1e-12);
        // Joanes & Gill: SE of g2 under normality, about sqrt(24/n)
        assertEquals(Math.sqrt(24.0 / n), s.kurtosisError(), 0.01 * Math.sqrt(24.0 / n));
    }

    @Test
    void varianceErrorVanishesForTwoPointDistributions() {
        double[] x = {-1, 1, -1, 1, -1, 1, -1, 1};
        SampleStatistics s = SampleStatistics.of(x, 1);
        assertEquals(0, s.varianceError(), 0, "m4 = m2^2 for +-1");
        assertEquals(-2, s.excessKurtosis(), 1e-15, "the smallest excess kurtosis there is");
    }

    @Test
    void gaussianSamplesPassAndTheirStatisticsAreConsistent() {
        SplittableRandom rng = new SplittableRandom(42);
        int n = 4000;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextGaussian();
            double v = rng.nextGaussian();
            a[i] = 2 * u;
            b[i] = 2 * (0.6 * u + 0.8 * v); // Var 4, Cov(a, b) = 2.4
        }
        SampleStatistics s = SampleStatistics.of(a, 4);
        assertEquals(4, s.variance(), 4 * s.varianceError());
        assertEquals(0, s.excessKurtosis(), 4 * s.kurtosisError());
        assertTrue(s.ksPValue() > 1e-3, "p = " + s.ksPValue());
        double[] cov = SampleStatistics.covariance(a, b);
        assertEquals(2.4, cov[0], 4 * cov[1]);
        assertEquals(SampleStatistics.of(a, 4).variance(), SampleStatistics.covariance(a, a)[0], 1e-12, "Cov(a, a) = Var a");
    }

    @Test
    void rejectsTooFewValuesAndBadVariances() {
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.of(new double[5], 1));
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.of(new double[10], 0));
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.covariance(new double[3], new double[4]));
    }
}
