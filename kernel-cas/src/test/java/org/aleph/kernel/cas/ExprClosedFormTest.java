package org.aleph.kernel.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.SymbolicDerivation;
import org.junit.jupiter.api.Test;

/**
 * Expr("Max(0,x)"), Expr("Erf(x)") and Expr("Sin(x)") against closed forms from the
 * literature, written out here independently of the derivation, within 1e-12 at general
 * variances and correlations including +-1.
 */
class ExprClosedFormTest {

    private static final double TOL = 1e-12;

    /** Cho & Saul (2009), arc-cosine kernel of degree 1 and 0. */
    private static double[] relu(double q11, double q12, double q22) {
        double s = Math.sqrt(q11 * q22);
        double rho = Math.max(-1, Math.min(1, q12 / s));
        double theta = Math.acos(rho);
        return new double[] {s / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta)),
            (Math.PI - theta) / (2 * Math.PI)};
    }

    /** Williams (1997): (2/pi) asin(2 q12 / sqrt((1 + 2 q11)(1 + 2 q22))); E[erf' erf'] = (4/pi) det(I + 2Q)^(-1/2). */
    private static double[] erf(double q11, double q12, double q22) {
        double d = (1 + 2 * q11) * (1 + 2 * q22);
        return new double[] {2 / Math.PI * Math.asin(2 * q12 / Math.sqrt(d)), 4 / Math.PI / Math.sqrt(d - 4 * q12 * q12)};
    }

    /** E[sin u sin v] = e^{-(q11+q22)/2} sinh(q12); E[cos u cos v] = e^{-(q11+q22)/2} cosh(q12). */
    private static double[] sin(double q11, double q12, double q22) {
        double e = Math.exp(-(q11 + q22) / 2);
        return new double[] {e * Math.sinh(q12), e * Math.cosh(q12)};
    }

    private interface Reference {
        double[] at(double q11, double q12, double q22);
    }

    private static void check(String expr, Reference ref) {
        Activation a = Expr.of(expr);
        assertEquals(Provenance.Kind.SYMBOLIC, a.provenance().kind(), a.provenance().toString());
        SymbolicDerivation d = assertInstanceOf(SymbolicDerivation.class, a);
        assertTrue(d.maxRelativeError() < 1e-10, "verified: " + d.maxRelativeError());
        SplittableRandom r = new SplittableRandom(7);
        int n = 400;
        double[] q11 = new double[n], q12 = new double[n], q22 = new double[n], k = new double[n], dk = new double[n];
        for (int i = 0; i < n; i++) {
            double s1 = 0.05 + 3 * r.nextDouble();
            double s2 = 0.05 + 3 * r.nextDouble();
            double rho = switch (i % 5) {
                case 0 -> 1;
                case 1 -> -1;
                case 2 -> (r.nextBoolean() ? 1 : -1) * (1 - 1e-9 * r.nextDouble());
                default -> 2 * r.nextDouble() - 1;
            };
            q11[i] = s1 * s1;
            q22[i] = s2 * s2;
            q12[i] = rho * s1 * s2;
        }
        a.expectations(q11, q12, q22, n, k, dk);
        for (int i = 0; i < n; i++) {
            double[] e = ref.at(q11[i], q12[i], q22[i]);
            double scale = Math.max(1, Math.abs(e[0]));
            assertEquals(e[0], k[i], TOL * scale, expr + " nngp at " + q11[i] + ", " + q12[i] + ", " + q22[i]);
            assertEquals(e[1], dk[i], TOL * Math.max(1, Math.abs(e[1])), expr + " dnngp at " + q11[i] + ", " + q12[i] + ", " + q22[i]);
        }
    }

    @Test
    void reluEqualsTheArcCosineKernel() {
        check("Max(0,x)", ExprClosedFormTest::relu);
    }

    @Test
    void erfEqualsWilliamsArcsineKernel() {
        check("Erf(x)", ExprClosedFormTest::erf);
    }

    @Test
    void sinEqualsTheSinhKernel() {
        check("Sin(x)", ExprClosedFormTest::sin);
    }

    @Test
    void reluPrintsItsDerivativeAndFormula() {
        SymbolicDerivation d = (SymbolicDerivation) Expr.of("Max(0,x)");
        assertEquals("UnitStep(x)", d.dphi());
        assertTrue(d.nngp().contains("ArcCos"), d.nngp());
        assertTrue(d.latexNngp().contains("\\arccos") || d.latexNngp().contains("cos"), d.latexNngp());
        assertEquals(12, d.checks().size());
    }
}
