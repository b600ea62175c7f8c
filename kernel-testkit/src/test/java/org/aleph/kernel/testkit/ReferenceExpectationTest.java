package org.aleph.kernel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The reference quadrature against closed forms it does not share any code with, in the
 * regimes the contract sends it to.
 */
class ReferenceExpectationTest {

    private static final double[] NO_KINKS = {};
    private static final double[] KINK_AT_0 = {0};

    /** E[exp(-u^2) exp(-v^2)] = 1 / sqrt((1 + 2 q11)(1 + 2 q22) - 4 q12^2) (a Gaussian integral). */
    @Test
    void gaussianBumpMatchesItsClosedForm() {
        double[][] cases = {{1, 0.3, 2}, {100, 99.99999, 100}, {1e-12, 1e-12, 1e-12}, {50, -20, 9}};
        for (double[] c : cases) {
            double want = 1 / Math.sqrt((1 + 2 * c[0]) * (1 + 2 * c[2]) - 4 * c[1] * c[1]);
            double got = ReferenceExpectation.expectation(x -> Math.exp(-x * x), NO_KINKS, c[0], c[1], c[2]);
            assertEquals(want, got, 1e-13 * want, () -> java.util.Arrays.toString(c));
        }
    }

    /** E[exp(b u) exp(b v)] = exp(b^2 (q11 + 2 q12 + q22) / 2), here with b = 0.5, q &lt;= 4. */
    @Test
    void exponentialMatchesTheLogNormalMean() {
        double[][] cases = {{4, 4, 4}, {4, -4, 4}, {1, 0.2, 3}};
        for (double[] c : cases) {
            double want = Math.exp(0.125 * (c[0] + 2 * c[1] + c[2]));
            double got = ReferenceExpectation.expectation(x -> Math.exp(0.5 * x), NO_KINKS, c[0], c[1], c[2]);
            assertEquals(want, got, 1e-13 * Math.exp(0.25 * (c[0] + c[2])), () -> java.util.Arrays.toString(c));
        }
    }

    /**
     * max(0,x)^2: arc-cosine kernel of degree 2 (Cho &amp; Saul 2009, eq. 7),
     * E = q11 q22 (3 sin t cos t + (pi - t)(1 + 2 cos^2 t)) / (2 pi), cos t = rho.
     */
    @Test
    void rectifiedSquareMatchesTheArcCosineKernel() {
        for (double rho : new double[] {-1, -1 + 1e-12, -0.4, 0, 0.7, 1 - 1e-10, 1}) {
            double q11 = 2;
            double q22 = 0.5;
            double t = Math.acos(rho);
            double want = q11 * q22 * (3 * Math.sin(t) * rho + (Math.PI - t) * (1 + 2 * rho * rho)) / (2 * Math.PI);
            double got = ReferenceExpectation.expectation(x -> x > 0 ? x * x : 0, KINK_AT_0, q11, rho, q22);
            assertEquals(want, got, 1e-13 * q11 * q22 * 1.5, "rho " + rho);
        }
    }

    /** A step function at exact and near-perfect anti-correlation: P(u &gt; 0, v &gt; 0) = (pi - acos rho) / (2 pi). */
    @Test
    void stepResolvesTheSliverNearRhoOne() {
        double rho = 1 - 1e-9;
        double want = (Math.PI - Math.acos(rho)) / (2 * Math.PI);
        double got = ReferenceExpectation.expectation(x -> x > 0 ? 1 : 0, KINK_AT_0, 1, rho, 1);
        // acos(rho) is 4.5e-5 here: a rule that does not grade towards the kink misses it entirely
        assertEquals(want, got, 1e-12);
        assertTrue(want < 0.5 - 7e-6);
    }

    /** A zero variance makes the variable the constant 0: E = f(0) E[f(v)]. */
    @Test
    void zeroVarianceFactorises() {
        double got = ReferenceExpectation.expectation(x -> 1 + x * x, NO_KINKS, 0, 0, 3);
        assertEquals(1 * (1 + 3), got, 1e-13);
        assertEquals(1, ReferenceExpectation.expectation(x -> 1 + x * x, NO_KINKS, 0, 0, 0));
    }

    @Test
    void coverageFailsWhenARegimeIsMissing() {
        Coverage c = new Coverage("demo");
        c.count("a");
        c.count("a");
        c.assertCovered(2, "a");
        assertThrows(AssertionError.class, () -> c.assertCovered(1, "a", "b"));
    }

    @Test
    void monteCarloAgreesWithTheProductMoment() {
        MonteCarloExpectation.Estimate[] e = MonteCarloExpectation.estimate(x -> x, x -> 1, 2, 0.7, 0.5, 50_000, 42);
        assertEquals(0.7, e[0].mean(), 5 * e[0].standardError());
        assertEquals(1, e[1].mean(), 0);
        assertEquals(0, e[1].standardError(), 0);
    }
}
