package org.aleph.kernel.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PolynomialArcCos} against {@link StrictMath#acos} (fdlibm, below 1 ulp): the
 * polynomial promises 1.3 ulp, so the two may differ by at most about 2.3 ulp of the result.
 */
class PolynomialArcCosTest {

    private static final double ULPS = 2.5;

    @Test
    void agreesWithStrictMathEverywhereIncludingTheEndsAndZero() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 200_000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (i % 4) {
                case 0 -> 2 * rnd.nextDouble() - 1;
                case 1 -> (rnd.nextBoolean() ? 1 : -1) * (1 - Math.scalb(rnd.nextDouble(), -rnd.nextInt(53)));
                case 2 -> (rnd.nextBoolean() ? 1 : -1) * Math.scalb(rnd.nextDouble(), -rnd.nextInt(1000));
                default -> (rnd.nextBoolean() ? 1 : -1) * (0.5 + Math.scalb(rnd.nextDouble() - 0.5, -rnd.nextInt(40)));
            };
        }
        x[0] = 1;
        x[1] = -1;
        x[2] = 0;
        x[3] = -0.0;
        x[4] = Math.nextDown(1.0);
        x[5] = -Math.nextDown(1.0);
        double[] out = new double[n];
        double[] neg = new double[n];
        PolynomialArcCos.acos(x, 1, n, out, new double[n]);
        PolynomialArcCos.acos(x, -1, n, neg, new double[n]);
        for (int i = 0; i < n; i++) {
            assertUlps(StrictMath.acos(x[i]), out[i], x[i]);
            assertUlps(StrictMath.acos(-x[i]), neg[i], -x[i]);
            assertEquals(out[i], PolynomialArcCos.acos(x[i]), "the scalar form performs the same operations, x = " + x[i]);
        }
        assertEquals(0.0, out[0]);
        assertEquals(Math.PI, out[1]);
    }

    @Test
    void isAccurateRelativeToTheSmallAnglesNearOne() {
        // arccos(1 - h) = sqrt(2h) (1 + h/12 + 3h^2/160 + 5h^3/896 + ...), summed in 40 digits: the derivative
        // kernels of rectifiers need this regime.
        qt().forAll(doubles().between(1e-15, 1e-4)).checkAssert(h -> {
            double x = 1 - h;
            java.math.MathContext mc = new java.math.MathContext(40);
            java.math.BigDecimal hh = java.math.BigDecimal.ONE.subtract(new java.math.BigDecimal(x)); // the h that x carries, exactly
            java.math.BigDecimal series = java.math.BigDecimal.ONE
                    .add(hh.divide(java.math.BigDecimal.valueOf(12), mc))
                    .add(hh.pow(2).multiply(java.math.BigDecimal.valueOf(3)).divide(java.math.BigDecimal.valueOf(160), mc))
                    .add(hh.pow(3).multiply(java.math.BigDecimal.valueOf(5)).divide(java.math.BigDecimal.valueOf(896), mc));
            double expected = hh.multiply(java.math.BigDecimal.valueOf(2)).sqrt(mc).multiply(series, mc).doubleValue();
            assertUlps(expected, PolynomialArcCos.acos(x), x);
        });
    }

    private static void assertUlps(double expected, double actual, double x) {
        double ulps = Math.abs(expected - actual) / Math.ulp(expected);
        assertTrue(ulps <= ULPS, "acos(" + x + "): " + actual + " vs " + expected + " (" + ulps + " ulps)");
    }
}
