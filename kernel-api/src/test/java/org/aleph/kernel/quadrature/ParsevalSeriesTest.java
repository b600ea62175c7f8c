package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.util.function.DoubleUnaryOperator;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * The Parseval-certified Mehler series against closed forms (erf and its derivative, whose
 * kernels are Williams' arcsine and det(I + 2 Sigma)^(-1/2)) and against the independent
 * adaptive reference (tanh), at every correlation including +-1; and its bound refusing what it
 * cannot certify.
 */
class ParsevalSeriesTest {

    private static final DoubleUnaryOperator ERF = Erf::erf;
    private static final DoubleUnaryOperator DERF = x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
    private static final double TOL = 1e-10;

    /** The full expansions of both variances, as {@link HermiteExpansions#serve} pairs them. */
    private static double series(DoubleUnaryOperator f, double q11, double q12, double q22) {
        HermiteExpansions cache = new HermiteExpansions();
        ParsevalSeries.Expansion x = cache.get(f, q11);
        ParsevalSeries.Expansion y = cache.get(f, q22);
        return ParsevalSeries.sum(x, y, org.aleph.kernel.spi.Gaussians.correlation(q11, q12, q22), TOL);
    }

    private static double relativeError(double value, double exact, double bound) {
        return Math.abs(value - exact) / Math.max(Math.abs(exact), 1e-6 * bound);
    }

    @Test
    void erfAndItsDerivativeMatchTheirClosedFormsAtEveryCorrelation() {
        double[] variances = {1e-4, 0.01, 0.3, 1, 2.25, 4, 9};
        double[] rhos = {-1, -(1 - 1e-9), -0.9999, -0.99, -0.9, -0.5, 0, 0.01, 0.3, 0.8, 0.9, 0.99, 0.999, 1 - 1e-9, 1};
        for (double q11 : variances) {
            for (double q22 : variances) {
                for (double rho : rhos) {
                    double q12 = rho * Math.sqrt(q11 * q22);
                    double nngp = series(ERF, q11, q12, q22);
                    double det = 1 + 2 * (q11 + q22) + 4 * q11 * q22 * (1 - rho) * (1 + rho);
                    double dnngp = series(DERF, q11, q12, q22);
                    String at = "q11 = " + q11 + ", q22 = " + q22 + ", rho = " + rho;
                    assertFalse(Double.isNaN(nngp) || Double.isNaN(dnngp), "not certified at " + at);
                    double e1 = relativeError(nngp, ClosedForms.erf(1, q11, q12, q22),
                            ClosedForms.erf(1, q11, Math.sqrt(q11 * q22), q22));
                    double e2 = relativeError(dnngp, 4 / Math.PI / Math.sqrt(det), 4 / Math.PI
                            / Math.sqrt(Math.sqrt((1 + 4 * q11) * (1 + 4 * q22))));
                    assertTrue(e1 <= TOL && e2 <= TOL, at + ": errors " + e1 + ", " + e2);
                }
            }
        }
    }

    @Test
    void tanhAgreesWithTheAdaptiveReferenceWhereverItIsCertified() {
        AdaptiveReference reference = new AdaptiveReference(Math::tanh, new double[0], 1e-13);
        int[] certifiedAtHighCorrelation = new int[1];
        qt().withExamples(60).forAll(doubles().between(-4, Math.log10(4)), doubles().between(-4, Math.log10(4)),
                Triples.correlation()).checkAssert((l1, l2, rho) -> {
                    double q11 = Math.pow(10, l1);
                    double q22 = Math.pow(10, l2);
                    double q12 = rho * Math.sqrt(q11 * q22);
                    double value = series(Math::tanh, q11, q12, q22);
                    if (Math.abs(rho) > 0.8) {
                        // variances up to 4 need at most a few hundred terms: always certified
                        assertFalse(Double.isNaN(value), "not certified at " + q11 + ", " + q12 + ", " + q22);
                        certifiedAtHighCorrelation[0]++;
                    }
                    if (!Double.isNaN(value)) {
                        double exact = reference.expectation(q11, q12, q22);
                        double bound = Math.sqrt(reference.expectation(q11, q11, q11) * reference.expectation(q22, q22, q22));
                        assertTrue(relativeError(value, exact, bound) <= 1e-9,
                                "q11 = " + q11 + ", q12 = " + q12 + ", q22 = " + q22 + ": " + value + " vs " + exact);
                    }
                });
        assertTrue(certifiedAtHighCorrelation[0] >= 15, "high correlations drawn: " + certifiedAtHighCorrelation[0]);
    }

    @Test
    void theBoundRefusesAKinkAtHighCorrelationAndALargeVarianceButAcceptsThemWhereTheyConverge() {
        DoubleUnaryOperator relu = x -> Math.max(0, x);
        // Relu's coefficients decay like k^(-5/4): no certificate near rho = 1 ...
        assertTrue(Double.isNaN(series(relu, 1, 0.99, 1)));
        // ... but at rho = 0.3 the geometric factor alone bounds the tail, and the value is Cho and Saul's
        double relu03 = series(relu, 1, 0.3, 1);
        assertEquals(ClosedForms.arcCosine(1, 1, 0.3, 1), relu03, 1e-12);
        // tanh at variance 100 would need thousands of terms: the expansion stops at MAX_TERMS uncertified
        assertEquals(ParsevalSeries.MAX_TERMS, ParsevalSeries.expand(Math::tanh, 100, 0).terms());
        assertTrue(Double.isNaN(series(Math::tanh, 100, 99.9, 100)));
    }

    @Test
    void parsevalTailsAreUpperBoundsOfTheTrueTails() {
        // sum of the squared coefficients of erf(s z) beyond K, from a longer expansion, never exceeds the stored bound
        ParsevalSeries.Expansion longer = ParsevalSeries.expand(ERF, 2.0, ParsevalSeries.MAX_TERMS);
        ParsevalSeries.Expansion e = ParsevalSeries.expand(ERF, 2.0, 0);
        double beyond = 0;
        for (int k = longer.terms() - 1; k >= e.terms(); k--) {
            beyond += longer.a[k] * longer.a[k];
        }
        assertTrue(beyond <= e.tail[e.terms()], beyond + " > " + e.tail[e.terms()]);
        assertTrue(e.tail[e.terms()] <= 2 * ParsevalSeries.TAIL * e.energy);
        for (int k = 0; k < e.terms(); k++) {
            assertEquals(longer.a[k], e.a[k], 0.0, "the same recurrence gives the same coefficients");
        }
    }
}
