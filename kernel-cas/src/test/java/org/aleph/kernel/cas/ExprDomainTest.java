package org.aleph.kernel.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/**
 * An Expr activation answers only where its expectation exists (issue 15): the closed form of
 * exp(x^2) holds for variances below 1/4 (E[exp(2 u^2)] = 1/sqrt(1 - 4q)) and is refused above,
 * tan (poles) and sqrt, log, x^x (undefined for x &lt; 0) are refused with a sentence that says
 * so, at once, not after minutes of refinement or with a finite number.
 */
class ExprDomainTest {

    private static double[] diagonal(Activation a, double q) {
        double[] v = {q};
        double[] k = new double[1];
        double[] d = new double[1];
        a.expectations(v, v, v, 1, k, d);
        return new double[] {k[0], d[0]};
    }

    private static UserErrorException refused(String expr, double q) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Activation a = Expr.of(expr);
            return assertThrows(UserErrorException.class, () -> diagonal(a, q), expr);
        });
    }

    @Test
    void expOfXSquaredHoldsInsideItsDomainOnly() {
        Activation a = Expr.of("Exp(x^2)");
        double[] inside = diagonal(a, 0.1);
        assertEquals(1 / Math.sqrt(0.6), inside[0], 1e-9);
        // E[(2u exp(u^2))^2] = 4 E[u^2 exp(2u^2)] = 4 q (1 - 4q)^(-3/2)
        assertEquals(4 * 0.1 * Math.pow(0.6, -1.5), inside[1], 1e-8);
        UserErrorException e = refused("Exp(x^2)", 1);
        assertTrue(e.getMessage().contains("grows faster than the Gaussian density") && e.getMessage().contains("diverges"), e::getMessage);
    }

    @Test
    void polesAndUndefinedValuesAreNamed() {
        assertTrue(refused("Tan(x)", 1).getMessage().contains("pole near x = "));
        String inverse = refused("1/x", 1).getMessage();
        assertTrue(inverse.contains("infinite at x = 0") || inverse.contains("pole"), inverse);
        for (String undefined : new String[] {"Sqrt(x)", "Log(x)", "x^x"}) {
            String m = refused(undefined, 1).getMessage();
            assertTrue(m.contains("undefined") && m.contains("for every real x"), m);
        }
    }
}
