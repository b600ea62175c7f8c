package org.aleph.kernel.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.SymbolicDerivation;
import org.aleph.kernel.testkit.ReferenceExpectation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Linear combinations whose cross terms pair a trigonometric (or trigonometric x Gaussian) term
 * with a rectified or Erf term derive symbolically (Dawson's integral): the examples of issue #3
 * against kernel-testkit's independent quadrature near rho = +-1, and Sin(x) + Max(0,x) against
 * its elementary closed form written out here.
 */
class ExprTrigCrossTermTest {

    @ParameterizedTest
    @ValueSource(strings = {"Sin(x) + Max(0,x)", "Exp(-x^2)*Cos(3*x) + Abs(x)", "Sin(x) + Erf(x)", "Cos(2*x) + Sign(x)",
        "Sin(x) + x*Exp(-x^2/2) + Max(0,x)^2", "Max(0,x) + 0.1*Sin(3*x+1)"})
    void theIssuesExamplesAreSymbolicAndAgreeWithQuadrature(String expr) {
        Activation a = Expr.of(expr);
        assertEquals(Provenance.Kind.SYMBOLIC, a.provenance().kind(), a.provenance().toString());
        SymbolicDerivation d = assertInstanceOf(SymbolicDerivation.class, a);
        assertTrue(d.maxRelativeError() <= 1e-10, "verified: " + d.maxRelativeError());
        double[] kinks = a.kinks();
        double[][] triples = {{1.3, 0.9999 * Math.sqrt(1.3 * 0.8), 0.8}, {2.2, -(1 - 1e-7) * Math.sqrt(2.2 * 0.5), 0.5}};
        double[] k = new double[1], dk = new double[1];
        for (double[] t : triples) {
            a.expectations(new double[] {t[0]}, new double[] {t[1]}, new double[] {t[2]}, 1, k, dk);
            double ks = Math.sqrt(ReferenceExpectation.expectation(a::phi, kinks, t[0], t[0], t[0])
                    * ReferenceExpectation.expectation(a::phi, kinks, t[2], t[2], t[2]));
            double ds = Math.sqrt(ReferenceExpectation.expectation(a::dphi, kinks, t[0], t[0], t[0])
                    * ReferenceExpectation.expectation(a::dphi, kinks, t[2], t[2], t[2]));
            assertEquals(ReferenceExpectation.expectation(a::phi, kinks, t[0], t[1], t[2]), k[0], 1e-10 * ks, expr);
            assertEquals(ReferenceExpectation.expectation(a::dphi, kinks, t[0], t[1], t[2]), dk[0], 1e-10 * ds, expr);
        }
    }

    /**
     * E[sin u v UnitStep(v)] = E[sin u v] / 2 = q12 e^{-q11/2} / 2 (the pair is invariant under
     * (u, v) -&gt; (-u, -v)) and E[cos u UnitStep(v)] = e^{-q11/2} / 2 likewise, so phi = sin + relu
     * has nngp = e^{-(q11+q22)/2} sinh q12 + q12 (e^{-q11/2} + e^{-q22/2}) / 2 + Cho &amp; Saul's
     * arc-cosine kernel, and dnngp = e^{-(q11+q22)/2} cosh q12 + (e^{-q11/2} + e^{-q22/2}) / 2 + (pi - arccos rho) / (2 pi).
     */
    @Test
    void sinPlusReluEqualsItsElementaryClosedForm() {
        Activation a = Expr.of("Sin(x) + Max(0,x)");
        SplittableRandom r = new SplittableRandom(9);
        int n = 300;
        double[] q11 = new double[n], q12 = new double[n], q22 = new double[n], k = new double[n], dk = new double[n];
        for (int i = 0; i < n; i++) {
            double s1 = 0.05 + 3 * r.nextDouble(), s2 = 0.05 + 3 * r.nextDouble();
            double rho = switch (i % 4) {
                case 0 -> i % 8 == 0 ? 1 : -1;
                case 1 -> (r.nextBoolean() ? 1 : -1) * (1 - 1e-9 * r.nextDouble());
                default -> 2 * r.nextDouble() - 1;
            };
            q11[i] = s1 * s1;
            q22[i] = s2 * s2;
            q12[i] = rho * s1 * s2;
        }
        a.expectations(q11, q12, q22, n, k, dk);
        for (int i = 0; i < n; i++) {
            double s = Math.sqrt(q11[i] * q22[i]);
            double rho = Math.max(-1, Math.min(1, q12[i] / s));
            double theta = Math.acos(rho);
            double e1 = Math.exp(-q11[i] / 2), e2 = Math.exp(-q22[i] / 2);
            double nngp = e1 * e2 * Math.sinh(q12[i]) + q12[i] * (e1 + e2) / 2
                    + s / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta));
            double dnngp = e1 * e2 * Math.cosh(q12[i]) + (e1 + e2) / 2 + (Math.PI - theta) / (2 * Math.PI);
            String at = "at " + q11[i] + ", " + q12[i] + ", " + q22[i];
            assertEquals(nngp, k[i], 1e-12 * Math.max(1, Math.abs(nngp)), "nngp " + at);
            assertEquals(dnngp, dk[i], 1e-12 * Math.max(1, Math.abs(dnngp)), "dnngp " + at);
        }
    }

    @Test
    void theFormulaNamesDawsonsIntegral() {
        SymbolicDerivation d = (SymbolicDerivation) Expr.of("Cos(x) + Max(0,x)");
        assertTrue(d.nngp().contains("Dawson("), d.nngp());
        assertTrue(d.latexNngp().contains("\\operatorname{D}("), d.latexNngp());
        SymbolicDerivation e = (SymbolicDerivation) Expr.of("Sin(x) + Erf(x)");
        assertTrue(e.nngp().contains("Dawson("), e.nngp());
    }

    @Test
    void aStepAwayFromZeroTimesASineStillFallsBackAndSaysWhy() {
        Activation a = Expr.of("Sin(x) + Max(0,x-1)");
        assertEquals(Provenance.Kind.QUADRATURE, a.provenance().kind());
        assertTrue(a.provenance().detail().contains("Faddeeva"), a.provenance().detail());
    }
}
