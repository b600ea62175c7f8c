package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Gaussians;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * Large variances (q up to 100) at high correlations (0.8 .. 0.9999 and 1), where f(s z) is
 * nearly a step and the Hermite series needs thousands of terms: the long expansions of
 * {@link ParsevalSeries}. Erf and erf' against Williams' closed forms (arcsine,
 * det(I + 2 Sigma)^(-1/2)), Tanh and Tanh' against the independent {@link AdaptiveReference};
 * the promise (1e-9 relative, floor 1e-6 of the Cauchy-Schwarz bound) is asserted on every
 * entry. Variances that differ by a few units of roundoff (as the diagonal of a standardised Gram
 * matrix does) are mixed in, so the shared long expansions and the bound of their move are
 * exercised; the entries compared were served by the long series (every entry with rho &lt;= 0.999
 * must be; above, tanh' at q = 100 is left to the direct rule), and one batch goes through the
 * activation with both rules.
 */
class LargeVarianceAccuracyTest {

    private static final DoubleUnaryOperator ERF = Erf::erf;
    private static final DoubleUnaryOperator DERF = x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
    private static final DoubleUnaryOperator TANH = Math::tanh;
    private static final DoubleUnaryOperator DTANH = x -> {
        double e = Math.exp(-2 * Math.abs(x));
        return 4 * e / ((1 + e) * (1 + e));
    };
    private static final double[] RHOS = {0.8, 0.85, 0.9, 0.95, 0.99, 0.999, 0.9999, 1};
    /** Relative perturbations of the variances, a few units of roundoff. */
    private static final double[] ULPS = {0, 2.2e-16, -4.4e-16, 1.1e-15, -3e-15};

    /** A batch: per variance pair, {@code per} entries cycling through RHOS and ULPS. */
    private static double[][] batch(double[][] pairs, int per) {
        int n = pairs.length * per;
        double[] q11 = new double[n];
        double[] q12 = new double[n];
        double[] q22 = new double[n];
        int e = 0;
        for (double[] p : pairs) {
            for (int i = 0; i < per; i++) {
                double a = p[0] * (1 + ULPS[i % ULPS.length]);
                double c = p[1] * (1 + ULPS[(i / 3) % ULPS.length]);
                double r = RHOS[i % RHOS.length] * (i % 2 == 0 ? 1 : 1 - 1e-3 * (i % 7));
                q11[e] = a;
                q12[e] = r * Math.sqrt(a * c);
                q22[e] = c;
                e++;
            }
        }
        return new double[][] {q11, q12, q22};
    }

    private static double error(double value, double exact, double csBound) {
        return Math.abs(value - exact) / Math.max(Math.abs(exact), GaussianExpectation.FLOOR * csBound);
    }

    /**
     * The series values of f on the batch t, NaN where it left an entry to the direct rule, from a
     * fresh cache (each entry chooses the long series by itself); asserts that every entry with
     * rho &lt;= 0.999 was served.
     */
    private static double[] served(DoubleUnaryOperator f, double[][] t) {
        int n = t[0].length;
        double[] out = new double[n];
        int[] rest = new int[n];
        int left = new HermiteExpansions().serve(f, t[0], t[1], t[2], n, out, 1e-10, rest);
        for (int i = 0; i < left; i++) {
            int r = rest[i];
            double rho = Gaussians.correlation(t[0][r], t[1][r], t[2][r]);
            assertTrue(rho > 0.999, "left to the direct rule at q11=" + t[0][r] + " rho=" + rho + " q22=" + t[2][r]);
            out[r] = Double.NaN;
        }
        return out;
    }

    @Test
    void erfAndItsDerivativeMatchWilliamsClosedFormsAtLargeVariances() {
        double[][] pairs = {{10, 10}, {50, 50}, {100, 100}, {30, 80}};
        double[][] t = batch(pairs, 80);
        int n = t[0].length;
        double[] nngp = served(ERF, t);
        double[] dnngp = served(DERF, t);
        double worst = 0;
        for (int e = 0; e < n; e++) {
            double a = t[0][e];
            double b = t[1][e];
            double c = t[2][e];
            double rho = Gaussians.correlation(a, b, c);
            double exact = ClosedForms.erf(1, a, b, c);
            double cs = ClosedForms.erf(1, a, Math.sqrt(a * c), c);
            double det = 1 + 2 * (a + c) + 4 * a * c * (1 - rho) * (1 + rho);
            double dexact = 4 / Math.PI / Math.sqrt(det);
            double dcs = 4 / Math.PI / Math.sqrt(Math.sqrt((1 + 4 * a) * (1 + 4 * c)));
            double e1 = Double.isNaN(nngp[e]) ? 0 : error(nngp[e], exact, cs);
            double e2 = Double.isNaN(dnngp[e]) ? 0 : error(dnngp[e], dexact, dcs);
            worst = Math.max(worst, Math.max(e1, e2));
            assertTrue(e1 <= 1e-9 && e2 <= 1e-9, "q11=" + a + " q12=" + b + " q22=" + c + ": errors " + e1 + ", " + e2);
        }
        System.out.printf("Erf, Erf' at q 10..100, rho 0.8..1, long series: max relative error vs Williams %.2e%n", worst);
    }

    @Test
    void tanhAndItsDerivativeMatchTheAdaptiveReferenceAtLargeVariances() {
        double[][] pairs = {{30, 30}, {100, 100}, {45, 60}};
        double[][] t = batch(pairs, RHOS.length);
        int n = t[0].length;
        double[] nngp = served(TANH, t);
        double[] dnngp = served(DTANH, t);
        AdaptiveReference phi = new AdaptiveReference(TANH, new double[0], 1e-13);
        AdaptiveReference dphi = new AdaptiveReference(DTANH, new double[0], 1e-13);
        java.util.Map<Double, Double> phiDiagonal = new java.util.HashMap<>();
        java.util.Map<Double, Double> dphiDiagonal = new java.util.HashMap<>();
        double worst = 0;
        for (int e = 0; e < n; e++) {
            double a = t[0][e];
            double b = t[1][e];
            double c = t[2][e];
            double e1 = Double.isNaN(nngp[e]) ? 0
                    : error(nngp[e], phi.expectation(a, b, c), Math.sqrt(phiDiagonal.computeIfAbsent(a, q -> phi.expectation(q, q, q))
                            * phiDiagonal.computeIfAbsent(c, q -> phi.expectation(q, q, q))));
            double e2 = Double.isNaN(dnngp[e]) ? 0
                    : error(dnngp[e], dphi.expectation(a, b, c), Math.sqrt(dphiDiagonal.computeIfAbsent(a, q -> dphi.expectation(q, q, q))
                            * dphiDiagonal.computeIfAbsent(c, q -> dphi.expectation(q, q, q))));
            worst = Math.max(worst, Math.max(e1, e2));
            assertTrue(e1 <= 1e-9 && e2 <= 1e-9, "q11=" + a + " q12=" + b + " q22=" + c + ": errors " + e1 + ", " + e2);
        }
        System.out.printf("Tanh, Tanh' at q 30..100, rho 0.8..1, long series: max relative error vs adaptive reference %.2e%n", worst);
    }

    @Test
    void aTanhBatchThroughTheActivationKeepsThePromiseWhicheverRuleServesAnEntry() {
        // at q = 50 the short series misses the entries above rho = 0.97: the long series serves them
        double[][] t = batch(new double[][] {{50, 50}}, 72);
        int n = t[0].length;
        QuadratureActivation tanh = new QuadratureActivation("Tanh", TANH, DTANH, new double[0]);
        double[] nngp = new double[n];
        tanh.expectations(t[0], t[1], t[2], n, nngp, null);
        AdaptiveReference phi = new AdaptiveReference(TANH, new double[0], 1e-13);
        double cs = phi.expectation(50, 50, 50);
        for (int e = 0; e < n; e += 8) {
            double err = error(nngp[e], phi.expectation(t[0][e], t[1][e], t[2][e]), cs);
            assertTrue(err <= 1e-9, "entry " + e + ": error " + err);
        }
    }

    @Test
    void longExpansionsReachSmallTailsWhereShortOnesCannot() {
        ParsevalSeries.Expansion shortOne = ParsevalSeries.expand(TANH, 50, 0);
        ParsevalSeries.Expansion longOne = ParsevalSeries.expandLong(TANH, 50, 0);
        assertEquals(ParsevalSeries.MAX_TERMS, shortOne.terms());
        assertTrue(shortOne.tail[shortOne.terms()] > 1e-6 * shortOne.energy);
        assertTrue(longOne.terms() < ParsevalSeries.LONG_TERMS);
        assertTrue(longOne.tail[longOne.terms()] <= 1e-11 * longOne.energy, "tail " + longOne.tail[longOne.terms()]);
        // the two rules agree on the coefficients they share
        for (int k = 0; k < ParsevalSeries.MAX_TERMS; k++) {
            assertEquals(shortOne.a[k], longOne.a[k], 1e-12, "a_" + k);
        }
    }

    @Test
    void snappingMovesAVarianceByAtMostTheGridSpacingAndIsIdempotent() {
        for (double q : new double[] {1e-8, 0.3, 1, 46.89, 1e3, 1e6}) {
            double s = HermiteExpansions.snap(q);
            assertTrue(Math.abs(s / q - 1) <= 1.2e-13, q + " -> " + s);
            assertEquals(s, HermiteExpansions.snap(s), 0.0);
            // neighbours a few units of roundoff away from a grid point land on it
            assertEquals(s, HermiteExpansions.snap(s * (1 + 4.4e-16)), 0.0);
            assertEquals(s, HermiteExpansions.snap(s * (1 - 4.4e-16)), 0.0);
        }
    }
}
