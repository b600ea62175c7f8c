package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.finite.FiniteNetwork;
import org.junit.jupiter.api.Test;

/**
 * The closed-form ensemble against real finite networks: {@value #NETWORKS} independently
 * initialised Relu networks of width {@value #WIDTH}, each trained by full-batch gradient descent
 * on (1/2N) sum (f - y)^2 (kernel-finite's {@link FiniteNetwork#step}); their outputs on test
 * points are compared with the infinite ensemble's mean and variance at t = steps, within
 * statistical tolerance. Discrete steps of size eta follow the flow at t = steps to O(eta
 * lambda / N) per mode: with eta lambda_max / N about 0.02 the mismatch is below 2 %.
 */
class FiniteEnsembleTest {

    static final int NETWORKS = 300;
    static final int WIDTH = 512;

    @Test
    void trainedFiniteNetworksMatchTheInfiniteEnsembleStatistically() {
        Network net = Network.parse("Dense(1.5, 0.05) Relu Dense(1, 0.05)");
        Random r = new Random(5);
        Matrix x = Fixtures.gaussian(r, 4, 3);
        Matrix xt = Fixtures.gaussian(r, 2, 3);
        Matrix y = Fixtures.gaussian(r, 4, 1);
        KernelComputer kc = new KernelComputer(net, 1);
        KernelPair dd = KernelPair.of(kc.compute(x, null));
        KernelPair td = KernelPair.of(kc.compute(xt, x));
        KernelPair tt = KernelPair.of(kc.compute(xt, null));
        LinearAlgebra la = LinearAlgebra.automatic();
        double eta = 0.02 * LearningRates.maxStable(dd.ntk(), 4, 0, la) / 2;
        int steps = 150;
        Prediction expected = new MseEnsemble(dd, y, eta, DiagonalRegularizer.NONE, la)
                .predictTest(KernelKind.NTK, new double[] {steps}, td, tt, Uncertainty.VARIANCE).get(0);

        double[] sum = new double[2];
        double[] sumSq = new double[2];
        for (int e = 0; e < NETWORKS; e++) {
            FiniteNetwork f = FiniteNetwork.sample(net, 3, WIDTH, 1, 1000L + e, 1);
            for (int s = 0; s < steps; s++) {
                f.step(x, y.data(), eta);
            }
            double[] out = f.apply(xt).data();
            for (int i = 0; i < 2; i++) {
                sum[i] += out[i];
                sumSq[i] += out[i] * out[i];
            }
        }
        for (int i = 0; i < 2; i++) {
            double mean = sum[i] / NETWORKS;
            double var = (sumSq[i] - NETWORKS * mean * mean) / (NETWORKS - 1);
            double se = Math.sqrt(expected.variance()[i] / NETWORKS);
            double mu = expected.mean().get(i, 0);
            assertTrue(Math.abs(mean - mu) <= 4 * se + 0.03 * (1 + Math.abs(mu)),
                    "test point " + i + ": ensemble mean " + mean + " vs infinite " + mu + " (standard error " + se + ")");
            // The sample variance of 300 Gaussians has relative standard deviation sqrt(2/299) = 8 %.
            double ratio = var / expected.variance()[i];
            assertTrue(ratio > 0.7 && ratio < 1.35, "test point " + i + ": variance " + var + " vs infinite "
                    + expected.variance()[i]);
        }
    }
}
