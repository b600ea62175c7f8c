package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/**
 * The closed-form variance derivatives dF/dq11, dF/dq22 of the activations that offer them,
 * against a five-point central difference of each activation's own expectations at fixed q12
 * (independent of the derivative formulas), over generated covariances including |rho| within
 * 1e-4 of 1; and Relu's against (1/2) E[phi''(u) phi(v)] = (1/2) p_u(0) E[relu(v) | u = 0] by
 * Gauss-Kronrod quadrature of the conditional expectation.
 */
class VarianceDerivativesTest {

    private static final long SEED = 18L;

    private static List<Activation> offering() {
        return List.of(Builtins.create("Relu"), Builtins.create("LeakyRelu", 0.1), Builtins.create("Abs"),
                Builtins.create("ABRelu", -0.5, 2.0), Builtins.create("ABRelu", 1.5, 1.5), Builtins.create("Erf"),
                Builtins.create("Erf", 1.3, 0.7, 0.2), Builtins.create("Sin"), Builtins.create("Sin", 1.2, 0.7, 0.4),
                Builtins.create("Cos", 0.9, 1.1, 0.3), Builtins.create("Exp", 0.8, 0.5), Builtins.create("Gaussian"),
                Builtins.create("Gaussian", 0.7, -0.3), Builtins.create("Gelu"), Builtins.create("Monomial", 1.0),
                Builtins.create("Monomial", 2.0), Builtins.create("Monomial", 5.0), Builtins.create("RectifiedMonomial", 1.0),
                Builtins.create("RectifiedMonomial", 2.0), Builtins.create("RectifiedMonomial", 3.0), Builtins.create("Hermite", 1.0),
                Builtins.create("Hermite", 2.0), Builtins.create("Hermite", 3.0), Builtins.create("Hermite", 6.0),
                Builtins.create("Rbf", 0.7), Builtins.create("ExpNormalized"), Builtins.create("ExpNormalized", 0.5, -0.5));
    }

    private static double nngp(Activation a, double q11, double q12, double q22) {
        return Builtins.at(a, q11, q12, q22)[0];
    }

    /** d/dq11 F(q11, q12, q22) by the five-point rule with a step inside the Cauchy-Schwarz domain. */
    private static double fd11(Activation a, double q11, double q12, double q22) {
        double room = q11 - q12 * q12 / q22; // distance to the boundary q11 = q12^2 / q22
        double h = Math.min(1e-3 * q11, room / 20);
        return (-nngp(a, q11 + 2 * h, q12, q22) + 8 * nngp(a, q11 + h, q12, q22) - 8 * nngp(a, q11 - h, q12, q22)
                + nngp(a, q11 - 2 * h, q12, q22)) / (12 * h);
    }

    @Test
    void closedFormsMatchCentralDifferencesOfTheExpectations() {
        List<Activation> acts = offering();
        qt().withFixedSeed(SEED).withExamples(1000)
                .forAll(integers().between(0, acts.size() - 1), doubles().between(-2.5, 2.5), doubles().between(-2.5, 2.5),
                        doubles().between(-1, 1))
                .checkAssert((which, l11, l22, t) -> {
                    Activation a = acts.get(which);
                    double q11 = Math.exp(l11);
                    double q22 = Math.exp(l22);
                    double rho = Math.signum(t) * (1 - Math.pow(10, -4 * Math.abs(t))); // 1 - |rho| from 1e-4 to 1
                    double q12 = rho * Math.sqrt(q11 * q22);
                    double[] d11 = new double[1];
                    double[] d22 = new double[1];
                    assertTrue(a.varianceDerivatives(new double[] {q11}, new double[] {q12}, new double[] {q22}, 1, d11, d22));
                    double f11 = fd11(a, q11, q12, q22);
                    double f22 = fd11(a, q22, q12, q11); // F(q11, q12, q22) = F(q22, q12, q11)
                    // the difference rounds the expectations (eps ~ 1e-15 of F) over a step as small as
                    // q11 (1 - rho^2) / 20: the tolerance says so
                    double scale = Math.abs(nngp(a, q11, q12, q22)) + Math.sqrt(q11 * q22);
                    double room = 1 - rho * rho;
                    assertEquals(f11, d11[0], 1e-6 * Math.abs(f11) + 1e-13 * scale / (q11 * room), a.name() + " d/dq11 rho=" + rho);
                    assertEquals(f22, d22[0], 1e-6 * Math.abs(f22) + 1e-13 * scale / (q22 * room), a.name() + " d/dq22 rho=" + rho);
                });
    }

