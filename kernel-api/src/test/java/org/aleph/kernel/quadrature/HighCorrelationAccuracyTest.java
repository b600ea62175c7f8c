package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The regime 0.8 &lt; |rho| &lt;= 1, where smooth activations go through {@link LatticeRule} when it
 * is cheap and the nested rule otherwise: Tanh, Softplus, Silu, Sigmoid' (smooth, 1e-9) and an
 * Elu-like kinked function (1e-7) against {@link AdaptiveReference}, one triple at a time and as
 * one batch (whose workspace is reused across entries of different lattice sizes), at variances
 * from 1e-8 to 1e3 (equal and unequal) and correlations 0.81 .. 1 of both signs. Same criterion
 * as {@link ReferenceAccuracyTest}. Also checks that the lattice rule was really taken for a good
 * share of the smooth triples, and that the lattice rule on its own (whatever its cost) agrees
 * with the reference at moderate variances.
 */
class HighCorrelationAccuracyTest {

    private static final double[][] VARIANCES = {{1e-8, 1e-8}, {1e-8, 3e-8}, {0.3, 0.5}, {1, 1.3}, {2.5, 2.5}, {1e3, 1e3}};
    private static final double[] RHOS = {0.81, 0.9, -0.95, 0.99, -0.999, 1 - 1e-6, 1};

    static List<double[]> triples() {
        List<double[]> list = new ArrayList<>();
        for (double[] q : VARIANCES) {
            for (double r : RHOS) {
                list.add(new double[] {q[0], r * Math.sqrt(q[0] * q[1]), q[1]});
            }
        }
        return list;
    }

    private static void check(String name, DoubleUnaryOperator f, double[] kinks, double tol) {
        GaussianExpectation quad = GaussianExpectation.forKinks(kinks);
        AdaptiveReference ref = new AdaptiveReference(f, kinks, 1e-14);
        Map<Double, Double> diagonal = new HashMap<>();
        List<double[]> triples = triples();
        int n = triples.size();
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = triples.get(i)[0];
            b[i] = triples.get(i)[1];
            c[i] = triples.get(i)[2];
        }
        double[] batch = new double[n];
        quad.expectations(f, a, b, c, n, batch, quad.seriesCache());
        double worst = 0;
        int lattice = 0;
        for (int i = 0; i < n; i++) {
            double e = ref.expectation(a[i], b[i], c[i]);
            double bound = Math.sqrt(diagonal.computeIfAbsent(a[i], q -> ref.expectation(q, q, q))
                    * diagonal.computeIfAbsent(c[i], q -> ref.expectation(q, q, q)));
            double scale = Math.max(Math.abs(e), GaussianExpectation.FLOOR * bound);
            double single = quad.expectation(f, a[i], b[i], c[i]);
            double rho = org.aleph.kernel.spi.Gaussians.correlation(a[i], b[i], c[i]);
            if (kinks.length == 0 && Math.abs(rho) < 1
                    && LatticeRule.preferred(Math.sqrt(a[i]), Math.sqrt(c[i]), Math.abs(rho), 1.0)) {
                lattice++;
            }
            for (double q : new double[] {single, batch[i]}) {
                double err = Math.abs(q - e) / scale;
                worst = Math.max(worst, err);
                assertTrue(err <= tol, name + " at q11=" + a[i] + " q12=" + b[i] + " q22=" + c[i] + ": quadrature " + q
                        + ", reference " + e + ", error " + err);
            }
        }
        if (kinks.length == 0) {
            assertTrue(lattice >= n / 3, name + ": lattice rule taken for only " + lattice + " of " + n + " triples");
        }
        System.out.printf("%-9s |rho| > 0.8: max relative error vs adaptive reference %.2e (tolerance %.0e), %d of %d by lattice%n",
                name, worst, tol, lattice, n);
    }

    /** The lattice rule alone, also where the dispatch would prefer the nested rule (rho = 0.9999, q = 30). */
    private static void checkLatticeAlone(String name, DoubleUnaryOperator f) {
        AdaptiveReference ref = new AdaptiveReference(f, new double[0], 1e-14);
        LatticeRule rule = new LatticeRule();
        double[][] cases = {{1, 0.9999, 1.7}, {30, -0.97, 30}, {0.05, 0.85, 4}, {1e-8, 0.999, 2e-8}};
        for (double[] t : cases) {
            double q12 = t[1] * Math.sqrt(t[0] * t[2]);
            double e = ref.expectation(t[0], q12, t[2]);
            double bound = Math.sqrt(ref.expectation(t[0], t[0], t[0]) * ref.expectation(t[2], t[2], t[2]));
            double scale = Math.max(Math.abs(e), GaussianExpectation.FLOOR * bound);
            double q = rule.expectation(f, Math.sqrt(t[0]), Math.sqrt(t[2]), t[1], 1.0);
            double err = Math.abs(q - e) / scale;
            assertTrue(err <= 1e-9, name + " lattice alone at " + java.util.Arrays.toString(t) + ": " + q + " vs " + e
                    + ", error " + err);
        }
    }

    @Test
    void tanh() {
        check("Tanh", Math::tanh, new double[0], 1e-9);
        checkLatticeAlone("Tanh", Math::tanh);
    }

    @Test
    void softplus() {
        check("Softplus", ReferenceAccuracyTest::softplus, new double[0], 1e-9);
        checkLatticeAlone("Softplus", ReferenceAccuracyTest::softplus);
    }

    @Test
    void silu() {
        check("Silu", x -> x * ReferenceAccuracyTest.sigmoid(x), new double[0], 1e-9);
        checkLatticeAlone("Silu", x -> x * ReferenceAccuracyTest.sigmoid(x));
    }

    @Test
    void sigmoidDerivative() {
        DoubleUnaryOperator f = x -> ReferenceAccuracyTest.sigmoid(x) * (1 - ReferenceAccuracyTest.sigmoid(x));
        check("Sigmoid'", f, new double[0], 1e-9);
        checkLatticeAlone("Sigmoid'", f);
    }

    @Test
    void eluLikeKinked() {
        check("Elu(0.7)", x -> x > 0 ? x : 0.7 * Math.expm1(x), new double[] {0}, 1e-7);
    }
}
