package org.aleph.kernel.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.aleph.kernel.Matrix;
import org.junit.jupiter.api.Test;

/**
 * The exact gradient (kernel derivatives propagated through the recursion, {@link TangentRecursion})
 * against five-point central differences of L itself, which share nothing with the tangents but
 * the kernel; and the fallback to central differences where an activation does not offer its
 * variance derivatives.
 */
class ExactGradientTest {

    /** dL / d t_i by the five-point rule with step 2e-3 (truncation ~ h^4, rounding ~ 1e-13 |L| / h). */
    private static double fivePoint(MarginalLikelihood m, double[] t, int i) {
        double h = 2e-3;
        double[] f = new double[4];
        double[] steps = {2 * h, h, -h, -2 * h};
        for (int s = 0; s < 4; s++) {
            double[] tt = t.clone();
            tt[i] += steps[s];
            f[s] = m.evaluate(tt, false).logLikelihood();
        }
        return (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h);
    }

    @Test
    void exactGradientMatchesCentralDifferencesOfTheLikelihood() {
        Matrix x = Data.gaussian(40, 4, 181);
        Matrix y = Data.gaussian(40, 2, 182);
        String[] specs = {
            "Dense(1.3, 0.4) Relu Dense(0.9, 0.2) Relu Dense(1.1, 0.3)",
            "Dense(1.3, 0.4) Erf Dense(0.9, 0.2) Erf(a=1.2, b=0.8, c=0.1) Dense(1.1, 0.3)",
            "Dense(1.2, 0.3) LeakyRelu(0.2) Dense(1.4, 0.1) Abs Dense(0.8, 0.2) Gelu Dense(1.1, 0.2)",
            "Dense(1.1, 0.2) RectifiedMonomial(2) Dense(0.9, 0.1) Monomial(3) Dense(0.7, 0.2)",
            "Dense(1.1, 0.3) Sin Dense(0.6, 0.2) Gaussian Dense(0.9, 0.1) Cos(b=0.5) Dense(0.8, 0.3) Exp(a=0.5, b=0.4) Dense(1, 0.1)",
            // LayerNorm (with and without eps) and Residual branches through the tangents
            "Dense(1.2, 0.3) Relu LayerNorm Residual(Dense(0.8, 0.1) Erf Dense(0.7, 0.2)) LayerNorm(eps=0.3) Dense(1, 0.1)"};
        for (String spec : specs) {
            for (boolean relative : new boolean[] {false, true}) {
                for (boolean tied : new boolean[] {true, false}) {
                    MarginalLikelihood m = MarginalLikelihoodTest.ml(spec, tied, relative, 0.1, 0.8, MarginalLikelihoodTest.ALL, x, y);
                    assertEquals(MarginalLikelihood.EXACT, m.gradientMethod(), spec);
                    double[] t = m.space().initialLogFree();
                    MarginalLikelihood.Evaluation e = m.evaluate(t, true);
                    assertTrue(e.exactGradient(), spec);
                    for (int i = 0; i < t.length; i++) {
                        double fd = fivePoint(m, t, i);
                        assertEquals(fd, e.gradient()[i], 1e-7 * Math.max(1, Math.abs(fd)),
                                spec + ": " + m.space().free().get(i).name() + " tied=" + tied + " relative=" + relative);
                    }
                    assertEquals(0, m.exactFallbacks());
                    // the error estimate (distance to Richardson-extrapolated central differences of K) is small
                    double largest = java.util.Arrays.stream(e.gradient()).map(Math::abs).max().orElse(1);
                    assertTrue(m.gradientErrorEstimate(t) < 1e-7 * Math.max(1, largest), spec);
                }
            }
        }
    }

    /**
     * Relu with b_std = 0: K(w) = w^(2D) K(1) over D Dense layers, so dL/dlog w = 2D dL/dlog s
     * with absolute noise; the exact tangents give it to rounding.
     */
    @Test
    void reluHomogeneityHoldsToRounding() {
        Matrix x = Data.gaussian(40, 3, 31);
        Matrix y = Data.gaussian(40, 2, 32);
        for (String spec : new String[] {"Dense(1.2, 0) Relu Dense(1.2, 0) Relu Dense(1.2, 0)",
                "Dense(0.7, 0) LeakyRelu(0.1) Dense(1.9, 0) Relu Dense(1.1, 0) Relu Dense(1.3, 0)"}) {
            MarginalLikelihood m = MarginalLikelihoodTest.ml(spec, true, false, 0.2, 1.3, Set.of("w_std", "scale"), x, y);
            MarginalLikelihood.Evaluation e = m.evaluate(m.space().initialLogFree(), true);
            assertTrue(e.exactGradient());
            int depth = spec.split("Dense").length - 1;
            assertEquals(2 * depth * e.gradient()[1], e.gradient()[0], 1e-10 * Math.abs(e.gradient()[0]), spec);
        }
    }

