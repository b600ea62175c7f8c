package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Gaussians;
import org.junit.jupiter.api.Test;

/**
 * Whether an entry is served by the long Hermite expansions of {@link HermiteExpansions} is the
 * entry's own affair: a block containing such entries gives the values of single calls bit for
 * bit (with a per-batch threshold on the misses of a variance, a block of many entries sharing
 * large variances used the long series where single calls used the direct rule, 1e-11 apart), a
 * cold and a warm cache, one entry at a time, a reversed batch and concurrent threads all give the
 * same values and leave the same entries to the direct rule. The accuracy of those values is
 * {@link LargeVarianceAccuracyTest}'s.
 */
class LongSeriesPerEntryTest {

    private static final DoubleUnaryOperator TANH = Math::tanh;
    private static final DoubleUnaryOperator DTANH = x -> {
        double e = Math.exp(-2 * Math.abs(x));
        return 4 * e / ((1 + e) * (1 + e));
    };
    private static final double TOL = 1e-10;

    /**
     * n entries at large variances sharing a few values (up to a few units of roundoff, as the
     * diagonal of a standardised Gram matrix), high correlations of both signs, and every fifth
     * entry at a small or moderate correlation or variance that the short series serves.
     */
    private static double[][] block(int n) {
        double[] variances = {50, 50 * (1 + 2.2e-16), 50 * (1 - 4.4e-16), 30, 46.9};
        // above about 0.97 the short series at these variances cannot certify (0.97^400 4e-5 > 1e-10)
        double[] rhos = {0.98, 0.99, 0.999, -0.975, 0.995, 0.9999, -0.99, 0.985};
        double[] q11 = new double[n];
        double[] q12 = new double[n];
        double[] q22 = new double[n];
        for (int e = 0; e < n; e++) {
            double a = variances[e % variances.length];
            double c = variances[(e / 2) % variances.length];
            double rho = rhos[e % rhos.length];
            if (e % 5 == 4) { // served by the short series
                a = e % 2 == 0 ? 1.5 : 30;
                c = a;
                rho = e % 2 == 0 ? 0.999 : 0.5;
            }
            q11[e] = a;
            q12[e] = rho * Math.sqrt(a * c);
            q22[e] = c;
        }
        return new double[][] {q11, q12, q22};
    }

    /** The values of serve on t from the given cache, NaN for the entries left to the direct rule. */
    private static double[] serve(HermiteExpansions cache, DoubleUnaryOperator f, double[][] t) {
        int n = t[0].length;
        double[] out = new double[n];
        int[] rest = new int[n];
        int left = cache.serve(f, t[0], t[1], t[2], n, out, TOL, rest);
        for (int i = 0; i < left; i++) {
            out[rest[i]] = Double.NaN;
        }
        return out;
    }

