package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

/**
 * The quadrature budget (issue 15, section 4): integrands the rule cannot resolve end in one
 * sentence naming the activation, the triple and what to do, within the budget's time, instead
 * of a hang; integrands it can resolve are unaffected (the accuracy tests run with the default
 * budget).
 */
class QuadratureBudgetTest {

    private static double[] one(double v) {
        return new double[] {v};
    }

    /**
     * sin(3 x) at variance 1000 and rho = 0.999 (beyond the reach of the series and the lattice): the nested rule bisects its outer and inner
     * panels to the bottom; with 2e6 per entry it ends
     * in well under a second with the sentence.
     */
    @Test
    void anUnresolvableEntryEndsWithinItsBudgetWithASentence() {
        QuadratureActivation a = new QuadratureActivation("Expr(\"Sin(3*x)\")", x -> Math.sin(3 * x), x -> 3 * Math.cos(3 * x),
                new double[0], "", 1, new QuadratureBudget(2_000_000, 1_000_000));
        long start = System.nanoTime();
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> a.expectations(one(1000), one(999), one(1000), 1, new double[1], new double[1]));
        double seconds = (System.nanoTime() - start) / 1e9;
        String m = e.getMessage();
        assertTrue(m.startsWith("Expr(\"Sin(3*x)\"): the quadrature of E[phi(u)phi(v)] at (q11=1000.00, q12=999.000, q22=1000.00)"), m);
        assertTrue(m.contains("2000000 evaluations of phi") && m.contains(QuadratureBudget.ENTRY_PROPERTY), m);
        assertTrue(m.contains("length scale") && m.contains("closed form"), m);
        assertEquals(1, m.split("\\. ").length, "one sentence: " + m);
        QuadratureBudgetException cause = (QuadratureBudgetException) e.getCause();
        assertEquals(999, cause.q12());
        assertTrue(!cause.wholeKernel());
        assertTrue(seconds < 20, "ended after " + seconds + " s");
    }

    /**
     * Entries that each fit their budget but together cost far more than a kernel may average
     * (sigmoid' at variance 100, rho = +-0.995: about 6e5 evaluations each) stop after a few
     * entries at an average budget of 1e5.
     */
    @Test
    void aKernelWhoseEntriesAreAllExpensiveStopsEarly() {
        QuadratureActivation a = new QuadratureActivation("Slow", QuadratureBudgetTest::sigmoidDerivative, x -> 0.0,
                new double[0], "", 1, new QuadratureBudget(2_000_000, 100_000));
        int n = 400;
        double[] q11 = new double[n];
        double[] q12 = new double[n];
        double[] q22 = new double[n];
        for (int i = 0; i < n; i++) {
            q11[i] = 100 + i;
            q22[i] = 100 + i;
            q12[i] = (i % 2 == 0 ? 0.995 : -0.995) * (100 + i);
        }
        long start = System.nanoTime();
        UserErrorException e = assertThrows(UserErrorException.class, () -> a.expectations(q11, q12, q22, n, new double[n], null));
        double seconds = (System.nanoTime() - start) / 1e9;
        String m = e.getMessage();
        assertTrue(m.contains("averaged more than 100000 evaluations of phi per entry") && m.contains(QuadratureBudget.AVERAGE_PROPERTY),
                m);
        assertTrue(((QuadratureBudgetException) e.getCause()).wholeKernel());
        assertTrue(seconds < 20, "ended after " + seconds + " s");
    }

    /** The same entries with the default budget: computed, and accurate against the single-entry rule. */
    @Test
    void theDefaultBudgetLeavesHardButResolvableEntriesAlone() {
        QuadratureActivation a = new QuadratureActivation("Sigmoid'", QuadratureBudgetTest::sigmoidDerivative, x -> 0.0, new double[0]);
        double[] k = new double[2];
        a.expectations(new double[] {100, 100}, new double[] {99.5, -99.5}, new double[] {100, 100}, 2, k, null);
        GaussianExpectation q = GaussianExpectation.forKinks(new double[0]);
        assertEquals(q.expectation(QuadratureBudgetTest::sigmoidDerivative, 100, 99.5, 100), k[0], 1e-9 * k[0]);
        assertEquals(q.expectation(QuadratureBudgetTest::sigmoidDerivative, 100, -99.5, 100), k[1], 1e-9 * k[1]);
    }

    @Test
    void budgetsComeFromSystemPropertiesAndMustBePositive() {
        QuadratureBudget b = QuadratureBudget.fromSystemProperties();
        assertEquals(Long.getLong(QuadratureBudget.ENTRY_PROPERTY, QuadratureBudget.DEFAULT_ENTRY), b.perEntry());
        assertEquals(Long.getLong(QuadratureBudget.AVERAGE_PROPERTY, QuadratureBudget.DEFAULT_AVERAGE), b.average());
        assertThrows(IllegalArgumentException.class, () -> new QuadratureBudget(0, 1));
        GaussianExpectation.Workspace ws = GaussianExpectation.forKinks(new double[0]).workspace();
        GaussianExpectation.forKinks(new double[0]).expectation(Math::tanh, 1, 0.9999 * Math.sqrt(2), 2, ws);
        assertTrue(ws.evaluations() > 0 && ws.evaluations() < 20_000, "tanh at rho 0.9999: " + ws.evaluations());
    }

    static double sigmoidDerivative(double x) {
        double s = 1 / (1 + Math.exp(-x));
        return s * (1 - s);
    }
}
