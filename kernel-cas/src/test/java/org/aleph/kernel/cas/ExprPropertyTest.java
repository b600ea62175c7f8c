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
 * with kernel-testkit's independent adaptive quadrature ({@link ReferenceExpectation}, about 1e-13)
 * for |rho| &lt; 1, and with a one-dimensional composite Gauss-Legendre rule at rho = +-1
 * (where ReferenceExpectation's collapsed rule was measured 1.3e-8 off for Abs(x)).
 */
class ExprPropertyTest {

    /** Covariance triples with |rho| &lt; 1 (rho = 0.3, -0.5, 0, 0.999999): checked against ReferenceExpectation. */
    private static final double[][] TRIPLES = {
        {1, 0.3, 1}, {0.4, -0.5, 2.5}, {0.25, 0.0, 3}, {1.5, 0.999999 * Math.sqrt(1.5 * 0.7), 0.7}};

    /**
     * (s1, s2, rho) with rho = +-1: u = s1 z, v = rho s2 z, checked against {@link #collapsed}.
     * Equal variances make q12 = +-q11 = +-q22 bit for bit, so rho is exactly +-1: otherwise one
     * rounding of q12 moves rho by 1e-16 and arccos(rho) (Sign, UnitStep) by 1e-8, in every method.
     */
    private static final double[][] COLLAPSED = {{Math.sqrt(2), Math.sqrt(2), 1}, {Math.sqrt(1.5), Math.sqrt(1.5), -1}};

    private static final double[] GL5_X = {-0.9061798459386640, -0.5384693101056831, 0, 0.5384693101056831, 0.9061798459386640};
    private static final double[] GL5_W = {0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665,
        0.2369268850561891};

    /**
     * E[f(s1 z) f(rho s2 z)] for a standard normal z by composite 5-point Gauss-Legendre on
     * panels of width at most 0.02 over [-14, 14], split where s1 z or rho s2 z meets a kink.
     */
    private static double collapsed(java.util.function.DoubleUnaryOperator f, double[] kinks, double s1, double s2,
                                    double rho) {
        java.util.TreeSet<Double> cuts = new java.util.TreeSet<>(java.util.List.of(-14.0, 14.0));
        for (double k : kinks) {
            for (double z : new double[] {k / s1, k / (rho * s2)}) {
                if (Math.abs(z) < 14) {
                    cuts.add(z);
                }
            }
        }
        double sum = 0;
        Double lo = null;
        for (double hi : cuts) {
            if (lo != null) {
                int panels = (int) Math.ceil((hi - lo) / 0.02);
                double h = (hi - lo) / panels;
                for (int p = 0; p < panels; p++) {
                    double a = lo + p * h;
                    for (int i = 0; i < 5; i++) {
                        double z = a + h / 2 * (1 + GL5_X[i]);
                        sum += h / 2 * GL5_W[i] * f.applyAsDouble(s1 * z) * f.applyAsDouble(rho * s2 * z)
                                * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
                    }
                }
            }
            lo = hi;
        }
        return sum;
    }

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
        for (double[] c : COLLAPSED) {
            double q11 = c[0] * c[0], q22 = c[1] * c[1], q12 = c[2] * c[0] * c[1];
            a.expectations(new double[] {q11}, new double[] {q12}, new double[] {q22}, 1, k, dk);
            double kq = collapsed(a::phi, kinks, c[0], c[1], c[2]);
            double dq = collapsed(a::dphi, kinks, c[0], c[1], c[2]);
            double ks = Math.sqrt(collapsed(a::phi, kinks, c[0], c[0], 1) * collapsed(a::phi, kinks, c[1], c[1], 1));
            double ds = Math.sqrt(collapsed(a::dphi, kinks, c[0], c[0], 1) * collapsed(a::dphi, kinks, c[1], c[1], 1));
            assertEquals(kq, k[0], tol * Math.max(ks, 1e-300), expr + " nngp at rho = " + c[2]);
            assertEquals(dq, dk[0], tol * Math.max(ds, 1e-300), expr + " dnngp at rho = " + c[2]);
        }
    }

    @Test
    void eluIsSymbolicThroughTheBivariateNormalProbability() {
        String elu = "Max(0,x) + UnitStep(-x)*(Exp(x)-1)";
        agreesWithQuadrature(elu, Expr.of(elu), 1e-10);
    }

    @Test
    void kinksAwayFromZeroAreSymbolic() {
        for (String e : new String[] {"Max(0,x-1)", "Max(0,x) - Max(0,x-1)", "Abs(x-1/2) + (x+2)^2*UnitStep(x+1)"}) {
            agreesWithQuadrature(e, Expr.of(e), 1e-10);
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

    /**
     * Random linear combinations of a trigonometric (or trigonometric x Gaussian) term, a
     * rectified or Erf term and possibly a third family, so that phi and phi' have trigonometric
     * x rectified and trigonometric x Erf cross terms (Dawson's integral): symbolic, and within
     * 1e-10 of quadrature at the fixed triples, at rho = +-1 and at three random triples each
     * whose correlation is uniform or 1 - 10^-k close to +-1 (k = 3..9).
     */
    @Test
    void randomCombinationsWithTrigonometricCrossTermsAgreeWithQuadrature() {
        // QuickTheories tries the first and last entries first; seed 38 then draws Sin(3x+1)/2 + Erf(2x)/2
        // and Exp(-x^2/2) Sin(x) with UnitStep(x) and Abs(x)
        String[] trig = {"Sin(x)", "Cos(2*x+1)", "Exp(-x^2)*Cos(3*x)", "Cos(x)", "Sin(3*x+1)/2", "Exp(-x^2/2)*Sin(x)"};
        String[] kinked = {"Max(0,x)", "Erf(x)", "Abs(x)", "Erf(2*x)/2", "Sign(x)", "x*Erf(x)", "UnitStep(x)", "Max(0,x)^2"};
        String[] third = {"", "+x*Exp(-x^2/2)", "+x^2/4", "-Exp(x/2)/3"};
        qt().withExamples(6).withShrinkCycles(0).withFixedSeed(38)
                .forAll(integers().between(0, trig.length - 1), integers().between(0, kinked.length - 1),
                        integers().between(0, third.length - 1), integers().between(0, 1_000_000))
                .checkAssert((i, j, k, seed) -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                    int c = r.nextInt(1, 6) * (r.nextBoolean() ? 1 : -1);
                    String e = trig[i] + (c > 0 ? "+" : "") + c + "/4*" + kinked[j] + third[k];
                    Activation a = Expr.of(e);
                    agreesWithQuadrature(e, a, 1e-10);
                    for (int t = 0; t < 3; t++) {
                        double s1 = 0.3 + 1.7 * r.nextDouble(), s2 = 0.3 + 1.7 * r.nextDouble();
                        double rho = t == 0 ? 2 * r.nextDouble() - 1
                                : (r.nextBoolean() ? 1 : -1) * (1 - Math.pow(10, -r.nextInt(3, 10)));
                        agreesAt(e, a, s1 * s1, rho * s1 * s2, s2 * s2, 1e-10);
                    }
                });
    }

    /** Both expectations at one triple with |rho| &lt; 1 against ReferenceExpectation, relative to the Cauchy-Schwarz scale. */
    private static void agreesAt(String expr, Activation a, double q11, double q12, double q22, double tol) {
        double[] kinks = a.kinks();
        double[] k = new double[1], dk = new double[1];
        a.expectations(new double[] {q11}, new double[] {q12}, new double[] {q22}, 1, k, dk);
        double kq = ReferenceExpectation.expectation(a::phi, kinks, q11, q12, q22);
        double dq = ReferenceExpectation.expectation(a::dphi, kinks, q11, q12, q22);
        double ks = Math.sqrt(ReferenceExpectation.expectation(a::phi, kinks, q11, q11, q11)
                * ReferenceExpectation.expectation(a::phi, kinks, q22, q22, q22));
        double ds = Math.sqrt(ReferenceExpectation.expectation(a::dphi, kinks, q11, q11, q11)
                * ReferenceExpectation.expectation(a::dphi, kinks, q22, q22, q22));
        String at = expr + " at q11=" + q11 + ", q12=" + q12 + ", q22=" + q22;
        assertEquals(kq, k[0], tol * Math.max(ks, 1e-300), at + " (nngp)");
        assertEquals(dq, dk[0], tol * Math.max(ds, 1e-300), at + " (dnngp)");
    }

    @Test
    void randomCombinationsOfFamiliesAgreeWithQuadrature() {
        String[] families = {"Sin(x)", "Cos(2*x+1)", "x^2", "Exp(-x^2)*Sin(2*x)", "x*Exp(-x^2/2)", "Erf(x)",
            "Max(0,x)", "Abs(x)", "Exp(x/2)", "x^3", "UnitStep(-x)*(Exp(x)-1)", "Max(0,x)^2", "Sign(x)", "x*Erf(2*x)", "Max(0,x-1)", "UnitStep(x+1/2)"};
        qt().withExamples(8).withShrinkCycles(0).withFixedSeed(5)
                .forAll(integers().between(0, families.length - 1), integers().between(0, families.length - 1),
                        integers().between(-5, 5))
                .checkAssert((i, j, c) -> {
                    String e = families[i] + (c >= 0 ? "+" : "") + c + "/3*" + families[j];
                    Activation a = Expr.of(e);
                    agreesWithQuadrature(e, a, 1e-10);
                });
    }
}
