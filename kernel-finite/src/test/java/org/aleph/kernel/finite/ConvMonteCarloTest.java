package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * Real finite CNNs against kernel-api's analytic CNN-GP and convolutional NTK (Novak et al.
 * 2019; Arora et al. 2019), two independent computations of the same limit:
 * <ul>
 *   <li>the mean of f(x) f(x') over 300 random networks with 48 channels (two outputs each)
 *       lies within 4 standard errors of the analytic NNGP, for a Relu network reduced by
 *       Flatten, a network with AvgPool and GlobalAvgPool, and one with CIRCULAR padding and
 *       stride 2 (the O(1/channels) finite-width bias, about 2 %, is small against the ~8 %
 *       Monte Carlo error);</li>
 *   <li>the readout-conditional estimator (far less spread) within 4 standard errors plus a
 *       bias allowance 4/channels;</li>
 *   <li>the empirical NTK of one network approaches the analytic NTK with relative error
 *       ~ channels^-1/2: fitted log-log slope -0.5 +- 0.15 over 32..512 channels.</li>
 * </ul>
 */
class ConvMonteCarloTest {

    private static final int WIDTH = 48;
    private static final int SAMPLES = 300;

    @Test
    void reluFlattenNetwork() {
        check("Conv(1.5, 0.05, filter=3, padding=SAME) Relu Conv(1.5, 0.05, filter=3, padding=SAME) Relu Flatten Dense(1, 0)",
                new ImageShape(4, 4, 2), 11);
    }

    @Test
    void avgPoolAndGlobalAvgPoolNetwork() {
        check("Conv(1.5, 0.1, filter=3, padding=SAME) Relu AvgPool(window=2) Conv(1.5, 0.1, filter=2, padding=VALID) Erf "
                + "GlobalAvgPool Dense(1, 0)", new ImageShape(6, 6, 1), 12);
    }

    @Test
    void circularNetworkWithStride() {
        check("Conv(1.5, 0.1, filter=3, stride=2, padding=CIRCULAR) Relu Conv(1.2, 0, filter=3x2, padding=CIRCULAR) Tanh "
                + "GlobalAvgPool Dense(1, 0)", new ImageShape(5, 5, 1), 13);
    }

    private static void check(String spec, ImageShape shape, long seed) {
        Network net = Network.parse(spec);
        Matrix x = images(3, shape, seed);
        Matrix k = new KernelComputer(net, 2).compute(x, null, shape).nngp();
        KernelEstimate mc = MonteCarloKernels.nngp(net, shape, x, WIDTH, 2, SAMPLES, seed, 2);
        KernelEstimate ro = MonteCarloKernels.readoutNngp(net, shape, x, WIDTH, 60, seed + 1, 2);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double exact = k.get(i, j);
                double z = (mc.mean().get(i, j) - exact) / mc.standardError().get(i, j);
                int ii = i;
                int jj = j;
                assertTrue(Math.abs(z) <= 4, () -> spec + ": entry (" + ii + "," + jj + ") Monte Carlo " + mc.mean().get(ii, jj)
                        + " analytic " + exact + ", z = " + z);
                double diff = Math.abs(ro.mean().get(i, j) - exact);
                double allowed = 4 * ro.standardError().get(i, j) + 4.0 / WIDTH * Math.sqrt(k.get(i, i) * k.get(j, j));
                assertTrue(diff <= allowed, () -> spec + ": readout NNGP entry (" + ii + "," + jj + ") " + ro.mean().get(ii, jj)
                        + " analytic " + exact + ", allowed " + allowed);
            }
        }
    }

    @Test
    void empiricalNtkErrorScalesAsInverseSquareRootOfChannels() {
        Network net = Network.parse("Conv(1.5, 0.05, filter=3, padding=SAME) Relu Conv(1.5, 0.05, filter=3, stride=2, padding=SAME) "
                + "Relu AvgPool(window=2, stride=1, padding=SAME) Flatten Dense(1, 0)");
        ImageShape shape = new ImageShape(4, 4, 2);
        Matrix x = images(3, shape, 5);
        Matrix exact = new KernelComputer(net, 2).compute(x, null, shape).ntk();
        int[] widths = {32, 64, 128, 256, 512};
        int[] seeds = {16, 12, 8, 4, 3};
        double[] err = new double[widths.length];
        for (int w = 0; w < widths.length; w++) {
            for (int s = 0; s < seeds[w]; s++) {
                FiniteNetwork f = FiniteNetwork.sample(net, shape, widths[w], 1, 500 + s, 2);
                err[w] += Verification.relative(f.ntk(x), exact) / seeds[w];
            }
        }
        double slope = LogLogFit.slope(widths, err);
        System.out.printf(java.util.Locale.ROOT, "conv NTK error slope %.3f over %s%n", slope, java.util.Arrays.toString(widths));
        assertEquals(-0.5, slope, 0.15, "NTK errors " + java.util.Arrays.toString(err));
    }

    /** n images on the sphere |x|^2 = H W C (so the input kernel's mean diagonal is 1). */
    static Matrix images(int n, ImageShape shape, long seed) {
        return SphereData.points(n, shape.features(), seed);
    }

    /** Standard normal images. */
    static Matrix gaussianImages(int n, ImageShape shape, long seed) {
        return BackpropagationTest.randomInputs(new SplittableRandom(seed), n, shape.features());
    }
}
