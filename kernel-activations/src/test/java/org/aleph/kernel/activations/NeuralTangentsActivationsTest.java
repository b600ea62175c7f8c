package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.quadrature.GaussianExpectation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Test;

/**
 * The activations taken from neural-tangents' stax (issue 17): Rbf, Cos(a, b, c), Sigmoid_like,
 * ExpNormalized and Gelu(approximate=true). Each closed form against kernel-api's quadrature
 * ({@link GaussianExpectation}, from phi and phi' alone) to 1e-9 of the Cauchy-Schwarz scale and
 * against Monte Carlo (200 000 samples, 5 standard errors) on 40 random triples (q11, q12, q22)
 * with variances log-uniform in [0.05, 5] and rho uniform in [-1, 1]; identities with the
 * built-ins they are made of; neural-tangents' formulas written out again. The worst errors are
 * printed (docs/activations.md quotes them).
 */
class NeuralTangentsActivationsTest {

    private static final int TRIPLES = 40;
    private static final int SAMPLES = 200_000;
    private static final double QUADRATURE_TOL = 1e-9;

    private static double[][] triples(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] t = new double[TRIPLES][];
        for (int i = 0; i < TRIPLES; i++) {
            double q11 = 0.05 * Math.pow(100, r.nextDouble());
            double q22 = 0.05 * Math.pow(100, r.nextDouble());
            double rho = 2 * r.nextDouble() - 1;
            t[i] = new double[] {q11, rho * Math.sqrt(q11 * q22), q22};
        }
        return t;
    }

    /** Worst |closed - quadrature| / scale and |closed - MC| / standard error over the triples, asserting both bounds. */
    private static double[] crossCheck(Activation a, long seed) {
        GaussianExpectation quad = GaussianExpectation.forKinks(a.kinks());
        double worstQuad = 0;
        double worstSigma = 0;
        for (double[] t : triples(seed)) {
            double[] closed = Builtins.at(a, t[0], t[1], t[2]);
            double[] d1 = Builtins.at(a, t[0], t[0], t[0]);
            double[] d2 = Builtins.at(a, t[2], t[2], t[2]);
            DoubleUnaryOperator[] f = {a::phi, a::dphi};
            double[][] mc = MonteCarlo.estimate(a, t[0], t[1], t[2], SAMPLES, seed ^ Double.doubleToLongBits(t[1]));
            for (int k = 0; k < 2; k++) {
                double scale = Math.sqrt(d1[k] * d2[k]);
                double q = quad.expectation(f[k], t[0], t[1], t[2]);
                double err = Math.abs(closed[k] - q) / scale;
                worstQuad = Math.max(worstQuad, err);
                assertTrue(err <= QUADRATURE_TOL, a.name() + " k=" + k + " at " + java.util.Arrays.toString(t)
                        + ": closed " + closed[k] + " quadrature " + q);
                double sigmas = Math.abs(closed[k] - mc[k][0]) / mc[k][1];
                worstSigma = Math.max(worstSigma, sigmas);
                assertTrue(sigmas <= 5, a.name() + " k=" + k + " at " + java.util.Arrays.toString(t) + ": closed "
                        + closed[k] + " Monte Carlo " + mc[k][0] + " +- " + mc[k][1]);
            }
        }
        System.out.printf("%s: expectations vs kernel-api quadrature %.1e (of sqrt(E f(u)^2 E f(v)^2)), vs Monte Carlo %.2f standard errors%n",
                a.name(), worstQuad, worstSigma);
        return new double[] {worstQuad, worstSigma};
    }

    @Test
    void rbfCosAndSigmoidLikeAgreeWithQuadratureAndMonteCarlo() {
        crossCheck(Builtins.create("Rbf"), 1);
        crossCheck(Builtins.create("Rbf", 0.3), 2);
        crossCheck(Builtins.create("Cos"), 3);
        crossCheck(Builtins.create("Cos", 1.5, 0.7, 0.4), 4);
        crossCheck(Builtins.create("Sigmoid_like"), 5);
    }

    @Test
    void rbfIsNeuralTangentsKernelAndASine() {
        Activation rbf = Builtins.create("Rbf", 0.7);
        Activation sine = Builtins.create("Sin", Math.sqrt(2), Math.sqrt(1.4), Math.PI / 4);
        for (double[] t : triples(11)) {
            double[] k = Builtins.at(rbf, t[0], t[1], t[2]);
            double nt = Math.exp(0.7 * (-(t[0] + t[2]) + 2 * t[1])); // nngp = exp(gamma (2 q12 - q11 - q22))
            assertEquals(nt, k[0], 1e-14 * Math.max(1, nt));
            assertEquals(2 * 0.7 * nt, k[1], 1e-14 * Math.max(1, nt)); // ntk *= 2 gamma nngp
            double[] s = Builtins.at(sine, t[0], t[1], t[2]);
            assertEquals(s[0], k[0], 1e-13);
            assertEquals(s[1], k[1], 1e-13);
        }
        assertEquals(1.0, Builtins.at(rbf, 3.7, 3.7, 3.7)[0], 1e-15, "E[phi^2] = 1 at every variance");
        assertThrows(RuntimeException.class, () -> Builtins.create("Rbf", -1));
    }

    @Test
    void cosIsAShiftedSineAndSigmoidLikeAShiftedErf() {
        Activation cos = Builtins.create("Cos", 1.3, 0.8, -0.6);
        Activation sine = Builtins.create("Sin", 1.3, 0.8, -0.6 + Math.PI / 2);
        Activation like = Builtins.create("Sigmoid_like");
        Activation erf = Builtins.create("Erf", 0.5, 1 / 2.4020563531719796, 0.5);
        for (double[] t : triples(12)) {
            double[] a = Builtins.at(cos, t[0], t[1], t[2]);
            double[] b = Builtins.at(sine, t[0], t[1], t[2]);
            assertEquals(b[0], a[0], 1e-13);
            assertEquals(b[1], a[1], 1e-13);
            assertEquals(Builtins.at(erf, t[0], t[1], t[2])[0], Builtins.at(like, t[0], t[1], t[2])[0], 0.0);
        }
        for (double x = -6; x <= 6; x += 0.25) {
            assertEquals(1.3 * Math.cos(0.8 * x - 0.6), cos.phi(x), 1e-15);
            // within 0.02 of the logistic sigmoid on [-5, 5], as neural-tangents chose the constant
            assertEquals(1 / (1 + Math.exp(-x)), like.phi(x), Math.abs(x) <= 5 ? 0.02 : 0.05, "Sigmoid_like at " + x);
        }
        assertEquals("Sigmoid_like", like.name());
        assertEquals("Cos(a=1, b=1, c=0)", Builtins.create("Cos").name());
    }

    /**
     * ExpNormalized: neural-tangents' kernel map term by term, and the normalised realisation
     * u -> s g(u / s) checked by quadrature and Monte Carlo at every variance.
     */
    @Test
    void expNormalizedIsNeuralTangentsMapAndItsNormalisedRealisation() {
        double gamma = 1.7;
        double shift = -0.4;
        Activation a = Builtins.create("ExpNormalized", gamma, shift, 0);
        GaussianExpectation quad = GaussianExpectation.forKinks(new double[0]);
        SplittableRandom r = new SplittableRandom(13);
        double worstQuad = 0;
        double worstSigma = 0;
        for (double[] t : triples(14)) {
            double[] k = Builtins.at(a, t[0], t[1], t[2]);
            double prod = Math.sqrt(t[0] * t[2]);
            double e12 = Math.exp(gamma * (t[1] / prod + shift));
            assertEquals(prod * e12, k[0], 1e-14 * prod * e12);
            assertEquals(gamma * e12, k[1], 1e-14 * gamma * e12);
            // s1 s2 E[g(x) g(y)] and E[g'(x) g'(y)] at unit variances, by quadrature
            double rho = t[1] / prod;
            double q0 = prod * quad.expectation(a::phi, 1, rho, 1);
            double q1 = quad.expectation(a::dphi, 1, rho, 1);
            double bound = Builtins.at(a, t[0], t[0], t[0])[0];
            worstQuad = Math.max(worstQuad, Math.max(Math.abs(q0 - k[0]) / (prod * Math.exp(gamma * (1 + shift))),
                    Math.abs(q1 - k[1]) / (gamma * Math.exp(gamma * (1 + shift)))));
            assertTrue(bound > 0);
            // Monte Carlo of the normalised map on the raw pre-activations
            double s1 = Math.sqrt(t[0]);
            double s2 = Math.sqrt(t[2]);
            double c = Math.sqrt(1 - rho * rho);
            double sum = 0;
            double sum2 = 0;
            for (int i = 0; i < SAMPLES; i++) {
                double z1 = r.nextGaussian();
                double u = s1 * z1;
                double v = s2 * (rho * z1 + c * r.nextGaussian());
                double p = s1 * a.phi(u / s1) * s2 * a.phi(v / s2);
                sum += p;
                sum2 += p * p;
            }
            double mean = sum / SAMPLES;
            double se = Math.sqrt((sum2 / SAMPLES - mean * mean) / SAMPLES);
            worstSigma = Math.max(worstSigma, Math.abs(mean - k[0]) / se);
        }
        System.out.printf("%s: closed form vs quadrature %.1e, vs Monte Carlo %.2f standard errors%n", a.name(), worstQuad,
                worstSigma);
        assertTrue(worstQuad <= QUADRATURE_TOL, "quadrature " + worstQuad);
        assertTrue(worstSigma <= 5, "Monte Carlo " + worstSigma);
        // the variance: q exp(gamma (1 + shift)); default shift -1 keeps it
        assertEquals(2.5, Builtins.at(Builtins.create("ExpNormalized"), 2.5, 2.5, 2.5)[0], 1e-15);
        assertEquals("ExpNormalized(gamma=1, shift=-1, do_clip=false)", Builtins.create("ExpNormalized").name());
        assertEquals("ExpNormalized(gamma=2, shift=-1, do_clip=true)",
                Network.parse("Dense ExpNormalized(gamma=2, do_clip=true) Dense").layers().get(1).spec());
        // do_clip only matters beyond the Cauchy-Schwarz bound (rounding): there it clamps rho to 1
        Activation clipped = Builtins.create("ExpNormalized", 1, -1, 1);
        assertEquals(1.0, Builtins.at(clipped, 1, 1 + 1e-12, 1)[0], 0.0);
        assertTrue(Builtins.at(a, 1, 1 + 1e-12, 1)[0] > Math.exp(gamma * (1 + shift)));
    }

    /**
     * Gelu(approximate=true): phi is jax.nn.gelu's tanh formula, the kernel its quadrature (said so
     * in the provenance), against Monte Carlo; its distance to the exact Gelu's kernel, which
     * neural-tangents reports for approximate=True, is measured and printed.
     */
    @Test
    void approximateGeluIsTheTanhFormulaWithItsOwnKernel() {
        Activation approx = Builtins.create("Gelu", 1);
        assertEquals("Gelu(approximate=true)", approx.name());
        assertEquals("Gelu(approximate=true)", Network.parse("Dense Gelu(approximate=true) Dense").layers().get(1).spec());
        Activation exact = Builtins.create("Gelu");
        assertEquals(Provenance.Kind.QUADRATURE, approx.provenance().kind());
        assertTrue(approx.provenance().detail().contains("tanh approximation"), approx.provenance().detail());
        for (double x = -8; x <= 8; x += 0.125) {
            double jax = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            assertEquals(jax, approx.phi(x), 1e-15 * Math.max(1, Math.abs(x)), "phi at " + x);
            double h = 1e-5;
            assertEquals((approx.phi(x + h) - approx.phi(x - h)) / (2 * h), approx.dphi(x), 1e-8, "phi' at " + x);
            assertEquals(exact.phi(x), approx.phi(x), 1e-3, "the approximation at " + x);
        }
        assertTrue(Double.isFinite(approx.phi(-1e3)) && Double.isFinite(approx.dphi(-1e3)));
        double[] worst = crossCheck(approx, 21);
        assertTrue(worst[0] <= QUADRATURE_TOL);
        double gap = 0;
        for (double[] t : triples(22)) {
            double[] ka = Builtins.at(approx, t[0], t[1], t[2]);
            double[] ke = Builtins.at(exact, t[0], t[1], t[2]);
            double scale = Math.sqrt(Builtins.at(exact, t[0], t[0], t[0])[0] * Builtins.at(exact, t[2], t[2], t[2])[0]);
            gap = Math.max(gap, Math.abs(ka[0] - ke[0]) / scale);
        }
        System.out.printf("Gelu(approximate=true) vs exact Gelu kernel: %.1e of sqrt(E phi(u)^2 E phi(v)^2)%n", gap);
        assertTrue(gap > 1e-7 && gap < 1e-3, "the tanh approximation's kernel differs a little from the exact one: " + gap);
        UserErrorException bad = assertThrows(UserErrorException.class, () -> Network.parse("Dense Gelu(approximate=2) Dense"));
        assertTrue(bad.getMessage().contains("approximate"), bad.getMessage());
        assertEquals("Gelu", ActivationRegistry.defaultRegistry().create("Gelu", List.of(), Map.of("approximate", 0.0)).name());
    }
}
