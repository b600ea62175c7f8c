package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/**
 * The one-dimensional expectations of Stein's cross term and of the means against closed forms:
 * Relu {@code E[v relu(v)]/q = E[step(v)] = 1/2}, {@code E[relu(v)] = sqrt(q / 2 pi)}; erf
 * {@code E[erf'(v)] = 2 / sqrt(pi (1 + 2 q))} (= E[v erf(v)] / q by Stein's lemma); Sign, which is not
 * absolutely continuous: {@code E[v sign(v)] / q = sqrt(2 / (pi q))} while {@code E[sign'(v)] = 0}.
 * An activation whose integrand has not decayed at the ends of the range is refused.
 */
class SteinFactorsTest {

    private static final double[] Q = {1e-6, 0.01, 0.5, 1, 2.5, 10, 300};

    @Test
    void closedForms() {
        Activation relu = TestActivations.RELU;
        Activation erf = TestActivations.ERF;
        Activation sign = new QuadratureActivation("Sign", Math::signum, x -> 0.0, new double[] {0});
        double[] dK = new double[Q.length];
        double[] dT = new double[Q.length];
        double[] m = new double[Q.length];
        SteinFactors.compute(relu, Q, 0, Q.length, dK, dT);
        SteinFactors.means(relu, Q, 0, Q.length, m);
        for (int e = 0; e < Q.length; e++) {
            assertEquals(0.5, dK[e], 1e-14);
            assertEquals(0.5, dT[e], 1e-14);
            assertEquals(Math.sqrt(Q[e] / (2 * Math.PI)), m[e], 1e-14 * Math.sqrt(Q[e]));
        }
        SteinFactors.compute(erf, Q, 0, Q.length, dK, dT);
        SteinFactors.means(erf, Q, 0, Q.length, m);
        for (int e = 0; e < Q.length; e++) {
            double exact = 2 / Math.sqrt(Math.PI * (1 + 2 * Q[e]));
            assertEquals(exact, dT[e], 1e-13 * exact);
            assertEquals(exact, dK[e], 1e-13 * exact);
            assertEquals(0, m[e], 1e-15);
        }
        SteinFactors.compute(sign, Q, 0, Q.length, dK, dT);
        for (int e = 0; e < Q.length; e++) {
            assertEquals(Math.sqrt(2 / (Math.PI * Q[e])), dK[e], 1e-13 * dK[e]);
            assertEquals(0, dT[e]);
        }
    }

    @Test
    void anIntegrandThatHasNotDecayedIsRefused() {
        Activation exp = new QuadratureActivation("Exp", Math::exp, Math::exp, new double[0]);
        double[] out = new double[1];
        SteinFactors.compute(exp, new double[] {4}, 0, 1, out, new double[1]);
        assertEquals(Math.exp(2), out[0], 1e-12 * Math.exp(2)); // E[v e^v] / q = E[e^v] = e^(q/2) by Stein
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> SteinFactors.compute(exp, new double[] {400}, 0, 1, new double[1], new double[1]));
        assertTrue(e.getMessage().contains("do not converge"), e.getMessage());
    }
}
