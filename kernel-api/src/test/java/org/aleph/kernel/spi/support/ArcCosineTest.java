package org.aleph.kernel.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.api.Test;

/**
 * J_0, J_1, J_2 against their defining integral J_n = n! int_0^t (cos psi - cos t)^n dpsi with
 * t = pi - theta (Cho &amp; Saul 2009, with cos theta = -cos t), evaluated as
 * (2 sin((t + psi)/2) sin((t - psi)/2))^n so that the reference itself does not cancel near
 * rho = -1, on a 40-node Gauss-Legendre rule (exact to rounding for these smooth integrands).
 */
class ArcCosineTest {

    private static final GaussIntegrator RULE = new GaussIntegratorFactory().legendre(40, 0, 1);

    private static double reference(int n, double rho) {
        double t = Math.acos(-rho);
        double fact = n == 2 ? 2 : 1;
        return fact * t * RULE.integrate(x -> {
            double psi = x * t;
            return Math.pow(2 * Math.sin((t + psi) / 2) * Math.sin((t - psi) / 2), n);
        });
    }

    private static final double[] RHOS = {-1, -1 + 1e-15, -1 + 1e-12, -0.999999, -0.99, -0.95, -0.8776, -0.87, -0.5, -0.1,
        0, 0.3, 0.9, 1 - 1e-12, 1};

    @Test
    void agreeWithTheIntegralToRelativeAccuracyEverywhere() {
        for (double rho : RHOS) {
            assertEquals(reference(0, rho), ArcCosine.j0(rho), 4e-16 * Math.PI, "J_0 at " + rho);
            double j1 = reference(1, rho);
            assertEquals(j1, ArcCosine.j1(rho), 1e-13 * j1 + Double.MIN_VALUE, "J_1 at " + rho);
            double j2 = reference(2, rho);
            assertEquals(j2, ArcCosine.j2(rho), 1e-13 * j2 + Double.MIN_VALUE, "J_2 at " + rho);
        }
    }

    @Test
    void exactlyOppositeInputsGiveExactZeroAndIdenticalOnesTheMoments() {
        assertEquals(0.0, ArcCosine.j0(-1));
        assertEquals(0.0, ArcCosine.j1(-1));
        assertEquals(0.0, ArcCosine.j2(-1));
        // rho = 1: E[relu(u)^n relu(u)^n] = E[relu(u)^(2n)] = (2n-1)!! / 2, so J_n(0) = pi (2n-1)!!
        assertEquals(Math.PI, ArcCosine.j0(1), 1e-15);
        assertEquals(Math.PI, ArcCosine.j1(1), 1e-15);
        assertEquals(3 * Math.PI, ArcCosine.j2(1), 4e-15);
        // the textbook formula with theta = acos(rho) leaves a negative residue there: sin(Math.PI) = 1.2e-16
        double theta = Math.acos(-1.0);
        double naive = 3 * Math.sin(theta) * Math.cos(theta) + (Math.PI - theta) * (1 + 2 * Math.cos(theta) * Math.cos(theta));
        assertTrue(naive < 0, "naive J_2(pi) = " + naive);
        // and near it loses most digits (J_2 ~ 4 t^5 / 15 = 1.5e-15 under terms of size 1)
        double near = -0.999999;
        double naiveNear = 3 * Math.sqrt(1 - near * near) * near + Math.acos(-near) * (1 + 2 * near * near);
        double exact = reference(2, near);
        assertTrue(Math.abs(naiveNear - exact) > 1e-4 * exact, "naive " + naiveNear + " against " + exact);
        assertEquals(exact, ArcCosine.j2(near), 1e-13 * exact);
    }

    @Test
    void rectifiedAgreesWithTheScalarHelpers() {
        double[] nngp = new double[1];
        double[] dnngp = new double[1];
        double s = 1.7;
        for (double rho : RHOS) {
            ArcCosine.rectified(2, s, rho, nngp, dnngp, 0);
            double j2 = ArcCosine.j2(rho);
            assertEquals(s * s * j2 / (2 * Math.PI), nngp[0], 1e-13 * s * s * j2 + Double.MIN_VALUE, "Y_2 at " + rho);
            assertEquals(4 * s * ArcCosine.j1(rho) / (2 * Math.PI), dnngp[0], 1e-13 * s * ArcCosine.j1(rho) + Double.MIN_VALUE,
                    "4 Y_1 at " + rho);
            ArcCosine.rectified(1, s, rho, nngp, dnngp, 0);
            assertEquals(s * ArcCosine.j1(rho) / (2 * Math.PI), nngp[0], 1e-15 * s, "Y_1 at " + rho);
            assertEquals(ArcCosine.j0(rho) / (2 * Math.PI), dnngp[0], 1e-16, "Y_0 at " + rho);
        }
    }
}