    /** One tangent pass replaces 1 + 2P kernels, and agrees with the central differences of K to their error. */
    @Test
    void oneTangentPassAgreesWithCentralDifferencesOfTheKernel() {
        Matrix x = Data.gaussian(40, 4, 201);
        Matrix y = Data.gaussian(40, 1, 202);
        String spec = "Dense(1.3, 0.4) Relu Dense(0.9, 0.2) Erf Dense(1.1, 0.3)";
        MarginalLikelihood ex = MarginalLikelihoodTest.ml(spec, false, true, 0.1, 0.8, MarginalLikelihoodTest.ALL, x, y);
        MarginalLikelihood cd = MarginalLikelihoodTest.ml(spec, false, true, 0.1, 0.8, MarginalLikelihoodTest.ALL, x, y);
        cd.useCentralDifferences();
        assertEquals(MarginalLikelihood.CENTRAL_DIFFERENCES, cd.gradientMethod());
        double[] t = ex.space().initialLogFree();
        MarginalLikelihood.Evaluation e = ex.evaluate(t, true);
        MarginalLikelihood.Evaluation c = cd.evaluate(t, true);
        assertTrue(e.exactGradient());
        assertFalse(c.exactGradient());
        assertEquals(e.logLikelihood(), c.logLikelihood(), 1e-13 * Math.abs(e.logLikelihood()));
        for (int i = 0; i < t.length; i++) {
            assertEquals(c.gradient()[i], e.gradient()[i], 1e-7 * Math.max(1, Math.abs(c.gradient()[i])));
        }
        assertEquals(1, ex.kernelEvaluations());
        assertEquals(1 + 2 * 6, cd.kernelEvaluations()); // three W_std, three b_std
    }

    /** Tanh (quadrature) offers no variance derivatives: the whole network falls back, and says so. */
    @Test
    void quadratureActivationsFallBackToCentralDifferences() {
        Matrix x = Data.gaussian(30, 3, 71);
        Matrix y = Data.gaussian(30, 1, 72);
        MarginalLikelihood m = MarginalLikelihoodTest.ml("Dense(1.3, 0.4) Relu Dense(0.9, 0.2) Tanh Dense(1.1, 0.3)", true, false, 0.1,
                0.8, MarginalLikelihoodTest.ALL, x, y);
        assertEquals(MarginalLikelihood.CENTRAL_DIFFERENCES, m.gradientMethod());
        double[] t = m.space().initialLogFree();
        MarginalLikelihood.Evaluation e = m.evaluate(t, true);
        assertFalse(e.exactGradient());
        long before = m.kernelEvaluations();
        m.evaluate(t, true);
        assertEquals(1 + 2 * 2, m.kernelEvaluations() - before); // one kernel and two per W_std, b_std
        // only noise and scale free: nothing to differentiate in the kernel, the gradient is exact
        MarginalLikelihood ns = MarginalLikelihoodTest.ml("Dense(1.3, 0.4) Tanh Dense(1.1, 0.3)", true, false, 0.1, 0.8,
                Set.of("noise", "scale"), x, y);
        assertEquals(MarginalLikelihood.EXACT, ns.gradientMethod());
    }

