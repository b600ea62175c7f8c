package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Locale;
import java.util.SplittableRandom;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * The branching combinators in real finite networks of width 2048 built from the same spec
 * (shared weights up to the FanOut, each branch with its own, the join applied to the actual
 * streams) against the analytic kernels of kernel-api: the mean over {@value #SEEDS} networks of
 * the readout-conditional NNGP and of the empirical NTK lies within 4 standard errors of the
 * analytic NNGP and NTK, plus an allowance 2/width of the kernel's scale for the O(1/width)
 * finite-width bias. At this width one network's kernels are within a few per cent of the limit,
 * so the test resolves cross terms to well under 1 % (leaving out the Stein term of
 * {@code Parallel(Identity; Erf)} moves the NNGP by about 30 %). Each property draws its inputs
 * from the QuickTheories seed.
 */
class BranchingMonteCarloTest {

    private static final int WIDTH = 2048;
    private static final int SEEDS = 12;

    @Test
    void fanOutOfIdenticalStreamsSumsFullyCorrelated() {
        check("Dense(1.2, 0.1) FanOut(2) FanInSum Relu Dense(1, 0)", 1);
    }

    @Test
    void identityActivationAndFreshBranchesSum() {
        check("Dense(1.2, 0.1) FanOut(3) Parallel(Identity; Erf; Relu Dense(1.3, 0.1)) FanInSum Dense(1, 0)", 2);
    }

    @Test
    void independentStreamsWithNonzeroMeansSum() {
        check("Dense(1.2, 0.1) Relu FanOut(2) Parallel(Identity; Dense(1.3, 0.1) Relu) FanInSum Dense(1, 0)", 1);
    }

    @Test
    void residualWithoutFreshWeightsUsesStein() {
        check("Dense(1.4, 0) Residual(Relu) Dense(1, 0.1)", 1);
    }

    @Test
    void parallelDenseBranchesSum() {
        check("Dense(1.2, 0.1) Relu FanOut(2) Parallel(Dense(1.5, 0.1); Dense(0.8, 0.2) Erf Dense(1, 0.2)) FanInSum Erf Dense(1, 0)", 1);
    }

    @Test
    void productOfIndependentStreams() {
        check("Dense(1.2, 0.1) FanOut(2) Parallel(Identity; Dense(1.1, 0.3)) FanInProd Dense(1, 0)", 2);
    }

    @Test
    void concatenationAveragesTheBranches() {
        check("Dense(1.2, 0.1) FanOut(2) Parallel(Relu; Erf Dense(0.9, 0.2)) FanInConcat Dense(1, 0)", 1);
    }

    @Test
    void repeatWritesTheBodyOut() {
        check("Dense(1.2, 0.1) Repeat(2, Relu Dense(1.3, 0.1)) Dense(1, 0)", 1);
    }

    /** One convolutional case: identity, Stein and fresh branches of a Conv summed, then GlobalAvgPool (full covariance). */
    @Test
    void convolutionalBranches() {
        ImageShape shape = new ImageShape(3, 3, 1);
        qt().withFixedSeed(17L).withShrinkCycles(0).withExamples(1).forAll(longs().all()).checkAssert(seed -> {
            Network net = Network.parse("Conv(1.2, 0.1, filter=3) FanOut(3) Parallel(Identity; Relu; Relu Conv(1.3, 0.1, filter=1)) "
                    + "FanInSum GlobalAvgPool Dense(1, 0)");
            Matrix x = SphereData.points(3, shape.features(), seed);
            KernelResult exact = new KernelComputer(net, 2).compute(x, null, shape);
            compare(net, exact, seed, s -> FiniteNetwork.sample(net, shape, WIDTH, 1, s, 2), x);
        });
    }

    /**
     * The test has the power to see a missing cross term: against neural-tangents' convention for
     * FanInSum (streams treated as independent, K_identity + K_erf, no Stein term) the same Monte
     * Carlo estimate is more than 10 standard errors off.
     */
    @Test
    void independentStreamConventionIsRejectedByMonteCarlo() {
        Network net = Network.parse("Dense(1.2, 0.1) FanOut(2) Parallel(Identity; Erf) FanInSum Dense(1, 0)");
        Matrix x = SphereData.points(3, 3, 5);
        Matrix id = new KernelComputer(Network.parse("Dense(1.2, 0.1)"), 2).compute(x, null).nngp();
        Matrix erf = new KernelComputer(Network.parse("Dense(1.2, 0.1) Erf"), 2).compute(x, null).nngp();
        double[] independent = new double[9];
        for (int e = 0; e < 9; e++) {
            independent[e] = id.data()[e] + erf.data()[e];
        }
        double[][] samples = new double[SEEDS][];
        for (int s = 0; s < SEEDS; s++) {
            samples[s] = FiniteNetwork.sample(net, 3, WIDTH, 1, MonteCarloKernels.sampleSeed(5, s), 2).readoutNngp(x).data();
        }
        for (int e = 0; e < 9; e += 4) { // the diagonal, where the Stein term 2 K dK is largest
            double mean = 0;
            double var = 0;
            for (double[] smp : samples) {
                mean += smp[e] / SEEDS;
            }
            for (double[] smp : samples) {
                var += (smp[e] - mean) * (smp[e] - mean);
            }
            double z = Math.abs(mean - independent[e]) / Math.sqrt(var / (SEEDS - 1.0) / SEEDS);
            System.out.printf(Locale.ROOT, "independent-stream convention, entry %d: z = %.1f%n", e, z);
            assertTrue(z > 10, "the Monte Carlo estimate cannot tell the missing cross term: z = " + z);
        }
    }

    private static void check(String spec, int examples) {
        Network net = Network.parse(spec);
        qt().withFixedSeed(spec.hashCode()).withShrinkCycles(0).withExamples(examples).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            Matrix x = SphereData.points(3, 2 + r.nextInt(3), seed);
            KernelResult exact = new KernelComputer(net, 2).compute(x, null);
            compare(net, exact, seed, s -> FiniteNetwork.sample(net, x.cols(), WIDTH, 1, s, 2), x);
        });
    }

    private static void compare(Network net, KernelResult exact, long seed, java.util.function.LongFunction<FiniteNetwork> sample,
                                Matrix x) {
        int n = x.rows();
        double[][] nngp = new double[SEEDS][];
        double[][] ntk = new double[SEEDS][];
        for (int s = 0; s < SEEDS; s++) {
            FiniteNetwork f = sample.apply(MonteCarloKernels.sampleSeed(seed, s));
            nngp[s] = f.readoutNngp(x).data();
            ntk[s] = f.ntk(x).data();
        }
        double worstK = worst(net + " NNGP", nngp, exact.nngp(), n);
        double worstT = worst(net + " NTK", ntk, exact.ntk(), n);
        System.out.printf(Locale.ROOT, "%s: largest |z| NNGP %.2f, NTK %.2f; largest relative difference NNGP %.2g, NTK %.2g%n",
                net, worstK, worstT, relative(nngp, exact.nngp(), n), relative(ntk, exact.ntk(), n));
    }

    /** The largest |mean - exact| / sqrt(exact_ii exact_jj) over the entries. */
    private static double relative(double[][] samples, Matrix exact, int n) {
        double worst = 0;
        for (int e = 0; e < n * n; e++) {
            double mean = 0;
            for (double[] s : samples) {
                mean += s[e] / SEEDS;
            }
            worst = Math.max(worst, Math.abs(mean - exact.data()[e]) / Math.sqrt(exact.get(e / n, e / n) * exact.get(e % n, e % n)));
        }
        return worst;
    }

    /** Asserts every entry; returns the largest |z|. */
    private static double worst(String what, double[][] samples, Matrix exact, int n) {
        double worst = 0;
        for (int e = 0; e < n * n; e++) {
            double mean = 0;
            for (double[] s : samples) {
                mean += s[e] / SEEDS;
            }
            double var = 0;
            for (double[] s : samples) {
                var += (s[e] - mean) * (s[e] - mean);
            }
            double se = Math.sqrt(var / (SEEDS - 1.0) / SEEDS);
            int i = e / n;
            int j = e % n;
            double scale = Math.sqrt(exact.get(i, i) * exact.get(j, j));
            double diff = Math.abs(mean - exact.get(i, j));
            double z = diff / se;
            worst = Math.max(worst, z);
            double m = mean;
            assertTrue(diff <= 4 * se + 2.0 / WIDTH * scale, () -> String.format(Locale.ROOT,
                    "%s entry (%d,%d): Monte Carlo %.6g +- %.2g, analytic %.6g (relative difference %.2g)", what, i, j, m, se,
                    exact.get(i, j), diff / scale));
        }
        return worst;
    }
}
