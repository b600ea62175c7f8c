package org.aleph.kernel.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.junit.jupiter.api.Test;

/**
 * Fitting convolutional and branching networks through kernel-api's kernel computer, against
 * independent facts: GpInference's likelihood on KernelComputer's kernel, the fully connected
 * path's gradient, the exact derivative of a positively homogeneous network, local maxima.
 */
class SpatialFitTest {

    static final ImageShape SHAPE = new ImageShape(6, 6, 1);
    static final String CONV = "Conv(1.3, 0.2, filter=3) Relu Conv(1.1, 0.1, filter=3) Relu GlobalAvgPool Dense(1, 0)";

    static MarginalLikelihood ml(String spec, ImageShape shape, boolean tied, boolean relative, double noise, double scale, Set<String> free,
                                 Matrix x, Matrix y, boolean forceGeneric) {
        HyperparameterSpace space = HyperparameterSpace.of(Network.parse(spec), tied, relative, noise, scale, free, Map.of());
        return new MarginalLikelihood(space, x, shape, y, LinearAlgebra.automatic(), null, 2, forceGeneric);
    }

    /** Targets from the NNGP prior of the spec on images (kernel by KernelComputer, not by the code under test). */
    static Matrix prior(String spec, Matrix x, ImageShape shape, double noise, int k, long seed) {
        int n = x.rows();
        KernelComputer computer = new KernelComputer(Network.parse(spec), 2);
        double[] a = (shape == null ? computer.compute(x, null) : computer.compute(x, null, shape)).nngp().data().clone();
        for (int i = 0; i < n; i++) {
            a[i * n + i] += noise;
        }
        LinearAlgebra la = LinearAlgebra.pureJava();
        assertEquals(0, la.choleskyInPlace(a, n));
        Matrix z = Data.gaussian(n, k, seed);
        double[] y = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                for (int c = 0; c < k; c++) {
                    y[i * k + c] += a[i * n + j] * z.data()[j * k + c];
                }
            }
        }
        return Matrix.wrap(n, k, y);
    }

    @Test
    void convLikelihoodEqualsGpInferenceOnKernelComputersKernel() {
        Matrix x = Data.gaussian(30, SHAPE.features(), 1);
        Matrix y = Data.gaussian(30, 2, 2);
        double noise = 0.03;
        double scale = 1.6;
        // per layer, b_std fixed: the spec's own values (a free b_std of 0 would start inside its box)
        MarginalLikelihood m = ml(CONV, SHAPE, false, false, noise, scale, Set.of("w_std", "noise", "scale"), x, y, false);
        assertTrue(m.generic());
        double mine = m.evaluate(m.space().initialLogFree(), false).logLikelihood();
        double[] k = new KernelComputer(Network.parse(CONV), 1).compute(x, null, SHAPE).nngp().data().clone();
        for (int i = 0; i < k.length; i++) {
            k[i] *= scale;
        }
        GpInference gp = new GpInference(new KernelPair(Matrix.wrap(30, 30, k), null), y, DiagonalRegularizer.absoluteValue(noise),
                LinearAlgebra.pureJava());
        assertEquals(gp.logMarginalLikelihood(PosteriorKind.NNGP), mine, 1e-9 * Math.abs(mine));
    }

    @Test
    void rebuildingKeepsEveryOtherLayerArgument() {
        String spec = "Conv(1.3, 0.2, filter=5x3, stride=2, padding=VALID, parameterization=standard, width=16) Relu "
                + "Residual(Conv(0.7, 0.1, filter=1, padding=CIRCULAR) Relu Conv(0.9, 0)) AvgPool(window=2) Flatten "
                + "FanOut(2) Parallel(Dense(1.2, 0.3) Erf Dense(1, 0.1); Dense(0.8, 0.2)) FanInSum Repeat(2, Relu Dense(1.1, 0.05))";
        Network net = Network.parse(spec);
        HyperparameterSpace per = HyperparameterSpace.of(net, false, true, 0.01, 1, Set.of("w_std"), Map.of());
        // seven weight layers in spec order (3 Conv, 4 Dense), Repeat's body once: 2 x 7 + noise + scale
        assertEquals(16, per.parameters().size());
        double[] v = per.values(per.initialLogFree());
        assertEquals(net.spec(), per.network(v).spec());
        v[3] = 2.5; // w_std_4: the first Dense of the FanOut's first branch
        v[7 + 6] = 0.4; // b_std_7: the Repeat's Dense
        String rebuilt = per.network(v).spec();
        assertEquals(net.spec().replace("Dense(1.2, 0.3)", "Dense(2.5, 0.3)").replace("Dense(1.1, 0.05)", "Dense(1.1, 0.4)"), rebuilt);
        HyperparameterSpace tied = HyperparameterSpace.of(net, true, true, 0.01, 1, Set.of("w_std", "b_std"), Map.of());
        String all = tied.network(new double[] {2, 0.5, 0.01, 1}).spec();
        assertTrue(all.contains("Conv(2, 0.5, filter=5x3, stride=2, padding=VALID, parameterization=standard, width=16)"), all);
        assertFalse(all.contains("1.3") || all.contains("0.7") || all.contains("1.1"), all);
    }

    /** The generic path (kernel computer + central differences) against the fully connected path on a fully connected spec. */
    @Test
    void genericGradientAgreesWithTheFullyConnectedPath() {
        Matrix x = Data.gaussian(40, 5, 31);
        Matrix y = Data.gaussian(40, 2, 32);
        String spec = "Dense(1.3, 0.4) Erf Dense(0.9, 0.2) Relu Dense(1.1, 0.3)";
        for (boolean tied : new boolean[] {true, false}) {
            for (boolean relative : new boolean[] {false, true}) {
                MarginalLikelihood fc = ml(spec, null, tied, relative, 0.1, 0.8, MarginalLikelihoodTest.ALL, x, y, false);
                MarginalLikelihood gen = ml(spec, null, tied, relative, 0.1, 0.8, MarginalLikelihoodTest.ALL, x, y, true);
                assertFalse(fc.generic());
                assertTrue(gen.generic());
                assertEquals(fc.step(), gen.step());
                double[] t = fc.space().initialLogFree();
                MarginalLikelihood.Evaluation a = fc.evaluate(t, true);
                MarginalLikelihood.Evaluation b = gen.evaluate(t, true);
                assertEquals(a.logLikelihood(), b.logLikelihood(), 1e-10 * Math.abs(a.logLikelihood()));
                double err = gen.gradientErrorEstimate(t);
                for (int i = 0; i < a.gradient().length; i++) {
                    double tol = 1e-6 * Math.max(1, Math.abs(a.gradient()[i]));
                    assertEquals(a.gradient()[i], b.gradient()[i], tol, "tied " + tied + " relative " + relative + " component " + i);
                }
                assertTrue(err < 1e-5 * Math.max(1, Math.abs(a.logLikelihood())), "error estimate " + err);
            }
        }
    }

    /**
     * A bias-free Relu conv network is positively homogeneous: K(W) = W^(2D) K(1) over D weight
     * layers (tied), so dL/dlog W = 2D dL/dlog s exactly, and the scale's derivative is exact.
     */
    @Test
    void centralDifferenceOnAConvNetworkMatchesTheHomogeneityIdentity() {
        String spec = "Conv(1.2, 0, filter=3) Relu AvgPool(window=2) Conv(1.2, 0, filter=3) Relu Flatten Dense(1.2, 0)";
        Matrix x = Data.gaussian(25, SHAPE.features(), 41);
        Matrix y = Data.gaussian(25, 3, 42);
        MarginalLikelihood m = ml(spec, SHAPE, true, false, 0.05, 1.3, Set.of("w_std", "scale"), x, y, false);
        double[] g = m.evaluate(m.space().initialLogFree(), true).gradient();
        assertEquals(6 * g[1], g[0], 1e-7 * Math.max(1, Math.abs(g[0])));
        assertTrue(Math.abs(g[0]) > 1e-3, "a non-trivial gradient: " + g[0]);
    }

    @Test
    void smallConvFitEndsAtALocalMaximum() {
        Matrix x = Data.gaussian(40, SHAPE.features(), 51);
        Matrix y = prior("Conv(1.6, 0.5, filter=3) Relu GlobalAvgPool Dense(1.4, 0.2)", x, SHAPE, 0.05, 4, 52);
        HyperparameterSpace space = HyperparameterSpace.of(Network.parse("Conv(1, 0.1, filter=3) Relu GlobalAvgPool Dense(1, 0.1)"),
                true, false, 0.2, 1, Set.of("w_std", "b_std", "noise"), Map.of());
        MarginalLikelihood m = new MarginalLikelihood(space, x, SHAPE, y, LinearAlgebra.automatic(), null, 2);
        FitResult r = MarginalLikelihoodFit.fit(m, new MarginalLikelihoodFit.Settings(MarginalLikelihoodFit.Optimizer.LBFGS, 1, 1, 100, 1e-7),
                line -> { });
        assertTrue(r.converged(), r.message());
        assertLocalMaximum(m, r);
        assertTrue(r.network().spec().startsWith("Conv(" ), r.network().spec());
    }

    @Test
    void branchingSpecsFit() {
        Matrix x = Data.gaussian(40, 5, 61);
        String fan = "Dense(1.2, 0.1) FanOut(2) Parallel(Relu Dense(1.3, 0.2); Erf Dense(0.9, 0.1)) FanInSum";
        Matrix y = prior(fan, x, null, 0.05, 3, 62);
        HyperparameterSpace space = HyperparameterSpace.of(Network.parse(fan), true, false, 0.2, 1, Set.of("w_std", "b_std", "noise"), Map.of());
        MarginalLikelihood m = new MarginalLikelihood(space, x, null, y, LinearAlgebra.automatic(), null, 2);
        assertTrue(m.generic());
        FitResult r = MarginalLikelihoodFit.fit(m, new MarginalLikelihoodFit.Settings(MarginalLikelihoodFit.Optimizer.LBFGS, 1, 1, 100, 1e-7),
                line -> { });
        assertTrue(r.converged(), r.message());
        assertLocalMaximum(m, r);
        // a convolutional Residual: its likelihood is the Cholesky one of KernelComputer's kernel
        String res = "Conv(1.2, 0.1, filter=3) Relu Residual(Conv(1, 0.1, filter=3) Relu Conv(1, 0.1, filter=1)) GlobalAvgPool Dense(1, 0)";
        Matrix xi = Data.gaussian(20, SHAPE.features(), 63);
        Matrix yi = Data.gaussian(20, 1, 64);
        MarginalLikelihood mr = ml(res, SHAPE, true, false, 0.1, 1, MarginalLikelihoodTest.ALL, xi, yi, false);
        double mine = mr.evaluate(mr.space().initialLogFree(), false).logLikelihood();
        // tied: every weight layer at the first one's (1.2, 0.1), as the space's network says
        Network tiedNet = mr.space().network(mr.space().values(mr.space().initialLogFree()));
        assertTrue(tiedNet.spec().contains("Residual(Conv(1.2, 0.1") && tiedNet.spec().contains("GlobalAvgPool Dense(1.2, 0.1"), tiedNet.spec());
        double[] k = new KernelComputer(tiedNet, 1).compute(xi, null, SHAPE).nngp().data().clone();
        GpInference gp = new GpInference(new KernelPair(Matrix.wrap(20, 20, k), null), yi, DiagonalRegularizer.absoluteValue(0.1),
                LinearAlgebra.pureJava());
        assertEquals(gp.logMarginalLikelihood(PosteriorKind.NNGP), mine, 1e-9 * Math.abs(mine));
    }

    /** Perturbing each free parameter by 1% up or down (inside its box) lowers L. */
    static void assertLocalMaximum(MarginalLikelihood m, FitResult r) {
        List<HyperparameterSpace.Parameter> free = m.space().free();
        double[] best = new double[free.size()];
        int f = 0;
        for (int i = 0; i < r.parameters().size(); i++) {
            if (r.parameters().get(i).free()) {
                best[f++] = Math.log(r.values()[i]);
            }
        }
        double l0 = m.evaluate(best, false).logLikelihood();
        assertEquals(r.logMarginalLikelihood(), l0, 1e-9 * Math.abs(l0));
        for (int i = 0; i < best.length; i++) {
            for (double factor : new double[] {1.01, 0.99}) {
                double[] t = best.clone();
                t[i] += Math.log(factor);
                if (t[i] < Math.log(free.get(i).lower()) || t[i] > Math.log(free.get(i).upper())) {
                    continue;
                }
                double l = m.evaluate(t, false).logLikelihood();
                assertTrue(l < l0, free.get(i).name() + " x " + factor + ": " + l + " >= " + l0);
            }
        }
    }

    @Test
    void mistakesAreOneSentenceNamingTheParameter() {
        UserErrorException none = assertThrows(UserErrorException.class, () -> HyperparameterSpace.of(
                Network.parse("AvgPool(window=2) Flatten"), true, true, 0.01, 1, Set.of("w_std", "noise"), Map.of()));
        assertTrue(none.getMessage().contains("no Dense or Conv layer") && none.getMessage().contains("w_std"), none.getMessage());
        UserErrorException noise = assertThrows(UserErrorException.class, () -> HyperparameterSpace.of(
                Network.parse(CONV), true, true, -0.5, 1, Set.of("w_std", "noise"), Map.of()));
        assertTrue(noise.getMessage().startsWith("noise = -0.5 is outside its domain"), noise.getMessage());
        UserErrorException bound = assertThrows(UserErrorException.class, () -> HyperparameterSpace.of(
                Network.parse(CONV), false, true, 0.01, 1, Set.of("b_std"), Map.of("b_std", new double[] {0, 1})));
        assertTrue(bound.getMessage().contains("b_std"), bound.getMessage());
        // a conv network given flat vectors: the kernel computer's sentence, at the first kernel
        Matrix x = Data.gaussian(10, SHAPE.features(), 71);
        MarginalLikelihood plain = ml(CONV, null, true, true, 0.01, 1, MarginalLikelihoodTest.ALL, x, Data.gaussian(10, 1, 72), false);
        UserErrorException flat = assertThrows(UserErrorException.class, () -> plain.evaluate(plain.space().initialLogFree(), false));
        assertTrue(flat.getMessage().contains("needs images"), flat.getMessage());
    }

    @Test
    void convSweepPointsEqualTheMarginalLikelihoodAndThePosterior() {
        Matrix x = Data.gaussian(30, SHAPE.features(), 81);
        Matrix xv = Data.gaussian(12, SHAPE.features(), 82);
        Matrix y = Data.gaussian(30, 2, 83);
        Matrix yv = Data.gaussian(12, 2, 84);
        String spec = "Conv(1, 0, filter=3) Erf GlobalAvgPool Dense(1, 0)";
        GridSweep sweep = GridSweep.forNetwork(Network.parse(spec), SHAPE, x, y, xv, yv, null, 1e-3, LinearAlgebra.automatic());
        double[] sw2 = {0.8, 2.0};
        double[] sb2 = {0, 0.3};
        List<GridSweep.Point> pts = sweep.run(sw2, sb2, 2, (d, t) -> { });
        assertEquals(4, pts.size());
        for (GridSweep.Point p : pts) {
            assertEquals(0, p.depth());
            HyperparameterSpace space = HyperparameterSpace.of(sweep.network(p.sw2(), p.sb2()), true, true, 1e-3, 1, Set.of("scale"), Map.of());
            MarginalLikelihood m = new MarginalLikelihood(space, x, SHAPE, y, LinearAlgebra.automatic(), null, 1);
            MarginalLikelihood.Evaluation e = m.evaluate(new double[] {0}, false);
            assertEquals(e.logLikelihood(), p.logMarginalLikelihood(), 1e-8 * Math.abs(e.logLikelihood()));
            double[] mean = NngpPosterior.mean(sweep.network(p.sw2(), p.sb2()), x, SHAPE, y, xv, 1, 1e-3, true, LinearAlgebra.automatic(), null, 1);
            double sq = 0;
            for (int i = 0; i < mean.length; i++) {
                sq += (mean[i] - yv.data()[i]) * (mean[i] - yv.data()[i]);
            }
            assertEquals(Math.sqrt(sq / mean.length), p.rmse(), 1e-9);
        }
        assertTrue(sweep.network(2.0, 0.3).spec().startsWith("Conv(1.414"), sweep.network(2.0, 0.3).spec());
    }
}
