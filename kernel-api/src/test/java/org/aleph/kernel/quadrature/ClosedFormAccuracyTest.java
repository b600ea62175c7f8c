package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.quadrature.Triples.Triple;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * The accuracy promise of {@link GaussianExpectation} against closed forms, at random triples
 * that include rho = +-1, 1 - 1e-12, 0, zero, tiny (1e-10) and huge (1e4..1e6) variances.
 *
 * <p>Criterion (the promise): |Q - E| &lt;= tol max(|E|, FLOOR sqrt(E11 E22)) with E11, E22
 * the closed form on the diagonals - relative error, except that it becomes absolute (relative
 * to the Cauchy-Schwarz bound) where E is a million times smaller than that bound, e.g. an odd f
 * near rho = 0 or Relu near rho = -1. tol = 1e-9 for smooth f, 1e-7 for kinked f.
 * Each family is checked one triple at a time (the direct nested rule) and again as one batch
 * (where |rho| &lt;= 0.6 goes through Mehler's series).
 */
class ClosedFormAccuracyTest {

    private static final int EXAMPLES = 160;
    private static final double HUGE = 1e6;

    interface Exact {
        double at(double q11, double q12, double q22);
    }

    private static void check(String name, DoubleUnaryOperator f, double[] kinks, double scale, Exact exact,
            double maxVariance, double tol) {
        GaussianExpectation quad = GaussianExpectation.forKinks(kinks, scale);
        double[] worst = {0};
        Triples.Tally tally = new Triples.Tally();
        List<Triple> drawn = new ArrayList<>();
        qt().withExamples(EXAMPLES).withFixedSeed(name.hashCode()).forAll(Triples.triples(maxVariance)).checkAssert(t -> {
            tally.record(t);
            drawn.add(t);
            double q = quad.expectation(f, t.q11(), t.q12(), t.q22());
            worst[0] = Math.max(worst[0], assertAccurate(name, t, q, exact, tol));
        });
        tally.assertCovered(3, maxVariance >= 1e4);
        // the batch form, whose small correlations go through Mehler's series, on the same triples
        int n = drawn.size();
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        double[] out = new double[n];
        int small = 0;
        for (int i = 0; i < n; i++) {
            Triple t = drawn.get(i);
            a[i] = t.q11();
            b[i] = t.q12();
            c[i] = t.q22();
            if (Math.abs(t.rho()) <= 0.6 && t.q11() > 0 && t.q22() > 0) {
                small++;
            }
        }
        assertTrue(small >= GaussianExpectation.MEHLER_MIN_ENTRIES, "too few small correlations for the series: " + small);
        quad.expectations(f, a, b, c, n, out);
        double worstBatch = 0;
        for (int i = 0; i < n; i++) {
            worstBatch = Math.max(worstBatch, assertAccurate(name + " (batch)", drawn.get(i), out[i], exact, tol));
        }
        System.out.printf("%-10s max relative error %.2e, batch %.2e (tolerance %.0e)%n", name, worst[0], worstBatch, tol);
    }

    private static double assertAccurate(String name, Triple t, double q, Exact exact, double tol) {
        double e = exact.at(t.q11(), t.q12(), t.q22());
        double bound = Math.sqrt(exact.at(t.q11(), t.q11(), t.q11()) * exact.at(t.q22(), t.q22(), t.q22()));
        double ref = Math.max(Math.abs(e), GaussianExpectation.FLOOR * bound);
        double err = ref == 0 ? Math.abs(q - e) : Math.abs(q - e) / ref;
        assertTrue(err <= tol, name + " at " + t + ": quadrature " + q + ", exact " + e + ", error " + err);
        return err;
    }

    @Test
    void relu() {
        check("Relu", x -> Math.max(x, 0), new double[] {0}, 1, (a, b, c) -> ClosedForms.arcCosine(1, a, b, c), HUGE, 1e-7);
    }

    @Test
    void step() {
        check("Step", x -> x > 0 ? 1 : 0, new double[] {0}, 1, (a, b, c) -> ClosedForms.arcCosine(0, a, b, c), HUGE, 1e-7);
    }

    @Test
    void rectifiedSquare() {
        check("Relu^2", x -> x > 0 ? x * x : 0, new double[] {0}, 1, (a, b, c) -> ClosedForms.arcCosine(2, a, b, c), HUGE, 1e-7);
    }

    @Test
    void abs() {
        check("Abs", Math::abs, new double[] {0}, 1, (a, b, c) -> ClosedForms.abRelu(-1, 1, a, b, c), HUGE, 1e-7);
    }

    @Test
    void leakyRelu() {
        check("LeakyRelu", x -> x > 0 ? x : 0.1 * x, new double[] {0}, 1, (a, b, c) -> ClosedForms.abRelu(0.1, 1, a, b, c),
                HUGE, 1e-7);
    }

    @Test
    void sign() {
        check("Sign", Math::signum, new double[] {0}, 1, ClosedForms::sign, HUGE, 1e-7);
    }

    @Test
    void erf() {
        check("Erf", Erf::erf, new double[0], 1, (a, b, c) -> ClosedForms.erf(1, a, b, c), HUGE, 1e-9);
    }

    @Test
    void steepErfWithItsScale() {
        check("Erf(4x)", x -> Erf.erf(4 * x), new double[0], 0.25, (a, b, c) -> ClosedForms.erf(4, a, b, c), HUGE, 1e-9);
    }

    @Test
    void square() {
        check("x^2", x -> x * x, new double[0], 1, ClosedForms::square, HUGE, 1e-9);
    }

    /** exp(b x) grows exponentially: covered while b s &lt;= 1 (variance at most 1 / b^2 ~ 2). */
    @Test
    void exponential() {
        check("exp(0.7x)", x -> Math.exp(0.7 * x), new double[0], 1, (a, b, c) -> ClosedForms.exp(0.7, a, b, c), 2.0, 1e-9);
    }

    /** Periodic f: covered while the variance is moderate (features of cos lie everywhere, not near 0). */
    @Test
    void cosine() {
        check("cos", Math::cos, new double[0], 1, ClosedForms::cos, 1.0, 1e-9);
    }

    @Test
    void sine() {
        check("sin", Math::sin, new double[0], 1, ClosedForms::sin, 1.0, 1e-9);
    }
}
