package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Test;

/**
 * The quadrature built-ins: phi and phi' are the documented functions, numerically stable far
 * out on both sides, and the engine's expectations agree with the independent reference to a
 * loose tolerance (the engine's own accuracy is tested in kernel-api).
 */
class QuadratureBuiltinsTest {

    private static final double LAMBDA = 1.0507009873554804934193349852946;
    private static final double ALPHA = 1.6732632423543772848170429916717;

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double softplus(double x) {
        return Math.log(1 + Math.exp(x));
    }

    private record Spec(String name, double[] args, DoubleUnaryOperator phi, boolean kink) { }

    private static final Spec[] SPECS = {
        new Spec("Tanh", new double[0], Math::tanh, false),
        new Spec("Sigmoid", new double[0], QuadratureBuiltinsTest::sigmoid, false),
        new Spec("Softplus", new double[0], QuadratureBuiltinsTest::softplus, false),
        new Spec("Silu", new double[0], x -> x * sigmoid(x), false),
        new Spec("Elu", new double[] {0.7}, x -> x > 0 ? x : 0.7 * (Math.exp(x) - 1), true),
        new Spec("Selu", new double[0], x -> LAMBDA * (x > 0 ? x : ALPHA * (Math.exp(x) - 1)), true),
        new Spec("Mish", new double[0], x -> x * Math.tanh(softplus(x)), false),
    };

    @Test
    void phiIsTheDocumentedFunctionAndPhiPrimeItsDerivative() {
        for (Spec s : SPECS) {
            Activation a = Builtins.create(s.name(), s.args());
            assertEquals(Provenance.Kind.QUADRATURE, a.provenance().kind(), s.name());
            assertArrayEquals(s.kink() ? new double[] {0.0} : new double[0], a.kinks(), s.name());
            for (double x = -8; x <= 8; x += 0.37) {
                assertEquals(s.phi().applyAsDouble(x), a.phi(x), 1e-13 * (1 + Math.abs(x)), s.name() + " phi(" + x + ")");
                double h = 1e-5;
                double fd = (a.phi(x + h) - a.phi(x - h)) / (2 * h);
                assertEquals(fd, a.dphi(x), 1e-8, s.name() + " phi'(" + x + ")");
            }
            for (double x : new double[] {-800, -60, 60, 800}) {
                assertTrue(Double.isFinite(a.phi(x)) && Double.isFinite(a.dphi(x)), s.name() + " finite at " + x);
            }
        }
        // Far out, the stable forms keep their relative accuracy: softplus(-40) = e^-40 (1 - e^-40/2 ...),
        // sigmoid'(-40) = e^-40, Mish(-40) = -40 tanh(e^-40) ~ -40 e^-40.
        assertEquals(Math.exp(-40), Builtins.create("Softplus").phi(-40), 1e-15 * Math.exp(-40));
        assertEquals(Math.exp(-40), Builtins.create("Sigmoid").dphi(-40), 1e-14 * Math.exp(-40));
        assertEquals(-40 * Math.exp(-40), Builtins.create("Mish").phi(-40), 1e-13 * 40 * Math.exp(-40));
        assertEquals(100, Builtins.create("Softplus").phi(100), 1e-15);
    }

    @Test
    void expectationsAgreeWithTheReference() {
        double[][] triples = {{1, 0.5, 1}, {2, -1.2, 0.9}, {0.3, 0.29, 0.3}};
        double[] features = {-9, -6, -3, -1.5, -0.5, 0, 0.5, 1.5, 3, 6, 9};
        for (Spec s : SPECS) {
            Activation a = Builtins.create(s.name(), s.args());
            for (double[] t : triples) {
                double[] got = Builtins.at(a, t[0], t[1], t[2]);
                Reference ref = new Reference(features, s.kink() ? new double[] {0} : new double[0], 12);
                double k = ref.pair(a::phi, a::phi, t[0], t[1], t[2], 0, 0, 1e-13);
                double d = ref.pair(a::dphi, a::dphi, t[0], t[1], t[2], 0, 0, 1e-13);
                // The engine promises 1e-9 (smooth) / 1e-7 (kinked); allow 1e-5 here.
                assertEquals(k, got[0], 1e-5 * (Math.abs(k) + 1e-3), s.name() + " E[phi phi] at " + java.util.Arrays.toString(t));
                assertEquals(d, got[1], 1e-5 * (Math.abs(d) + 1e-3), s.name() + " E[phi' phi'] at " + java.util.Arrays.toString(t));
            }
        }
    }
}