    /** Two threads sharing each layer's entries (and tangents) give the one-thread gradient. */
    @Test
    void threadsGiveTheSameExactGradient() throws InterruptedException {
        Matrix x = Data.gaussian(150, 4, 121); // 11325 entries: more than 4 chunks, so the layers are split
        Matrix y = Data.gaussian(150, 1, 122);
        String spec = "Dense(1.3, 0.4) Relu Dense(0.9, 0.2) Erf LayerNorm Dense(1.1, 0.3)";
        HyperparameterSpace space = HyperparameterSpace.of(org.aleph.kernel.Network.parse(spec), false, true, 0.1, 1,
                MarginalLikelihoodTest.ALL, java.util.Map.of());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            MarginalLikelihood one = new MarginalLikelihood(space, x, y, org.aleph.kernel.dynamics.LinearAlgebra.automatic(), null, 1);
            MarginalLikelihood two = new MarginalLikelihood(space, x, y, org.aleph.kernel.dynamics.LinearAlgebra.automatic(), pool, 2);
            double[] t = space.initialLogFree();
            double[] g1 = one.evaluate(t, true).gradient();
            MarginalLikelihood.Evaluation e2 = two.evaluate(t, true);
            assertTrue(e2.exactGradient());
            for (int i = 0; i < t.length; i++) {
                assertEquals(g1[i], e2.gradient()[i], 1e-12 * Math.max(1, Math.abs(g1[i])), space.free().get(i).name());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The fit's result says which gradient it used; exact and central-difference fits reach the same optimum. */
    @Test
    void fitResultsReportTheGradientMethod() {
        Matrix x = Data.gaussian(30, 3, 111);
        Matrix y = Data.prior(org.aleph.kernel.Network.parse("Dense(1.6, 0.4) Relu Dense(1.6, 0.4)"), x, 1.0, 0.05, 2, 112);
        MarginalLikelihoodFit.Settings settings = new MarginalLikelihoodFit.Settings(MarginalLikelihoodFit.Optimizer.LBFGS, 1, 3, 200, 1e-8);
        Set<String> free = Set.of("w_std", "b_std", "noise");
        MarginalLikelihood ex = MarginalLikelihoodTest.ml("Dense(1, 0.1) Relu Dense(1, 0.1)", true, false, 0.1, 1, free, x, y);
        MarginalLikelihood cd = MarginalLikelihoodTest.ml("Dense(1, 0.1) Relu Dense(1, 0.1)", true, false, 0.1, 1, free, x, y);
        cd.useCentralDifferences();
        FitResult a = MarginalLikelihoodFit.fit(ex, settings, s -> { });
        FitResult b = MarginalLikelihoodFit.fit(cd, settings, s -> { });
        assertEquals("exact", a.gradientMethod());
        assertEquals("central differences", b.gradientMethod());
        assertEquals(a.logMarginalLikelihood(), b.logMarginalLikelihood(), 1e-9 * Math.abs(a.logMarginalLikelihood()));
        assertEquals(a.value("w_std"), b.value("w_std"), 1e-4 * a.value("w_std"));
        MarginalLikelihood tanh = MarginalLikelihoodTest.ml("Dense(1, 0.1) Tanh Dense(1, 0.1)", true, false, 0.1, 1, free, x, y);
        FitResult t = MarginalLikelihoodFit.fit(tanh, new MarginalLikelihoodFit.Settings(MarginalLikelihoodFit.Optimizer.LBFGS, 1, 3, 2, 1e-8),
                s -> { });
        assertEquals("central differences", t.gradientMethod());
    }

    /**
     * An input of zeros with b_std = 0 has variance 0 at every layer, where Relu's dF/dq11 is
     * infinite: Relu declines, and that gradient is taken by central differences (still right).
     */
    @Test
    void aZeroVarianceFallsBackForThatEvaluation() {
        Matrix g = Data.gaussian(30, 3, 91);
        double[] d = g.data().clone();
        for (int j = 0; j < 3; j++) {
            d[5 * 3 + j] = 0;
        }
        Matrix x = Matrix.wrap(30, 3, d);
        Matrix y = Data.gaussian(30, 1, 92);
        MarginalLikelihood m = MarginalLikelihoodTest.ml("Dense(1.2, 0) Relu Dense(0.9, 0)", true, false, 0.1, 0.8,
                Set.of("w_std", "noise"), x, y);
        assertEquals(MarginalLikelihood.EXACT, m.gradientMethod());
        double[] t = m.space().initialLogFree();
        MarginalLikelihood.Evaluation e = m.evaluate(t, true);
        assertFalse(e.exactGradient());
        assertEquals(1, m.exactFallbacks());
        for (int i = 0; i < t.length; i++) {
            double fd = fivePoint(m, t, i);
            assertEquals(fd, e.gradient()[i], 1e-6 * Math.max(1, Math.abs(fd)));
        }
    }
}
