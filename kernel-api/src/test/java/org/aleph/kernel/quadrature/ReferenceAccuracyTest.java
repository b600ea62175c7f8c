package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The activations that have no closed form (the ones the quadrature exists for), and their
 * derivatives, against {@link AdaptiveReference}: Tanh, Softplus, Silu, Mish and Sigmoid' (smooth,
 * 1e-9), Elu(0.5), its derivative (a jump at 0) and Selu (kinked, 1e-7), at fixed hard triples
 * (rho = +-1, 1 - 1e-12, 0, zero, tiny and huge variances) plus random ones. Same criterion as
 * {@link ClosedFormAccuracyTest}.
 */
class ReferenceAccuracyTest {

    private static final double SELU_L = 1.0507009873554805;
    private static final double SELU_A = 1.6732632423543772;

    static List<double[]> triples() {
        List<double[]> list = new ArrayList<>();
        double[][] fixed = {
            {1, 1, 1}, {1, -1, 1}, {1, 1 - 1e-12, 1}, {1, -(1 - 1e-12), 1}, {1, 0, 1}, {0, 0, 1}, {1, 0, 0},
            {1e-10, 0.5e-10, 1e-10}, {1e-10, 1e-10 * Math.sqrt(2.7) * 0.99, 2.7e-10},
            {1e4, 0.7e4, 1e4}, {1e4, -0.3e4 * Math.sqrt(50), 5e4}, {1e4, 1e4, 1e4}, {1e6, 0.999e6, 1e6},
            {2.5, 0.9 * 2.5, 2.5}, {0.3, -0.2, 0.4}, {3, 2.9, 3}, {1e-4, 0.5e-2, 1}, {100, 9.999, 1},
        };
        list.addAll(List.of(fixed));
        Random rnd = new Random(20261128);
        for (int i = 0; i < 2; i++) {
            double a = Math.pow(10, -2 + 4 * rnd.nextDouble());
            double b = Math.pow(10, -2 + 4 * rnd.nextDouble());
            double r = 2 * rnd.nextDouble() - 1;
            list.add(new double[] {a, r * Math.sqrt(a * b), b});
        }
        return list;
    }

    private static void check(String name, DoubleUnaryOperator f, double[] kinks, double tol) {
        GaussianExpectation quad = GaussianExpectation.forKinks(kinks);
        AdaptiveReference ref = new AdaptiveReference(f, kinks, 1e-14);
        double worst = 0;
        for (double[] t : triples()) {
            double q = quad.expectation(f, t[0], t[1], t[2]);
            double e = ref.expectation(t[0], t[1], t[2]);
            double bound = Math.sqrt(ref.expectation(t[0], t[0], t[0]) * ref.expectation(t[2], t[2], t[2]));
            double scale = Math.max(Math.abs(e), GaussianExpectation.FLOOR * bound);
            double err = scale == 0 ? Math.abs(q - e) : Math.abs(q - e) / scale;
            worst = Math.max(worst, err);
            assertTrue(err <= tol, name + " at q11=" + t[0] + " q12=" + t[1] + " q22=" + t[2] + ": quadrature " + q
                    + ", reference " + e + ", error " + err);
        }
        System.out.printf("%-8s max relative error vs adaptive reference %.2e (tolerance %.0e)%n", name, worst, tol);
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Test
    void tanh() {
        check("Tanh", Math::tanh, new double[0], 1e-9);
    }

    @Test
    void tanhDerivative() {
        check("Tanh'", x -> 1 / (Math.cosh(x) * Math.cosh(x)), new double[0], 1e-9);
    }

    @Test
    void softplus() {
        check("Softplus", ReferenceAccuracyTest::softplus, new double[0], 1e-9);
    }

    @Test
    void silu() {
        check("Silu", x -> x * sigmoid(x), new double[0], 1e-9);
    }

    @Test
    void mish() {
        check("Mish", x -> x * Math.tanh(softplus(x)), new double[0], 1e-9);
    }

    @Test
    void sigmoidDerivative() {
        check("Sigmoid'", x -> sigmoid(x) * (1 - sigmoid(x)), new double[0], 1e-9);
    }

    @Test
    void elu() {
        check("Elu(0.5)", x -> x > 0 ? x : 0.5 * Math.expm1(x), new double[] {0}, 1e-7);
    }

    @Test
    void eluDerivativeJumps() {
        check("Elu'(0.5)", x -> x > 0 ? 1 : 0.5 * Math.exp(x), new double[] {0}, 1e-7);
    }

    @Test
    void selu() {
        check("Selu", x -> SELU_L * (x > 0 ? x : SELU_A * Math.expm1(x)), new double[] {0}, 1e-7);
    }
}
