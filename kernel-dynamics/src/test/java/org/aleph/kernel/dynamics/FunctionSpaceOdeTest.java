package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

class FunctionSpaceOdeTest {

    private static final LinearAlgebra LA = LinearAlgebra.automatic();

    @Test
    void mseOdeEqualsTheClosedFormMeanWithin1e8() {
        Fixtures f = Fixtures.random(12, 5, 2, 31);
        double eta = 1.5;
        double[] times = {0, 1, 10, 100, 1000};
        FunctionSpaceOde ode = new FunctionSpaceOde(f.trainTrain.ntk(), f.y, eta, null, LossGradient.meanSquaredError(), LA);
        List<OdeSolution> sol = ode.solve(times, f.testTrain.ntk(), null, null);
        MseEnsemble closed = new MseEnsemble(f.trainTrain, f.y, eta, DiagonalRegularizer.NONE, LA);
        List<Prediction> test = closed.predictTest(KernelKind.NTK, times, f.testTrain, null, Uncertainty.NONE);
        List<Prediction> train = closed.predictTrain(KernelKind.NTK, times, Uncertainty.NONE);
        for (int i = 0; i < times.length; i++) {
            assertArrayEquals(test.get(i).mean().data(), sol.get(i).test().data(), 1e-8, "t = " + times[i]);
            assertArrayEquals(train.get(i).mean().data(), sol.get(i).train().data(), 1e-8, "t = " + times[i]);
        }
        assertTrue(ode.evaluations() > 0);
    }

    /**
     * One point, two classes, y = (1, 0), Theta = theta, no momentum: the gradient of
     * -(1/2) sum_j y_j log softmax(f)_j is (p - y)/2, so with delta = f1 - f2,
     * d delta / d tau = -theta/2 ((p1 - 1) - p2) = theta p2 = theta / (1 + e^delta),
     * i.e. delta + e^delta = theta tau + 1 (delta(0) = 0), and f1 + f2 stays 0.
     */
    @Test
    void softmaxCrossEntropyByHand() {
        double theta = 2.0;
        double eta = 0.5;
        FunctionSpaceOde ode = new FunctionSpaceOde(Fixtures.m(new double[][] {{theta}}), Fixtures.m(new double[][] {{1, 0}}),
                eta, null, LossGradient.softmaxCrossEntropy(), LA);
        double[] times = {1, 5, 50};
        List<OdeSolution> sol = ode.solve(times, null, null, null);
        for (int i = 0; i < times.length; i++) {
            double rhs = theta * eta * times[i] + 1;
            double delta = 1;
            for (int it = 0; it < 100; it++) {
                delta -= (delta + Math.exp(delta) - rhs) / (1 + Math.exp(delta));
            }
            Matrix out = sol.get(i).train();
            assertEquals(delta / 2, out.get(0, 0), 1e-10, "t = " + times[i]);
            assertEquals(-delta / 2, out.get(0, 1), 1e-10, "t = " + times[i]);
        }
    }

    /**
     * One point, MSE (N = 1), Theta = theta = 2, y = 1, eta = 1, momentum 0.9: with e = f - y the
     * flow is e'' = m' e' - theta e, m' = (0.9 - 1)/1 = -0.1, e(0) = -1, e'(0) = 0. Roots
     * -0.05 +- i w, w = sqrt(8 - 0.01)/2, so e = e^{-0.05 t}(-cos wt - (0.05/w) sin wt).
     */
    @Test
    void momentumIsADampedOscillatorByHand() {
        FunctionSpaceOde ode = new FunctionSpaceOde(Fixtures.m(new double[][] {{2}}), Fixtures.m(new double[][] {{1}}),
                1.0, 0.9, LossGradient.meanSquaredError(), LA);
        double w = Math.sqrt(8 - 0.01) / 2;
        double[] times = {0.5, 3, 20};
        List<OdeSolution> sol = ode.solve(times, null, null, null);
        for (int i = 0; i < times.length; i++) {
            double t = times[i];
            double e = Math.exp(-0.05 * t) * (-Math.cos(w * t) - 0.05 / w * Math.sin(w * t));
            assertEquals(1 + e, sol.get(i).train().get(0, 0), 1e-10, "t = " + t);
        }
    }

    @Test
    void rejectsInfiniteOrDecreasingTimes() {
        FunctionSpaceOde ode = new FunctionSpaceOde(Fixtures.m(new double[][] {{2}}), Fixtures.m(new double[][] {{1}}),
                1.0, null, LossGradient.meanSquaredError(), LA);
        assertThrows(UserErrorException.class, () -> ode.solve(new double[] {Double.POSITIVE_INFINITY}, null, null, null));
        assertThrows(UserErrorException.class, () -> ode.solve(new double[] {2, 1}, null, null, null));
    }
}
