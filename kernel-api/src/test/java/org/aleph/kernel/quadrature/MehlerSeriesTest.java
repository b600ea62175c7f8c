package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The truncated, two-chain evaluation of Mehler's series ({@link MehlerSeries#sum}) against the
 * plain sum of all {@value MehlerSeries#TERMS} terms in long-hand order: the difference stays
 * within the Cauchy-Schwarz tail bound 1e-17 sqrt(sum a^2 sum b^2) plus rounding, for random
 * coefficient vectors (slowly and quickly decaying) and correlations in [-0.8, 0.8]; and the
 * term count is the smallest K with |rho|^K &lt;= 1e-17.
 */
class MehlerSeriesTest {

    @Test
    void truncatedSumMatchesFullSum() {
        qt().withExamples(400).withFixedSeed(5).forAll(doubles().between(-0.8, 0.8), longs().all()).checkAssert((rho, seed) -> {
            Random rnd = new Random(seed);
            double decay = rnd.nextBoolean() ? 0.5 : 0.999;
            double[] a = new double[MehlerSeries.TERMS];
            double[] b = new double[MehlerSeries.TERMS];
            double na = 0;
            double nb = 0;
            double scale = 1;
            for (int k = 0; k < a.length; k++) {
                a[k] = scale * (2 * rnd.nextDouble() - 1);
                b[k] = scale * (2 * rnd.nextDouble() - 1);
                na += a[k] * a[k];
                nb += b[k] * b[k];
                scale *= decay;
            }
            double full = 0;
            double absSum = 0;
            double p = 1;
            for (int k = 0; k < a.length; k++) {
                full += p * a[k] * b[k];
                absSum += Math.abs(p * a[k] * b[k]);
                p *= rho;
            }
            double fast = MehlerSeries.sum(a, b, rho);
            double allowed = 1e-17 * Math.sqrt(na * nb) + 1e-14 * absSum;
            assertTrue(Math.abs(fast - full) <= allowed, "rho " + rho + ": " + fast + " vs " + full);
        });
    }

    @Test
    void termCountIsTheSmallestBelowTheTail() {
        assertEquals(1, MehlerSeries.terms(0.0));
        assertEquals(176, MehlerSeries.terms(0.8)); // 0.8^176 = 8.8e-18 (0.8^175 = 1.1e-17), within the 190 terms kept
        for (double rho : new double[] {1e-20, 1e-5, 0.01, -0.08, 0.3, -0.5, 0.7, 0.79, -0.8}) {
            int k = MehlerSeries.terms(rho);
            double r = Math.abs(rho);
            assertTrue(Math.pow(r, k) <= 1.0000001e-17 || k == MehlerSeries.TERMS, "rho " + rho + " K " + k);
            assertTrue(k == 1 || Math.pow(r, k - 1) > 0.9999999e-17, "rho " + rho + " K " + k + " is not the smallest");
        }
    }
}
