package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRatesTest {

    @Test
    void twoByTwoByHand() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3; N = 2 targets: eta_max = 2 * 2 / 3.
        var theta = Fixtures.m(new double[][] {{2, 1}, {1, 2}});
        for (LinearAlgebra la : LinearAlgebraTest.backends()) {
            assertEquals(4.0 / 3, LearningRates.maxStable(theta, 2, 0, la), 1e-12, la.name());
            assertEquals(2 * 1.5 * 2 / 3.0, LearningRates.maxStable(theta, 2, 0.5, la), 1e-12, la.name());
        }
    }

    @Test
    void discreteGradientDescentConvergesJustBelowAndDivergesJustAbove() {
        Fixtures f = Fixtures.random(10, 1, 1, 41);
        double etaMax = LearningRates.maxStable(f.trainTrain.ntk(), 10, 0, LinearAlgebra.automatic());
        assertTrue(residualAfter(f, 0.98 * etaMax, 3000) < 1e-3, "converges below eta_max");
        assertTrue(residualAfter(f, 1.02 * etaMax, 3000) > 1e3, "diverges above eta_max");
    }

    /** |f - y| after steps of f <- f - (eta/N) Theta (f - y), from f = 0. */
    private static double residualAfter(Fixtures f, double eta, int steps) {
        int n = 10;
        double[] th = f.trainTrain.ntk().data();
        double[] y = f.y.data();
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = -y[i];
        }
        for (int s = 0; s < steps; s++) {
            double[] next = e.clone();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    next[i] -= eta / n * th[i * n + j] * e[j];
                }
            }
            e = next;
        }
        return Fixtures.maxAbs(e);
    }
}
