package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * The central limit behind the NNGP (Neal 1996; Lee et al. 2018; Matthews et al. 2018): the
 * mean of f(x) f(x') over random finite networks agrees with the analytic NNGP of the kernel
 * recursion within its statistical error. Width 128 makes the finite-width bias (O(1/n), about
 * 1 %) small against the Monte Carlo error of 200 networks (about 10 %), so every entry must lie
 * within 4 standard errors; for the readout-conditional estimator, whose spread is far smaller,
 * within 4 standard errors plus the O(1/n) bias allowance 4/n.
 */
class MonteCarloNngpTest {

    private static final int WIDTH = 128;
    private static final int SAMPLES = 200;

    @Test
    void monteCarloNngpAgreesWithTheAnalyticKernelWithinFourStandardErrors() {
        qt().withFixedSeed(31337L).withShrinkCycles(0).withExamples(10).forAll(longs().all()).checkAssert(seed -> {
            Network net = RandomSpecs.network(seed);
            SplittableRandom r = new SplittableRandom(seed);
            int d = 2 + r.nextInt(3);
            Matrix x = BackpropagationTest.randomInputs(r, 3, d);
            Matrix k = new KernelComputer(net, 2).compute(x, null).nngp();
            KernelEstimate mc = MonteCarloKernels.nngp(net, x, WIDTH, 2, SAMPLES, seed, 2);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double diff = Math.abs(mc.mean().get(i, j) - k.get(i, j));
                    double se = mc.standardError().get(i, j);
                    int ii = i;
                    int jj = j;
                    assertTrue(diff <= 4 * se, () -> net + ": entry (" + ii + "," + jj + ") Monte Carlo " + mc.mean().get(ii, jj)
                            + " analytic " + k.get(ii, jj) + " standard error " + se);
                }
            }
        });
    }

    @Test
    void readoutNngpAgreesWithTheAnalyticKernel() {
        qt().withFixedSeed(4242L).withShrinkCycles(0).withExamples(10).forAll(longs().all()).checkAssert(seed -> {
            Network net = RandomSpecs.network(seed);
            SplittableRandom r = new SplittableRandom(~seed);
            int d = 2 + r.nextInt(3);
            Matrix x = BackpropagationTest.randomInputs(r, 3, d);
            Matrix k = new KernelComputer(net, 2).compute(x, null).nngp();
            KernelEstimate mc = MonteCarloKernels.readoutNngp(net, x, WIDTH, 40, seed, 2);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double diff = Math.abs(mc.mean().get(i, j) - k.get(i, j));
                    double allowed = 4 * mc.standardError().get(i, j) + 4.0 / WIDTH * Math.sqrt(k.get(i, i) * k.get(j, j));
                    assertTrue(diff <= allowed, () -> net + ": readout NNGP " + mc.mean() + " vs analytic, difference " + diff);
                }
            }
        });
    }
}
