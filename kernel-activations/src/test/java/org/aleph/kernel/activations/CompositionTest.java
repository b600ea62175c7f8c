package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.ActivationComposition;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.testkit.ActivationContract;
import org.aleph.kernel.testkit.ReferenceExpectation;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Consecutive nonlinearities (issue 17): {@code Relu Erf} is one activation erf(relu(x)) on the
 * Gaussian pre-activations, by quadrature. Checked against the independent adaptive reference of
 * the testkit and Monte Carlo of the composed function written out here, through a whole
 * network's kernel, and by the activation contract; {@code Identity} drops out.
 */
class CompositionTest {

    private static double erfRelu(double x) {
        return Erf.erf(Math.max(0, x));
    }

    private static double erfReluDerivative(double x) {
        return x > 0 ? 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) : (x == 0 ? 1 / Math.sqrt(Math.PI) : 0);
    }

    private static Activation reluErf() {
        Layer l = Network.parse("Dense Relu Erf Dense").layers().get(1);
        return ((Layer.Nonlinearity) l).activation();
    }

    @Test
    void reluErfIsOneLayerNamedAndTracedAsAComposition() {
        Network net = Network.parse("Dense(1.5, 0.1) Relu Erf Dense(1, 0)");
        assertEquals(3, net.layers().size());
        Activation a = ((Layer.Nonlinearity) net.layers().get(1)).activation();
        assertEquals("Relu Erf(a=1, b=1, c=0)", a.name());
        assertEquals(Provenance.Kind.QUADRATURE, a.provenance().kind());
        assertTrue(a.provenance().detail().startsWith("composition of Relu then Erf(a=1, b=1, c=0), by quadrature"),
                a.provenance().detail());
        assertEquals(net, Network.parse(net.spec()), "the spec parses back to the same network");
        assertArrayEquals(new double[] {0.0}, a.kinks());
        for (double x = -3; x <= 3; x += 0.37) {
            assertEquals(erfRelu(x), a.phi(x), 1e-16);
            assertEquals(erfReluDerivative(x), a.dphi(x), 1e-16);
        }
    }

    /** Against the testkit's independent adaptive quadrature (1e-9 of the scale) and Monte Carlo (5 standard errors). */
    @Test
    void reluErfAgreesWithTheReferenceAndMonteCarlo() {
        Activation a = reluErf();
        SplittableRandom r = new SplittableRandom(17);
        double worstRef = 0;
        double worstSigma = 0;
        DoubleUnaryOperator[] f = {CompositionTest::erfRelu, CompositionTest::erfReluDerivative};
        double[] kinks = {0};
        for (int i = 0; i < 6; i++) {
            double q11 = 0.1 * Math.pow(50, r.nextDouble());
            double q22 = 0.1 * Math.pow(50, r.nextDouble());
            double rho = i == 0 ? 1 : i == 1 ? -1 : 2 * r.nextDouble() - 1;
            double q12 = rho * Math.sqrt(q11 * q22);
            double[] got = Builtins.at(a, q11, q12, q22);
            double[][] mc = MonteCarlo.estimate(a, q11, q12, q22, 100_000, 100 + i);
            for (int k = 0; k < 2; k++) {
                double ref = ReferenceExpectation.expectation(f[k], kinks, q11, q12, q22);
                double scale = Math.sqrt(ReferenceExpectation.expectation(f[k], kinks, q11, q11, q11)
                        * ReferenceExpectation.expectation(f[k], kinks, q22, q22, q22));
                worstRef = Math.max(worstRef, Math.abs(got[k] - ref) / scale);
                assertEquals(ref, got[k], 1e-9 * scale, "k=" + k + " at " + q11 + ", " + q12 + ", " + q22);
                if (mc[k][1] > 0) {
                    worstSigma = Math.max(worstSigma, Math.abs(got[k] - mc[k][0]) / mc[k][1]);
                }
                assertEquals(mc[k][0], got[k], 5 * mc[k][1] + 1e-12);
            }
        }
        System.out.printf("Relu Erf: vs independent reference %.1e of the scale, vs Monte Carlo %.2f standard errors%n", worstRef,
                worstSigma);
    }

    /** The whole network's NNGP: the last Dense(1, 0) reads out E[erf(relu(u)) erf(relu(v))] of the first layer's Gaussian. */
    @Test
    void aNetworkKernelUsesTheComposedExpectation() {
        Network net = Network.parse("Dense(1.5, 0.1) Relu Erf Dense(1, 0)");
        Matrix x = Matrix.of(new double[][] {{1, 0.5, -0.3}, {-0.2, 0.8, 1.1}, {0.4, -1, 0.2}});
        Matrix k = new KernelComputer(net, 1).compute(x, null).nngp();
        Activation a = reluErf();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double q11 = 2.25 * dot(x, i, i) + 0.01;
                double q22 = 2.25 * dot(x, j, j) + 0.01;
                double q12 = 2.25 * dot(x, i, j) + 0.01;
                double ref = ReferenceExpectation.expectation(CompositionTest::erfRelu, new double[] {0}, q11, q12, q22);
                assertEquals(ref, k.get(i, j), 1e-9);
                assertEquals(Builtins.at(a, q11, q12, q22)[0], k.get(i, j), 1e-15);
            }
        }
    }

    private static double dot(Matrix x, int i, int j) {
        double s = 0;
        for (int c = 0; c < x.cols(); c++) {
            s += x.get(i, c) * x.get(j, c);
        }
        return s / x.cols();
    }

    @Test
    void identityDropsOut() {
        Network withIdentity = Network.parse("Dense(1.5, 0.1) Identity Relu Identity Dense(1, 0)");
        Network plain = Network.parse("Dense(1.5, 0.1) Relu Dense(1, 0)");
        assertEquals(plain, withIdentity);
        Matrix x = Matrix.of(new double[][] {{1, 0.5}, {-0.2, 0.8}, {0.3, 0.3}});
        assertArrayEquals(new KernelComputer(plain, 1).compute(x, null).ntk().data(),
                new KernelComputer(withIdentity, 1).compute(x, null).ntk().data(), 0.0);
        Activation relu = Builtins.create("Relu");
        assertSame(relu, ActivationComposition.of(List.of(Builtins.create("Identity"), relu)));
        assertEquals(Provenance.Kind.CLOSED_FORM,
                ((Layer.Nonlinearity) withIdentity.layers().get(1)).activation().provenance().kind());
        // the column of an error after a fused run is still the spec's: Relu Erf applied to the raw data
        org.aleph.kernel.SpecException e = org.junit.jupiter.api.Assertions.assertThrows(org.aleph.kernel.SpecException.class,
                () -> Network.parse("Relu Erf Dense"));
        assertEquals(1, e.column());
    }

    /** Kinks of phi2 come back through phi1: relu(sin x) has kinks at every n pi (the 64 nearest 0 declared). */
    @Test
    void kinksOfTheOuterFunctionArePulledBack() {
        Activation a = ActivationComposition.of(List.of(Builtins.create("Sin"), Builtins.create("Relu")));
        double[] kinks = a.kinks();
        assertEquals(64, kinks.length);
        for (double k : kinks) {
            double n = Math.rint(k / Math.PI);
            assertEquals(n * Math.PI, k, 1e-12 * Math.max(1, Math.abs(k)), "kink " + k);
        }
        assertEquals(0.0, kinks[32 - 1] * kinks[32], 0.0, "0 is among them");
        assertTrue(a.provenance().detail().contains("64 kinks nearest to 0"), a.provenance().detail());
        assertArrayEquals(new double[] {0.0}, ActivationComposition.of(List.of(Builtins.create("Relu"), Builtins.create("Relu"))).kinks());
        assertArrayEquals(new double[] {0.0}, ActivationComposition.of(List.of(Builtins.create("Erf"), Builtins.create("Abs"))).kinks());
    }

    /**
     * A composition passes the activation contract (name parsing is skipped: "Relu Sin" is two
     * layers in a spec). Relu then Sin rather than Relu then Erf, whose phi (Hipparchus' erf)
     * makes every case several times slower; the kink and the chain rule are the same.
     */
    @Nested
    class Contract implements ActivationContract {
        @Override
        public Activation activation() {
            return ((Layer.Nonlinearity) Network.parse("Dense Relu Sin Dense").layers().get(1)).activation();
        }
    }
}
