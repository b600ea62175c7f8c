package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Locale;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

/**
 * Finite networks of width 2048 in the standard parameterisation (weights
 * {@code N(0, W_std^2 / N_in)} trained directly, neural-tangents' {@code parameterization='standard'}
 * with its width scaling s = 2048 / declared width) against kernel-api's analytic kernels: the
 * mean over networks of the empirical NTK lies within 4 standard errors of the analytic
 * standard-parameterisation NTK, and many standard errors from the NTK-parameterisation one, for
 * random W_std, b_std (QuickTheories), fully connected and convolutional.
 */
class ParameterizationMonteCarloTest {

    static final int WIDTH = 2048;

    @Test
    void fullyConnectedStandardNtkMatchesTheAnalyticOne() {
        qt().withExamples(3).forAll(doubles().between(0.8, 1.6), doubles().between(0.0, 0.4), integers().between(16, 256))
                .checkAssert((w, b, declared) -> {
                    String std = "Dense(" + w + ", " + b + ", parameterization=standard, width=" + declared + ") Relu "
                            + "Dense(1.2, 0.2, parameterization=standard, width=" + (declared / 2) + ") Erf "
                            + "Dense(1, 0.1, parameterization=standard)";
                    String ntk = std.replace(", parameterization=standard", "");
                    Matrix x = SphereData.points(3, 4, 7);
                    KernelResult exact = new KernelComputer(Network.parse(std), 2).compute(x, null);
                    KernelResult ntkExact = new KernelComputer(Network.parse(ntk), 2).compute(x, null);
                    KernelEstimate mc = MonteCarloKernels.ntk(Network.parse(std), x, WIDTH, 16, 41, 2);
                    double z = maxZ(mc, exact.ntk());
                    double zOther = minZ(mc, ntkExact.ntk());
                    report("standard FC NTK", std, z, zOther);
                    assertTrue(z <= 4, std + ": max |z| " + z);
                    assertTrue(zOther > 10, std + ": the NTK-parameterisation kernel should be far off, min |z| " + zOther);
                });
    }

    @Test
    void standardNngpIsTheNtkParameterisationsNngp() {
        String std = "Dense(1.4, 0.1, parameterization=standard, width=100) Relu Dense(1, 0.2, parameterization=standard)";
        Matrix x = SphereData.points(3, 4, 8);
        Matrix exact = new KernelComputer(Network.parse(std.replace(", parameterization=standard", "")), 2).compute(x, null).nngp();
        KernelEstimate mc = MonteCarloKernels.readoutNngp(Network.parse(std), x, WIDTH, 10, 43, 2);
        double z = maxZ(mc, exact);
        report("standard FC NNGP", std, z, Double.NaN);
        assertTrue(z <= 4, "max |z| " + z);
    }

    @Test
    void convolutionalStandardNtkMatchesTheAnalyticOne() {
        String std = "Conv(1.5, 0.1, filter=2, parameterization=standard, width=16) Relu Flatten Dense(1, 0.1, parameterization=standard)";
        ImageShape shape = new ImageShape(3, 3, 2);
        Matrix x = ConvMonteCarloTest.images(3, shape, 9);
        Matrix exact = new KernelComputer(Network.parse(std), 2).compute(x, null, shape).ntk();
        Matrix ntkExact = new KernelComputer(Network.parse(std.replace(", parameterization=standard", "")), 2)
                .compute(x, null, shape).ntk();
        KernelEstimate mc = MonteCarloKernels.ntk(Network.parse(std), shape, x, WIDTH, 8, 45, 2);
        double z = maxZ(mc, exact);
        double zOther = minZ(mc, ntkExact);
        report("standard conv NTK", std, z, zOther);
        assertTrue(z <= 4, "max |z| " + z);
        assertTrue(zOther > 10, "min |z| against the NTK parameterisation " + zOther);
    }

    /**
     * Gradient descent in the standard parameterisation: one small step on the mean squared error moves
     * the outputs by {@code -lr Theta (f - y) / N} to first order, Theta the network's own empirical
     * standard NTK (and so differs from a step in the NTK parameterisation, whose Theta differs).
     */
    @Test
    void aGradientStepMovesTheOutputsByTheStandardEmpiricalNtk() {
        Network net = Network.parse("Dense(1.3, 0.2, parameterization=standard, width=64) Relu "
                + "Dense(0.9, 0.1, parameterization=standard)");
        Matrix x = SphereData.points(3, 4, 5);
        double[] y = {0.5, -0.3, 0.8};
        FiniteNetwork f = FiniteNetwork.sample(net, 4, 256, 1, 77, 2);
        double[] before = f.apply(x).data();
        double[] theta = f.ntk(x).data();
        double lr = 1e-4;
        f.step(x, y, lr);
        double[] after = f.apply(x).data();
        for (int s = 0; s < 3; s++) {
            double predicted = 0;
            for (int t = 0; t < 3; t++) {
                predicted -= lr * theta[s * 3 + t] * (before[t] - y[t]) / 3;
            }
            double moved = after[s] - before[s];
            assertTrue(Math.abs(moved - predicted) <= 1e-3 * Math.abs(predicted),
                    "output " + s + " moved " + moved + ", first order " + predicted);
        }
    }

    @Test
    void aFiniteStandardLayerNeedsAPositiveWStd() {
        Network zero = Network.parse("Dense(0, 0.1, parameterization=standard) Relu Dense(1, 0)");
        UserErrorException e = assertThrows(UserErrorException.class, () -> FiniteNetwork.sample(zero, 3, 8, 1, 1, 1));
        assertTrue(e.getMessage().contains("W_std must be positive"), e.getMessage());
    }

    /** The largest |mean - exact| / standard error over the entries. */
    static double maxZ(KernelEstimate mc, Matrix exact) {
        double worst = 0;
        for (int e = 0; e < exact.data().length; e++) {
            worst = Math.max(worst, Math.abs(mc.mean().data()[e] - exact.data()[e]) / mc.standardError().data()[e]);
        }
        return worst;
    }

    /** The smallest |mean - other| / standard error over the entries (how far a wrong kernel is). */
    static double minZ(KernelEstimate mc, Matrix other) {
        double best = Double.POSITIVE_INFINITY;
        for (int e = 0; e < other.data().length; e++) {
            best = Math.min(best, Math.abs(mc.mean().data()[e] - other.data()[e]) / mc.standardError().data()[e]);
        }
        return best;
    }

    static void report(String what, String spec, double z, double zOther) {
        System.out.printf(Locale.ROOT, "%s: max |z| %.2f, wrong kernel min |z| %.1f: %s%n", what, z, zOther, spec);
    }
}
