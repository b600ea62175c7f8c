package org.aleph.kernel.activations;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * Every closed form against the independent nested Gauss-Kronrod {@link Reference}, for phi and
 * phi' written again here from their definitions, at QuickTheories covariance triples that
 * cover rho = +-1 exactly, rho within 1e-3..1e-12 of +-1, zero, tiny (1e-8) and large
 * variances; coverage of each regime is asserted. Tolerance 1e-9 relative (see
 * {@link ReferenceCheck}). The achieved errors are printed per activation.
 */
class ClosedFormReferenceTest {

    private static final long SEED = 20261128L;
    private static final int EXAMPLES = 48;
    private static final double[] KINK = {0.0};
    /** Split points where a smooth phi changes on the unit scale (harmless elsewhere). */
    private static final double[] FEATURES = {-9, -6, -3, -1.5, -0.5, 0, 0.5, 1.5, 3, 6, 9};
    private static final double[] NONE = {};
    private static final ReferenceCheck.Width W10 = (s1, s2) -> 10;
    private static final double SQRT_PI = Math.sqrt(Math.PI);

    /** FEATURES scaled to a function that changes on the length scale w. */
    private static double[] features(double w) {
        double[] p = FEATURES.clone();
        for (int i = 0; i < p.length; i++) {
            p[i] *= Math.abs(w);
        }
        return p;
    }

    private static ReferenceCheck check(String label, DoubleUnaryOperator f, DoubleUnaryOperator df,
                                        double[] points, ReferenceCheck.Width width, String name, double... args) {
        return new ReferenceCheck(label, Builtins.create(name, args), f, df, points,
                points == KINK || name.contains("Rectified") ? KINK : NONE, width);
    }

    private static void run(String family, double large, List<ReferenceCheck> variants) {
        run(family, large, variants, (v, t) -> true);
    }

    private static void run(String family, double large, List<ReferenceCheck> variants,
                            BiPredicate<ReferenceCheck, RegimeTriples.Triple> applicable) {
        run(family, large, variants, applicable, EXAMPLES);
    }

    private static void run(String family, double large, List<ReferenceCheck> variants,
                            BiPredicate<ReferenceCheck, RegimeTriples.Triple> applicable, int examples) {
        RegimeTriples.Coverage coverage = new RegimeTriples.Coverage();
        qt().withFixedSeed(SEED).withExamples(examples).withShrinkCycles(5)
                .forAll(RegimeTriples.triples(large), integers().between(0, variants.size() - 1))
                .checkAssert((t, i) -> {
                    ReferenceCheck v = variants.get(i);
                    if (applicable.test(v, t)) {
                        coverage.record(t);
                        v.check(t.q11(), t.q12(), t.q22(), t.toString());
                    }
                });
        coverage.assertAll(family, 1);
        variants.forEach(v -> System.out.println(v.summary()));
    }

    static double abRelu(double a, double b, double x) {
        return x > 0 ? b * x : a * x;
    }

    static double abReluD(double a, double b, double x) {
        return x > 0 ? b : (x < 0 ? a : (a + b) / 2);
    }

    @Test
    void reluFamily() {
        List<ReferenceCheck> v = new ArrayList<>();
        v.add(check("Relu", x -> Math.max(x, 0), x -> abReluD(0, 1, x), KINK, W10, "Relu"));
        v.add(check("Abs", Math::abs, x -> Math.signum(x), KINK, W10, "Abs"));
        for (double[] ab : new double[][] {{0.3, -1.2}, {2, 0.5}, {-0.7, 0}}) {
            v.add(check("ABRelu(" + ab[0] + ", " + ab[1] + ")", x -> abRelu(ab[0], ab[1], x),
                    x -> abReluD(ab[0], ab[1], x), KINK, W10, "ABRelu", ab[0], ab[1]));
        }
        for (double alpha : new double[] {0.01, 0.2, -0.5, 3}) {
            v.add(check("LeakyRelu(" + alpha + ")", x -> abRelu(alpha, 1, x), x -> abReluD(alpha, 1, x),
                    KINK, W10, "LeakyRelu", alpha));
        }
        run("Relu/Abs/ABRelu/LeakyRelu", 1e4, v);
    }

    @Test
    void erf() {
        List<ReferenceCheck> v = new ArrayList<>();
        for (double[] p : new double[][] {{1, 1, 0}, {0.7, 2.5, 0.3}, {-1.3, 0.4, -0.8}}) {
            double a = p[0];
            double b = p[1];
            double c = p[2];
            v.add(check("Erf(" + a + ", " + b + ", " + c + ")", x -> a * Erf.erf(b * x) + c,
                    x -> a * b * 2 / SQRT_PI * Math.exp(-b * b * x * x), features(1 / b), W10, "Erf", a, b, c));
        }
        // Hipparchus' erf costs ~1 us, and the reference calls it ~1e5 times per triple: fewer examples.
        run("Erf", 1e4, v, (c, t) -> true, 48);
    }

    static double normalCdf(double x) {
        return 0.5 * Erf.erfc(-x / Math.sqrt(2));
    }

    @Test
    void gelu() {
        run("Gelu", 1e4, List.of(check("Gelu", x -> x * normalCdf(x),
                x -> normalCdf(x) + x * Reference.density(x), FEATURES, W10, "Gelu")), (c, t) -> true, 40);
    }

    @Test
    void sign() {
        run("Sign", 1e4, List.of(check("Sign", Math::signum, x -> 0.0, KINK, W10, "Sign")));
    }

