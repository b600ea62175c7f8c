package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.LUDecomposition;
import org.junit.jupiter.api.Test;

/**
 * The spectral formulas of {@link NtkMeanDynamics} against independent computations: the
 * k-step formula against k explicit function-space steps from a zero initial function; long
 * gradient flow against kernel regression Theta_* Theta^-1 y (LU solve); gradient flow against
 * gradient descent with a small learning rate (they differ by O(eta)).
 */
class NtkMeanDynamicsTest {

    private final Network net = Network.parse("Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)");
    private final Matrix all = SphereData.points(10, 4, 5);
    private final KernelResult k = new KernelComputer(net, 1).compute(all, null);
    private final Matrix tTrain = Verification.block(k.ntk(), 0, 6, 0, 6);
    private final Matrix tAll = Verification.block(k.ntk(), 0, 10, 0, 6);
    private final double[] y = SphereData.targets(Verification.block(all, 0, 6, 0, 4));

    @Test
    void stepFormulaEqualsExplicitSteps() {
        double lr = NtkMeanDynamics.criticalLearningRate(tTrain) * 0.45;
        double[] zeroTrain = new double[6];
        double[] zeroAll = new double[10];
        double[][] explicit = LinearizedGradientDescent.predict(tTrain, tAll, zeroTrain, zeroAll, y, lr, new int[] {1, 10, 200});
        NtkMeanDynamics dyn = new NtkMeanDynamics(tTrain, lr);
        assertArrayEquals(explicit[0], dyn.gradientDescent(tAll, y, 1), 1e-12);
        assertArrayEquals(explicit[1], dyn.gradientDescent(tAll, y, 10), 1e-11);
        assertArrayEquals(explicit[2], dyn.gradientDescent(tAll, y, 200), 1e-10);
    }

    @Test
    void longGradientFlowIsKernelRegression() {
        NtkMeanDynamics dyn = new NtkMeanDynamics(tTrain, 1.0);
        double[] alpha = new LUDecomposition(new Array2DRowRealMatrix(tTrain.toArray())).getSolver()
                .solve(new ArrayRealVector(y)).toArray();
        double[] expected = new Array2DRowRealMatrix(tAll.toArray()).operate(alpha);
        assertArrayEquals(expected, dyn.gradientFlow(tAll, y, 1e9), 1e-8);
        // and the training points are fitted exactly
        double[] fit = dyn.gradientFlow(tTrain, y, 1e9);
        assertArrayEquals(y, fit, 1e-8);
    }

    @Test
    void smallStepsApproachGradientFlow() {
        double lr = 1e-3;
        NtkMeanDynamics dyn = new NtkMeanDynamics(tTrain, lr);
        double t = 2.0 / lr;
        double[] flow = dyn.gradientFlow(tAll, y, t);
        double[] descent = dyn.gradientDescent(tAll, y, (int) t);
        for (int i = 0; i < flow.length; i++) {
            assertEquals(flow[i], descent[i], 1e-2 * (1 + Math.abs(flow[i])));
        }
        assertArrayEquals(new double[10], dyn.gradientFlow(tAll, y, 0), 0.0);
    }
}