    private static void assertSameBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int e = 0; e < expected.length; e++) {
            assertEquals(Double.doubleToLongBits(expected[e]), Double.doubleToLongBits(actual[e]),
                    what + ", entry " + e + ": " + expected[e] + " against " + actual[e]);
        }
    }

    private static double[] single(HermiteExpansions cache, DoubleUnaryOperator f, double q11, double q12, double q22) {
        return serve(cache, f, new double[][] {{q11}, {q12}, {q22}});
    }

    @Test
    void anEntryTheShortSeriesMissesIsServedByTheLongOneEvenAlone() {
        // tanh at q = 50 and rho = 0.99: the short series (tail 4e-5 E[f^2] after 400 terms) cannot
        // certify it; a single call, from a cold cache, gets the long series' value
        HermiteExpansions cache = new HermiteExpansions();
        double q = 50;
        for (double rho : new double[] {0.98, 0.99, 0.999}) {
            assertTrue(Double.isNaN(ParsevalSeries.sum(cache.get(TANH, q), cache.get(TANH, q), rho, TOL)), "short, rho " + rho);
            double alone = single(new HermiteExpansions(), TANH, q, rho * q, q)[0];
            assertFalse(Double.isNaN(alone), "left to the direct rule at rho " + rho);
            assertEquals(Double.doubleToLongBits(alone), Double.doubleToLongBits(single(cache, TANH, q, rho * q, q)[0]));
        }
        // beyond LONG_MAX_VARIANCE the long rule is not trusted: the direct rule serves
        double big = 2 * HermiteExpansions.LONG_MAX_VARIANCE;
        assertTrue(Double.isNaN(single(cache, TANH, big, 0.99 * big, big)[0]));
        assertTrue(Double.isNaN(single(cache, TANH, 50, 0.99 * Math.sqrt(50 * big), big)[0]));
    }

    @Test
    void aBlockWithLongSeriesEntriesGivesTheValuesOfSingleCallsBitForBit() {
        for (int n : new int[] {40, 100}) {
            double[][] t = block(n);
            QuadratureActivation tanh = new QuadratureActivation("Tanh", TANH, DTANH, new double[0]);
            double[] nngp = new double[n];
            double[] dnngp = new double[n];
            tanh.expectations(t[0], t[1], t[2], n, nngp, dnngp);
            double[] alone = new double[n];
            tanh.expectations(t[0], t[1], t[2], n, alone, null);
            assertSameBits(nngp, alone, "block of " + n + " with and without dnngp");
            int viaLong = 0;
            HermiteExpansions probe = new HermiteExpansions();
            for (int e = 0; e < n; e++) {
                // a single call on the activation that computed the block (warm), and for every
                // seventh entry on a fresh one (cold)
                QuadratureActivation on = e % 7 == 0 ? new QuadratureActivation("Tanh", TANH, DTANH, new double[0]) : tanh;
                double[] one = {Double.NaN};
                double[] dOne = {Double.NaN};
                on.expectations(new double[] {t[0][e]}, new double[] {t[1][e]}, new double[] {t[2][e]}, 1, one, dOne);
                String at = "block of " + n + ", entry " + e + " (q11=" + t[0][e] + " q12=" + t[1][e] + " q22=" + t[2][e] + ")";
                assertEquals(Double.doubleToLongBits(nngp[e]), Double.doubleToLongBits(one[0]), at + ": " + nngp[e] + " vs " + one[0]);
                assertEquals(Double.doubleToLongBits(dnngp[e]), Double.doubleToLongBits(dOne[0]), at + ": " + dnngp[e] + " vs " + dOne[0]);
                double rho = Gaussians.correlation(t[0][e], t[1][e], t[2][e]);
                boolean shortMisses = Double.isNaN(ParsevalSeries.sum(probe.get(TANH, t[0][e]), probe.get(TANH, t[2][e]), rho, TOL));
                if (shortMisses && !Double.isNaN(single(probe, TANH, t[0][e], t[1][e], t[2][e])[0])) {
                    viaLong++;
                }
            }
            // the case this guards: most of the block takes the long path
            assertTrue(viaLong >= n / 2, viaLong + " of " + n + " entries served by the long series");
        }
    }

    @Test
    void coldWarmPiecewiseReversedAndConcurrentServingAgreeBitForBit() throws Exception {
        double[][] t = block(60);
        int n = t[0].length;
        for (DoubleUnaryOperator f : new DoubleUnaryOperator[] {TANH, DTANH}) {
            double[] cold = serve(new HermiteExpansions(), f, t);
            // warm: a cache that already served other batches at the same and other variances
            HermiteExpansions warm = new HermiteExpansions();
            serve(warm, f, new double[][] {{50, 30, 60}, {49, 29, 59}, {50, 30, 60}});
            serve(warm, f, t);
            assertSameBits(cold, serve(warm, f, t), "warm cache");
            // one entry at a time, on a fresh cache
            HermiteExpansions piecewise = new HermiteExpansions();
            double[] single = new double[n];
            for (int e = 0; e < n; e++) {
                single[e] = single(piecewise, f, t[0][e], t[1][e], t[2][e])[0];
            }
            assertSameBits(cold, single, "one entry at a time");
            // the batch reversed
            double[][] r = new double[3][n];
            for (int i = 0; i < 3; i++) {
                for (int e = 0; e < n; e++) {
                    r[i][e] = t[i][n - 1 - e];
                }
            }
            double[] reversed = serve(new HermiteExpansions(), f, r);
            double[] back = new double[n];
            for (int e = 0; e < n; e++) {
                back[e] = reversed[n - 1 - e];
            }
            assertSameBits(cold, back, "reversed batch");
            // two threads on one fresh cache, each from its own end
            HermiteExpansions shared = new HermiteExpansions();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<double[]> forward = pool.submit(() -> serve(shared, f, t));
                Future<double[]> backward = pool.submit(() -> serve(shared, f, r));
                assertSameBits(cold, forward.get(), "concurrent, forward");
                double[] b = backward.get();
                double[] flipped = new double[n];
                for (int e = 0; e < n; e++) {
                    flipped[e] = b[n - 1 - e];
                }
                assertSameBits(cold, flipped, "concurrent, backward");
            } finally {
                pool.shutdown();
            }
            // the entries left to the direct rule are the same ones, and the long series served most
            long left = Arrays.stream(cold).filter(Double::isNaN).count();
            assertTrue(left <= n / 10, left + " entries left to the direct rule");
        }
    }

    @Test
    void aCachedLongExpansionIsTheOneAnyCallerComputes() {
        double q = HermiteExpansions.snap(46.9);
        ParsevalSeries.Expansion a = new HermiteExpansions().getLong(TANH, q);
        ParsevalSeries.Expansion b = ParsevalSeries.expandLong(TANH, q, ParsevalSeries.LONG_TERMS);
        assertEquals(ParsevalSeries.LONG_TERMS, a.terms());
        assertTrue(a.tail[a.terms()] <= 1e-11 * a.energy, "tail " + a.tail[a.terms()] / a.energy);
        assertArrayEquals(b.a, a.a, 0.0);
        assertArrayEquals(b.tail, a.tail, 0.0);
        assertEquals(b.sensitivity, a.sensitivity, 0.0);
    }
}