    /**
     * Relu: phi'' is the Dirac mass at 0, so (1/2) E[phi''(u) phi(v)] = (1/2) p_u(0) E[relu(v) | u = 0]
     * with v | u = 0 ~ N(0, q22 - q12^2 / q11); the conditional mean by quadrature.
     */
    @Test
    void reluEqualsHalfTheExpectationOfTheSecondDerivative() {
        Activation relu = Builtins.create("Relu");
        qt().withFixedSeed(SEED).withExamples(100)
                .forAll(doubles().between(-2, 2), doubles().between(-2, 2), doubles().between(-0.9999, 0.9999))
                .checkAssert((l11, l22, rho) -> {
                    double q11 = Math.exp(l11);
                    double q22 = Math.exp(l22);
                    double q12 = rho * Math.sqrt(q11 * q22);
                    double var = q22 - q12 * q12 / q11;
                    double sd = Math.sqrt(var);
                    double mean = GaussKronrod.integrate(v -> v * Math.exp(-v * v / (2 * var)) / Math.sqrt(2 * Math.PI * var),
                            0, 40 * sd, new double[0], 1e-13, 1e-16 * sd);
                    double expected = 0.5 * mean / Math.sqrt(2 * Math.PI * q11);
                    double[] d11 = new double[1];
                    double[] d22 = new double[1];
                    assertTrue(relu.varianceDerivatives(new double[] {q11}, new double[] {q12}, new double[] {q22}, 1, d11, d22));
                    assertEquals(expected, d11[0], 1e-11 * expected, "rho=" + rho);
                });
    }

    @Test
    void edgeCasesAreFiniteOrRefused() {
        double[] d11 = new double[3];
        double[] d22 = new double[3];
        for (Activation a : offering()) {
            assertTrue(a.varianceDerivatives(new double[0], new double[0], new double[0], 0, d11, d22), a.name() + " offers");
            // rho = +-1 exactly, and by rounding just beyond
            double[] q11 = {2, 2, 0.3};
            double[] q22 = {0.5, 0.5, 0.7};
            double[] q12 = {1, -1, Math.sqrt(0.21) * (1 + 1e-16)};
            assertTrue(a.varianceDerivatives(q11, q12, q22, 3, d11, d22), a.name());
            for (int e = 0; e < 3; e++) {
                assertTrue(Double.isFinite(d11[e]) && Double.isFinite(d22[e]), a.name());
            }
        }
        // a zero variance: Erf's derivatives are finite, Relu's infinite (refused), Identity's zero
        double[] zero = {0};
        double[] one = {1};
        assertFalse(Builtins.create("Relu").varianceDerivatives(zero, zero, one, 1, d11, d22));
        assertFalse(Builtins.create("LeakyRelu", 0.1).varianceDerivatives(one, zero, zero, 1, d11, d22));
        assertTrue(Builtins.create("ABRelu", 1.5, 1.5).varianceDerivatives(zero, zero, one, 1, d11, d22));
        assertEquals(0, d11[0]);
        assertTrue(Builtins.create("Erf").varianceDerivatives(zero, zero, one, 1, d11, d22));
        assertEquals(0, d11[0], 0.0); // q12 = 0
        assertTrue(Double.isFinite(d22[0]));
        // Exp overflowing: refused rather than infinite
        assertFalse(Builtins.create("Exp").varianceDerivatives(new double[] {400}, new double[] {400}, new double[] {400}, 1, d11, d22));
        // Gaussian with b > 0 beyond its region of convergence: refused
        assertFalse(Builtins.create("Gaussian", 1.0, 0.5).varianceDerivatives(one, new double[] {0.5}, one, 1, d11, d22));
        // the step (RectifiedMonomial(0)): phi' is a Dirac mass, not offered
        assertFalse(Builtins.create("RectifiedMonomial", 0.0).varianceDerivatives(new double[0], new double[0], new double[0], 0, d11, d22));
        // quadrature activations do not offer them: callers fall back to finite differences
        assertFalse(Builtins.create("Tanh").varianceDerivatives(new double[0], new double[0], new double[0], 0, d11, d22));
    }
}
