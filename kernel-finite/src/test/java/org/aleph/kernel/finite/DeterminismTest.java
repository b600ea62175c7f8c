package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same bits whatever the number of threads: sampling, forward pass,
 * empirical NTK, training, Monte Carlo kernels and the whole width sweep, at widths large
 * enough that the products really are split between threads.
 */
class DeterminismTest {

    private static final Network NET = Network.parse("Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)");

    @Test
    void networkComputationsAreBitEqualAcrossThreadCounts() {
        Matrix x = SphereData.points(8, 5, 3);
        double[] y = SphereData.targets(x);
        double[][] one = run(1, x, y);
        double[][] two = run(2, x, y);
        double[][] three = run(3, x, y);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], 0.0, "result " + i + " with 1 and 2 threads");
            assertArrayEquals(one[i], three[i], 0.0, "result " + i + " with 1 and 3 threads");
        }
        FiniteNetwork other = FiniteNetwork.sample(NET, 5, 300, 1, 43, 2);
        assertFalse(Arrays.equals(one[0], other.parameters()), "another seed gives another network");
    }

    private static double[][] run(int threads, Matrix x, double[] y) {
        FiniteNetwork f = FiniteNetwork.sample(NET, 5, 300, 1, 42, threads);
        double[] p0 = f.parameters();
        double[] out = f.apply(x).data();
        double[] ntk = f.ntk(x).data();
        for (int k = 0; k < 3; k++) {
            f.step(x, y, 0.5);
        }
        double[] p3 = f.parameters();
        double[] mc = MonteCarloKernels.nngp(NET, x, 64, 1, 6, 5, threads).mean().data();
        return new double[][] {p0, out, ntk, p3, mc};
    }

    @Test
    void widthSweepIsBitEqualAcrossThreadCounts() {
        VerificationReport a = Verification.run(Verification.Settings.builtIn(NET, new int[] {32, 128}, 3, 9, Double.NaN, 5, 1), null);
        VerificationReport b = Verification.run(Verification.Settings.builtIn(NET, new int[] {32, 128}, 3, 9, Double.NaN, 5, 2), null);
        for (Quantity q : Quantity.values()) {
            assertArrayEquals(a.values(q), b.values(q), 0.0, q.key());
        }
    }
}
