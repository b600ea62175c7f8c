package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * Gradient descent on the real network: checkpoints equal hand-made steps; below the critical
 * learning rate the training loss falls at every step; and a wide network trained for a long
 * time fits its training targets, as the infinite-width dynamics predict.
 */
class GradientDescentTest {

    private final Network net = Network.parse("Dense(1.5, 0.05) Erf Dense(1.5, 0.05) Relu Dense(1, 0)");
    private final Matrix x = SphereData.points(6, 3, 8);
    private final double[] y = SphereData.targets(x);

    @Test
    void checkpointsEqualHandMadeSteps() {
        FiniteNetwork f = FiniteNetwork.sample(net, 3, 40, 1, 3, 1);
        FiniteNetwork g = f.copy();
        double[][] traj = GradientDescent.train(f, x, y, 0.4, new int[] {0, 3, 3, 10}, x);
        assertArrayEquals(g.apply(x).data(), traj[0], 0.0);
        for (int k = 0; k < 3; k++) {
            g.step(x, y, 0.4);
        }
        assertArrayEquals(g.apply(x).data(), traj[1], 0.0);
        assertArrayEquals(traj[1], traj[2], 0.0);
        for (int k = 3; k < 10; k++) {
            g.step(x, y, 0.4);
        }
        assertArrayEquals(g.apply(x).data(), traj[3], 0.0);
    }

    @Test
    void wideNetworkLossFallsEveryStepAndFitsTheTargets() {
        Matrix theta = new KernelComputer(net, 1).compute(x, null).ntk();
        double lr = 0.5 * NtkMeanDynamics.criticalLearningRate(theta);
        FiniteNetwork f = FiniteNetwork.sample(net, 3, 512, 1, 4, 2);
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 100; k++) {
            double loss = f.step(x, y, lr);
            double before = previous;
            // until round-off (1e-20) is reached
            assertTrue(loss < previous || loss < 1e-20, () -> "loss rose to " + loss + " from " + before);
            previous = loss;
        }
        assertTrue(previous < 1e-3, "training loss after 100 steps: " + previous);
    }
}
