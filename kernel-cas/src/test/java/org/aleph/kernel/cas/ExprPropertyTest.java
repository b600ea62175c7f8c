package org.aleph.kernel.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.aleph.kernel.testkit.ReferenceExpectation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Test;

/**
 * Properties: random polynomials of degree at most 8, and random linear combinations of the
 * closed-form families, derive symbolically and agree within 1e-10 (of the Cauchy-Schwarz scale)
 * with kernel-testkit's independent adaptive quadrature ({@link ReferenceExpectation}, about 1e-13).
 */
class ExprPropertyTest {

    private static final double[][] TRIPLES = {
        {1, 0.3, 1}, {0.4, -0.5, 2.5}, {2, 2, 2}, {1.5, -1.9364916731037085, 2.5}, {0.25, 0.0, 3}};

    /** The polynomial with these integer coefficients (c0 first), as text. */
    private static String polynomial(List<Integer> c) {
        StringBuilder b = new StringBuilder("0");
        for (int i = 0; i < c.size(); i++) {
            b.append(c.get(i) >= 0 ? "+" : "").append(c.get(i)).append("/7*x^").append(i);
        }
        return b.toString();
    }

    private static void agreesWithQuadrature(String expr, Activation a, double tol) {
        assertEquals(Provenance.Kind.SYMBOLIC, a.provenance().kind(), expr + ": " + a.provenance());
        double[] kinks = a.kinks();
        double[] k = new double[1], dk = new double[1];
        for (double[] t : TRIPLES) {
            a.expectations(new double[] {t[0]}, new double[] {t[1]}, new double[] {t[2]}, 1, k, dk);
            double kq = ReferenceExpectation.expectation(a::phi, kinks, t[0], t[1], t[2]);
            double dq = ReferenceExpectation.expectation(a::dphi, kinks, t[0], t[1], t[2]);
            double ks = Math.sqrt(ReferenceExpectation.expectation(a::phi, kinks, t[0], t[0], t[0])
                    * ReferenceExpectation.expectation(a::phi, kinks, t[2], t[2], t[2]));
            double ds = Math.sqrt(ReferenceExpectation.expectation(a::dphi, kinks, t[0], t[0], t[0])
                    * ReferenceExpectation.expectation(a::dphi, kinks, t[2], t[2], t[2]));
            assertEquals(kq, k[0], tol * Math.max(ks, 1e-300), expr + " nngp at " + java.util.Arrays.toString(t));
            assertEquals(dq, dk[0], tol * Math.max(ds, 1e-300), expr + " dnngp at " + java.util.Arrays.toString(t));
        }
    }

    @Test
    void randomPolynomialsOfDegreeAtMostEightAreExact() {
        qt().withExamples(6).withShrinkCycles(0).withFixedSeed(11)
                .forAll(lists().of(integers().between(-9, 9)).ofSizeBetween(1, 9))
                .checkAssert(c -> {
                    String p = polynomial(c);
                    agreesWithQuadrature(p, Expr.of(p), 1e-10);
                });
    }

    @Test
    void randomCombinationsOfFamiliesAgreeWithQuadrature() {
        String[] families = {"Sin(x)", "Cos(2*x+1)", "x^2", "Exp(-x^2)*Sin(2*x)", "x*Exp(-x^2/2)", "Erf(x)",
            "Max(0,x)", "Abs(x)", "Exp(x/2)", "x^3"};
        qt().withExamples(5).withShrinkCycles(0).withFixedSeed(5)
                .forAll(integers().between(0, families.length - 1), integers().between(0, families.length - 1),
                        integers().between(-5, 5))
                .checkAssert((i, j, c) -> {
                    String e = families[i] + (c >= 0 ? "+" : "") + c + "/3*" + families[j];
                    Activation a = Expr.of(e);
                    agreesWithQuadrature(e, a, 1e-10);
                });
    }
}
