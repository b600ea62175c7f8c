package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Periodic f at large variances and correlations near and at +-1, where the features of f lie
 * everywhere on the Gaussian rather than near 0 (issue #2): sin(a x + b) for a = 1, 2, 3 and
 * several phases (cos = sin(x + pi/2); the derivative of sin(a x + b) is a sin(a x + b + pi/2),
 * so this also covers dphi) against the closed form
 * <pre>
 *   E[sin(a u + b) sin(a v + b)] = (exp(-a^2 (q11 + q22 - 2 q12) / 2) - cos(2b) exp(-a^2 (q11 + q22 + 2 q12) / 2)) / 2,
 * </pre>
 * from sin x sin y = (cos(x - y) - cos(x + y)) / 2 and E[cos(w)] = exp(-Var(w) / 2) for a centred
 * normal w. Grid: variances 1e-6 .. 100 (equal and unequal), rho in {+-1, +-(1 - 1e-3),
 * +-(1 - 1e-6), +-0.995} and a few interior values; one triple at a time (nested, lattice) and
 * as one batch. Criterion of the promise (1e-9, floor 1e-6 of the Cauchy-Schwarz bound).
 */
class OscillatoryAccuracyTest {

    private static final double[] VARIANCES = {1e-6, 0.1, 1, 10, 100};
    private static final double[] RHOS = {1, -1, 1 - 1e-3, -(1 - 1e-3), 1 - 1e-6, -(1 - 1e-6), 0.995, -0.995, 0.5, -0.7};

    static double exact(double a, double b, double q11, double q12, double q22) {
        return 0.5 * (Math.exp(-a * a * (q11 + q22 - 2 * q12) / 2) - Math.cos(2 * b) * Math.exp(-a * a * (q11 + q22 + 2 * q12) / 2));
    }

    private static void check(double a, double b, boolean unequal) {
        DoubleUnaryOperator f = x -> Math.sin(a * x + b);
        GaussianExpectation quad = GaussianExpectation.forKinks(new double[0]);
        List<double[]> triples = new ArrayList<>();
        for (double q : VARIANCES) {
            double q2 = unequal ? Math.min(1.7 * q, 100) : q;
            for (double r : RHOS) {
                triples.add(new double[] {q, r * Math.sqrt(q * q2), q2});
            }
        }
        int n = triples.size();
        double[] q11 = new double[n];
        double[] q12 = new double[n];
        double[] q22 = new double[n];
        for (int i = 0; i < n; i++) {
            q11[i] = triples.get(i)[0];
            q12[i] = triples.get(i)[1];
            q22[i] = triples.get(i)[2];
        }
        double[] batch = new double[n];
        quad.expectations(f, q11, q12, q22, n, batch, quad.seriesCache());
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double e = exact(a, b, q11[i], q12[i], q22[i]);
            double bound = Math.sqrt(exact(a, b, q11[i], q11[i], q11[i]) * exact(a, b, q22[i], q22[i], q22[i]));
            double scale = Math.max(Math.abs(e), GaussianExpectation.FLOOR * bound);
            double single = quad.expectation(f, q11[i], q12[i], q22[i]);
            for (double q : new double[] {single, batch[i]}) {
                double err = Math.abs(q - e) / scale;
                worst = Math.max(worst, err);
                assertTrue(err <= 1e-9, "sin(" + a + " x + " + b + ") at q11=" + q11[i] + " q12=" + q12[i] + " q22=" + q22[i]
                        + ": quadrature " + q + ", exact " + e + ", error " + err);
            }
        }
        System.out.printf("sin(%.0f x + %.2f)%s: max relative error %.2e over %d triples%n", a, b, unequal ? " q22 = 1.7 q11" : "",
                worst, n);
    }

    @Test
    void cosine() {
        check(1, Math.PI / 2, false);
        check(1, Math.PI / 2, true);
    }

    @Test
    void sine() {
        check(1, 0, false);
        check(1, 0, true);
    }

    @Test
    void shiftedTripleFrequency() {
        check(3, 1, false);
        check(3, 1, true);
    }

    @Test
    void shiftedDoubleFrequency() {
        check(2, 0.3, true);
    }
}