    @Test
    void sinAndCos() {
        List<ReferenceCheck> v = new ArrayList<>();
        for (double[] p : new double[][] {{1, 1, 0}, {0.8, 2, 0.7}, {1.5, 0.5, -2}}) {
            double a = p[0];
            double b = p[1];
            double c = p[2];
            v.add(check("Sin(" + a + ", " + b + ", " + c + ")", x -> a * Math.sin(b * x + c),
                    x -> a * b * Math.cos(b * x + c), NONE, W10, "Sin", a, b, c));
        }
        v.add(check("Cos", Math::cos, x -> -Math.sin(x), NONE, W10, "Cos"));
        // Large variances: 1e2, not 1e4 (the 2-D reference would need ~1e8 nodes to follow
        // 300 oscillations per axis); rho = +-1 at 1e4 is pinned in PinnedValuesTest.
        run("Sin/Cos", 1e2, v);
    }

    @Test
    void exp() {
        List<ReferenceCheck> v = new ArrayList<>();
        for (double[] p : new double[][] {{1, 1}, {0.5, -0.7}, {2, 0.3}}) {
            double a = p[0];
            double b = p[1];
            v.add(check("Exp(" + a + ", " + b + ")", x -> a * Math.exp(b * x), x -> a * b * Math.exp(b * x),
                    FEATURES, (s1, s2) -> 12 + Math.abs(b) * (s1 + s2), "Exp", a, b));
        }
        // exp(b^2 Var(u+v)/2) overflows for b^2 q of a few hundred: large variances are 1e2 here.
        run("Exp", 1e2, v);
    }

    @Test
    void gaussianAndGabor() {
        List<ReferenceCheck> v = new ArrayList<>();
        for (double[] p : new double[][] {{1, -1}, {0.5, -3}, {2, 0.1}}) {
            double a = p[0];
            double b = p[1];
            v.add(check("Gaussian(" + a + ", " + b + ")", x -> a * Math.exp(b * x * x),
                    x -> 2 * a * b * x * Math.exp(b * x * x), features(1 / Math.sqrt(Math.abs(b))), (s1, s2) -> 14,
                    "Gaussian", a, b));
        }
        v.add(check("Gabor", x -> Math.exp(-x * x) * Math.sin(x),
                x -> Math.exp(-x * x) * (Math.cos(x) - 2 * x * Math.sin(x)), FEATURES, W10, "Gabor"));
        // b > 0 is finite only for variances below 1/(4b); keep the effective variance <= 2.
        run("Gaussian/Gabor", 1e4, v, (c, t) -> !c.label.equals("Gaussian(2.0, 0.1)")
                || 1 - 4 * 0.1 * Math.max(t.q11(), t.q22()) >= 0.5);
    }

    static double power(double x, int n) {
        double r = 1;
        for (int i = 0; i < n; i++) {
            r *= x;
        }
        return r;
    }

    @Test
    void monomial() {
        List<ReferenceCheck> v = new ArrayList<>();
        for (int n : new int[] {0, 1, 2, 3, 5, 8}) {
            v.add(check("Monomial(" + n + ")", x -> power(x, n), x -> n == 0 ? 0 : n * power(x, n - 1),
                    FEATURES, (s1, s2) -> 11 + 2 * Math.sqrt(n), "Monomial", n));
        }
        run("Monomial", 1e4, v);
    }

    @Test
    void rectifiedMonomial() {
        List<ReferenceCheck> v = new ArrayList<>();
        for (int n : new int[] {0, 1, 2, 3, 4, 7, 12}) {
            DoubleUnaryOperator f = x -> x > 0 ? power(x, n) : (x == 0 && n == 0 ? 0.5 : 0);
            DoubleUnaryOperator df = x -> n == 0 ? 0 : (x > 0 ? n * power(x, n - 1) : (x == 0 && n == 1 ? 0.5 : 0));
            v.add(check("RectifiedMonomial(" + n + ")", f, df, FEATURES, (s1, s2) -> 11 + 2 * Math.sqrt(n),
                    "RectifiedMonomial", n));
        }
        run("RectifiedMonomial", 1e4, v);
    }

    @Test
    void polynomial() {
        List<ReferenceCheck> v = new ArrayList<>();
        for (double[] c : new double[][] {{1, -2, 0.5}, {0, 0, 0, 1}, {0.3, 1, -0.2, 0.05, 0.01}, {-1}}) {
            DoubleUnaryOperator f = x -> {
                double r = 0;
                double p = 1;
                for (int i = 0; i < c.length; i++) {
                    r += c[i] * p;
                    p *= x;
                }
                return r;
            };
            DoubleUnaryOperator df = x -> {
                double r = 0;
                double p = 1;
                for (int i = 1; i < c.length; i++) {
                    r += i * c[i] * p;
                    p *= x;
                }
                return r;
            };
            v.add(check("Polynomial" + java.util.Arrays.toString(c), f, df, FEATURES,
                    (s1, s2) -> 11 + 2 * Math.sqrt(c.length), "Polynomial", c));
        }
        run("Polynomial", 1e4, v);
    }

    /** He_n(x) / sqrt(n!) from He_(k+1) = x He_k - k He_(k-1). */
    static double hermite(int n, double x) {
        double prev = 0;
        double cur = 1;
        double fact = 1;
        for (int k = 0; k < n; k++) {
            double next = x * cur - k * prev;
            prev = cur;
            cur = next;
            fact *= k + 1;
        }
        return cur / Math.sqrt(fact);
    }

    @Test
    void hermite() {
        List<ReferenceCheck> v = new ArrayList<>();
        for (int n : new int[] {0, 1, 2, 3, 5, 9}) {
            v.add(check("Hermite(" + n + ")", x -> hermite(n, x),
                    x -> n == 0 ? 0 : Math.sqrt(n) * hermite(n - 1, x), FEATURES,
                    (s1, s2) -> 11 + 2 * Math.sqrt(n), "Hermite", n));
        }
        run("Hermite", 1e4, v);
    }
}
