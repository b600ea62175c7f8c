package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

/**
 * Functions whose Gaussian second moment does not exist are refused with a sentence instead of
 * being integrated to a meaningless number (issue 15): poles (tan, 1/x), points where phi is
 * undefined (sqrt, log of x &lt; 0), growth beyond the Gaussian decay (exp(x^2) at variance
 * above 1/4, where E[exp(2 u^2)] = 1/sqrt(1 - 4q) diverges). Everything whose moment exists
 * and that the rule reaches passes, including jumps and fast but bounded functions.
 */
class IntegrabilityProbeTest {

    private static String verdict(DoubleUnaryOperator f, double q) {
        return new IntegrabilityProbe("f", f, "phi").verdict(q);
    }

    private static void refused(DoubleUnaryOperator f, double q, String... fragments) {
        String v = verdict(f, q);
        for (String s : fragments) {
            assertTrue(v.contains(s), () -> "expected '" + s + "' in '" + v + "'");
        }
    }

    @Test
    void polesAreFound() {
        refused(Math::tan, 1, "1.5708", "pole near x = ", "diverges"); // pi/2 or -pi/2
        refused(Math::tan, 0.5, "pole near x = ", "diverges"); // pi/2 is 2.2 standard deviations out
        refused(x -> 1 / (x - 0.3), 1, "pole near x = 0.3");
        refused(x -> 1 / ((x + 2) * (x + 2)), 2, "pole near x = -2");
    }

    @Test
    void undefinedAndInfiniteValuesAreNamed() {
        refused(Math::sqrt, 1, "undefined (NaN) at x = -", "Sqrt and Log");
        refused(Math::log, 0.01, "undefined (NaN)");
        refused(x -> Math.pow(x, x), 1, "undefined (NaN)");
        refused(x -> Math.log(Math.abs(x)), 1, "infinite");
    }

    @Test
    void growthBeyondTheGaussianDecayDiverges() {
        refused(x -> Math.exp(x * x), 1, "grows faster than the Gaussian density", "diverges");
        refused(x -> Math.exp(x * x), 0.3, "grows faster"); // 4q = 1.2 > 1
        refused(x -> Math.exp(x * x), 30, "grows faster", "overflows at x = "); // overflows inside the range
        refused(x -> Math.exp(x * x), 2.25, "grows faster", "diverges"); // overflows beyond the range only
        refused(x -> Math.exp(x * x / 8), 1.9, "decays too slowly"); // finite (4q/8 < 1) but beyond the rule's range
        assertEquals("", verdict(x -> Math.exp(x * x), 0.1)); // E[exp(2u^2)] = 1/sqrt(0.6)
    }

    @Test
    void integrableFunctionsPassAtEveryScale() {
        DoubleUnaryOperator[] ok = {Math::tanh, Math::signum, x -> x > 0 ? 1 : 0, x -> Math.max(0, x), x -> Math.pow(x, 10),
            x -> Math.tanh(1000 * x), x -> Math.exp(0.7 * x), x -> Math.log1p(Math.exp(x)), x -> Math.sin(40 * x),
            x -> Math.exp(-x * x) * Math.cos(5 * x), x -> Math.log(1 + x * x)};
        for (DoubleUnaryOperator f : ok) {
            for (double q : new double[] {1e-10, 1e-4, 1, 2, 1e4}) {
                if (q > 2 && f.applyAsDouble(1e3) > 1e300) {
                    continue;
                }
                assertEquals("", verdict(f, q), "q = " + q);
            }
        }
    }

    @Test
    void aQuadratureActivationRefusesInsteadOfReturningANumber() {
        QuadratureActivation tan = new QuadratureActivation("Tan", Math::tan, x -> 1 / (Math.cos(x) * Math.cos(x)), new double[0]);
        double[] q = {1, 1};
        double[] r = {0.5, 1};
        UserErrorException e = assertThrows(UserErrorException.class, () -> tan.expectations(q, r, q, 2, new double[2], new double[2]));
        assertTrue(e.getMessage().startsWith("Tan: phi(x) has a pole"), e.getMessage());
        QuadratureActivation square = new QuadratureActivation("ExpSq", x -> Math.exp(x * x), x -> 2 * x * Math.exp(x * x), new double[0]);
        double[] small = {0.1};
        double[] out = new double[1];
        square.expectations(small, small, small, 1, out, null);
        assertEquals(1 / Math.sqrt(0.6), out[0], 1e-8);
        double[] big = {1};
        assertThrows(UserErrorException.class, () -> square.expectations(big, big, big, 1, new double[1], null));
    }
}
