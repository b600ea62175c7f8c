package org.aleph.kernel.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.hipparchus.analysis.integration.IterativeLegendreGaussIntegrator;
import org.junit.jupiter.api.Test;

/**
 * Dawson's integral F(x) = e^{-x^2} int_0^x e^{y^2} dy against independent values: the
 * Maclaurin series sum_k (-2)^k x^{2k+1} / (2k+1)!! summed in BigDecimal with enough digits to
 * absorb its cancellation (60 + x^2 / 2.3 digits), the asymptotic series at large x, Hipparchus'
 * Gauss-Legendre quadrature of e^{(y - x)(y + x)} over [0, x], and the tabulated maximum
 * (DLMF 7.2: F has its maximum 0.54104 42246 35181 69847 at x = 0.92413 88730 04591 76701).
 * Measured accuracy: relative error at most 8e-16 (3.5 ulp of 1).
 */
class DawsonTest {

    /** Relative error allowed against the exact values (4.5 ulp of 1). */
    private static final double ULPS = 4.5 * Math.ulp(1.0);

    private static BigDecimal series(double x) {
        MathContext mc = new MathContext(60 + (int) (x * x / 2.3));
        BigDecimal xx = new BigDecimal(x);
        BigDecimal m2x2 = xx.multiply(xx, mc).multiply(BigDecimal.valueOf(-2), mc);
        BigDecimal term = xx;
        BigDecimal sum = xx;
        BigDecimal tiny = BigDecimal.ONE.movePointLeft(40);
        for (int k = 1; ; k++) {
            term = term.multiply(m2x2, mc).divide(BigDecimal.valueOf(2L * k + 1), mc);
            sum = sum.add(term, mc);
            if (k > 2 * x * x + 10 && term.abs().compareTo(tiny) < 0) {
                return sum;
            }
        }
    }

    private static double relative(double value, BigDecimal exact) {
        return new BigDecimal(value).subtract(exact).divide(exact, MathContext.DECIMAL64).abs().doubleValue();
    }

    @Test
    void agreesWithTheExactMaclaurinSeries() {
        SplittableRandom r = new SplittableRandom(3);
        double worst = 0;
        for (int i = 0; i < 300; i++) {
            // every method's range: Maclaurin (|x| < 1), Rybicki (1..50) and its joins, a few beyond 50
            double x = switch (i % 6) {
                case 0 -> 2 * r.nextDouble() - 1;
                case 1 -> 0.95 + 0.1 * r.nextDouble();
                case 2, 3 -> 24 * r.nextDouble() - 12;
                case 4 -> (r.nextBoolean() ? 1 : -1) * (1 + 4 * r.nextDouble());
                default -> i % 60 == 5 ? 45 + 10 * r.nextDouble() : 12 + 13 * r.nextDouble();
            };
            worst = Math.max(worst, relative(Dawson.dawson(x), series(x)));
        }
        assertTrue(worst <= ULPS, "worst relative error " + worst);
    }

    @Test
    void agreesWithTheAsymptoticSeriesForLargeArguments() {
        // F(x) ~ (1/2x) sum_k (2k-1)!! / (2x^2)^k, DLMF 7.12.1; for x >= 20 the terms fall below
        // 1e-20 long before they start to grow
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 200; i++) {
            double x = i % 2 == 0 ? 20 + 40 * r.nextDouble() : Math.exp(4 + 30 * r.nextDouble());
            BigDecimal inv = BigDecimal.ONE.divide(new BigDecimal(2 * x * x), MathContext.DECIMAL128);
            BigDecimal term = BigDecimal.ONE;
            BigDecimal sum = BigDecimal.ONE;
            for (int k = 1; k < 12; k++) {
                term = term.multiply(inv).multiply(BigDecimal.valueOf(2L * k - 1), MathContext.DECIMAL128);
                sum = sum.add(term, MathContext.DECIMAL128);
            }
            BigDecimal exact = sum.divide(new BigDecimal(2 * x), MathContext.DECIMAL128);
            assertTrue(relative(Dawson.dawson(x), exact) <= ULPS, "x = " + x);
            assertTrue(relative(Dawson.dawson(-x), exact.negate()) <= ULPS, "x = " + -x);
        }
    }

    @Test
    void agreesWithHipparchusQuadratureOfItsDefinition() {
        IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(32, 1e-15, 1e-300);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 8; i++) {
            double x = 0.05 + 7 * r.nextDouble();
            double q = integrator.integrate(100_000, y -> Math.exp((y - x) * (y + x)), 0, x);
            // the quadrature itself is good to about 1e-14 here (rounding of the steep integrand
            // near y = x); the ulp-level claims rest on the exact series above
            assertEquals(q, Dawson.dawson(x), 1e-14 * q, "x = " + x);
        }
    }

    @Test
    void hasTheTabulatedMaximumAndTheLimits() {
        assertEquals(0.54104422463518169847, Dawson.dawson(0.92413887300459176701), 3e-16);
        assertTrue(Dawson.dawson(0.92413887300459176701) >= Dawson.dawson(0.9241388730045917 + 1e-6));
        assertEquals(0.0, Dawson.dawson(0.0));
        assertEquals(1e-300, Dawson.dawson(1e-300));
        assertEquals(0.0, Dawson.dawson(Double.POSITIVE_INFINITY));
        assertEquals(-0.0, Dawson.dawson(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Dawson.dawson(Double.NaN)));
        assertEquals(0.5e-300, Dawson.dawson(1e300), 1e-314);
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < 100; i++) {
            double x = 60 * r.nextDouble();
            assertEquals(-Dawson.dawson(x), Dawson.dawson(-x));
        }
    }
}
