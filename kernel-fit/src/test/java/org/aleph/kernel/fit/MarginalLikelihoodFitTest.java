package org.aleph.kernel.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.fit.MarginalLikelihoodFit.Optimizer;
import org.aleph.kernel.fit.MarginalLikelihoodFit.Settings;
import org.junit.jupiter.api.Test;

/** Fits on data drawn from known NNGP priors. */
class MarginalLikelihoodFitTest {

    static final String TRUE_SPEC = "Dense(1.6, 0.4) Erf Dense(1.6, 0.4) Erf Dense(1.6, 0.4)";

    static MarginalLikelihood problem(Set<String> free, String start, Matrix x, Matrix y, double noise) {
        HyperparameterSpace space = HyperparameterSpace.of(Network.parse(start), true, false, noise, 1, free, Map.of());
        return new MarginalLikelihood(space, x, y, LinearAlgebra.automatic(), null, 1);
    }

    /** Perturbing each fitted parameter by +-1% lowers L: the returned point is a local maximum. */
    @Test
    void fittedPointIsALocalMaximum() {
        Matrix x = Data.gaussian(80, 4, 5);
        Matrix y = Data.prior(Network.parse(TRUE_SPEC), x, 1.0, 0.05, 3, 6);
        MarginalLikelihood m = problem(Set.of("w_std", "b_std", "noise", "scale"), "Dense(1, 0.1) Erf Dense(1, 0.1) Erf Dense(1, 0.1)", x, y, 0.2);
        FitResult r = MarginalLikelihoodFit.fit(m, new Settings(Optimizer.LBFGS, 2, 7, 200, 1e-7), s -> { });
        assertTrue(r.converged(), r.message());
        double best = r.logMarginalLikelihood();
        double[] logBest = new double[4];
        for (int i = 0; i < 4; i++) {
            logBest[i] = Math.log(r.values()[i]);
        }
        for (int i = 0; i < 4; i++) {
            for (double f : new double[] {0.99, 1.01}) {
                double[] t = logBest.clone();
                t[i] += Math.log(f);
                double l = m.evaluate(t, false).logLikelihood();
                assertTrue(l < best, r.parameters().get(i).name() + " x " + f + ": " + l + " >= " + best);
            }
        }
        assertTrue(r.gradientNorm() < 1e-3 * Math.abs(best), "gradient norm " + r.gradientNorm());
        assertTrue(r.gradientError() < 1e-3, "gradient error " + r.gradientError());
        assertEquals(MarginalLikelihood.EXACT, r.gradientMethod()); // Erf offers its variance derivatives
        assertEquals(2, r.starts().size());
    }

    /**
     * Targets drawn from the NNGP prior of a known network (W_std = 1.6, b_std = 0.4, noise 0.05):
     * the fit recovers W_std and b_std within 3 Laplace standard deviations, and those are small
     * enough to mean something (the check would fail for a fit off by 30%).
     */
    @Test
    void recoversTheGeneratingWeightAndBiasScales() {
        Matrix x = Data.gaussian(150, 4, 50);
        Matrix y = Data.prior(Network.parse(TRUE_SPEC), x, 1.0, 0.05, 10, 51);
        MarginalLikelihood m = problem(Set.of("w_std", "b_std", "noise"), "Dense(1, 0.1) Erf Dense(1, 0.1) Erf Dense(1, 0.1)", x, y, 0.2);
        FitResult r = MarginalLikelihoodFit.fit(m, new Settings(Optimizer.LBFGS, 3, 8, 200, 1e-7), s -> { });
        assertTrue(r.converged(), r.message());
        for (String[] p : new String[][] {{"w_std", "1.6"}, {"b_std", "0.4"}, {"noise", "0.05"}}) {
            double truth = Double.parseDouble(p[1]);
            double sd = r.logSd(p[0]);
            assertTrue(sd > 0 && sd < 0.1, p[0] + ": sd of log " + sd);
            double z = (Math.log(r.value(p[0])) - Math.log(truth)) / sd;
            assertTrue(Math.abs(z) < 3, p[0] + " = " + r.value(p[0]) + " vs " + truth + " (z = " + z + ")");
        }
    }

    /**
     * With relative noise the scale is profiled out in closed form; the result must still be a
     * local maximum of the full likelihood in all four parameters (scale included, evaluated with
     * the scale fixed, so not profiled).
     */
    @Test
    void profiledScaleGivesALocalMaximumOfTheFullLikelihood() {
        Matrix x = Data.gaussian(70, 4, 80);
        Matrix y = Data.prior(Network.parse(TRUE_SPEC), x, 2.0, 0.1, 3, 81);
        HyperparameterSpace space = HyperparameterSpace.of(Network.parse("Dense(1, 0.1) Erf Dense(1, 0.1) Erf Dense(1, 0.1)"), true, true,
                0.05, 1, Set.of("w_std", "b_std", "noise", "scale"), Map.of());
        MarginalLikelihood m = new MarginalLikelihood(space, x, y, LinearAlgebra.automatic(), null, 1);
        assertTrue(m.profilesScale());
        FitResult r = MarginalLikelihoodFit.fit(m, new Settings(Optimizer.LBFGS, 1, 1, 200, 1e-8), s -> { });
        assertTrue(r.converged(), r.message());
        double best = full(x, y, r.value("w_std"), r.value("b_std"), r.value("noise"), r.value("scale"));
        assertEquals(r.logMarginalLikelihood(), best, 1e-9 * Math.abs(best));
        double[] v = {r.value("w_std"), r.value("b_std"), r.value("noise"), r.value("scale")};
        for (int i = 0; i < 4; i++) {
            for (double f : new double[] {0.99, 1.01}) {
                double[] p = v.clone();
                p[i] *= f;
                assertTrue(full(x, y, p[0], p[1], p[2], p[3]) < best, "parameter " + i + " x " + f);
            }
        }
    }

    /** L at given values with nothing profiled: every parameter fixed except the noise, whose box is a single point. */
    static double full(Matrix x, Matrix y, double w, double b, double noise, double scale) {
        String spec = String.format(java.util.Locale.ROOT, "Dense(%s, %s) Erf Dense(%s, %s) Erf Dense(%s, %s)", w, b, w, b, w, b);
        HyperparameterSpace space = HyperparameterSpace.of(Network.parse(spec), true, true, noise, scale, Set.of("noise"),
                Map.of("noise", new double[] {noise, noise}));
        return new MarginalLikelihood(space, x, y, LinearAlgebra.automatic(), null, 1).evaluate(new double[] {Math.log(noise)}, false)
                .logLikelihood();
    }

    @Test
    void bobyqaFindsTheSameMaximumAsLbfgs() {
        Matrix x = Data.gaussian(60, 3, 60);
        Matrix y = Data.prior(Network.parse("Dense(1.3, 0.5) Relu Dense(1.3, 0.5)"), x, 1.0, 0.1, 4, 61);
        String start = "Dense(1, 0.2) Relu Dense(1, 0.2)";
        FitResult a = MarginalLikelihoodFit.fit(problem(Set.of("w_std", "b_std", "noise"), start, x, y, 0.3),
                new Settings(Optimizer.LBFGS, 1, 1, 200, 1e-8), s -> { });
        FitResult b = MarginalLikelihoodFit.fit(problem(Set.of("w_std", "b_std", "noise"), start, x, y, 0.3),
                new Settings(Optimizer.BOBYQA, 1, 1, 200, 1e-7), s -> { });
        assertTrue(a.converged() && b.converged(), a.message() + " / " + b.message());
        assertEquals(a.logMarginalLikelihood(), b.logMarginalLikelihood(), 1e-6 * Math.abs(a.logMarginalLikelihood()));
        for (String p : new String[] {"w_std", "b_std", "noise"}) {
            assertEquals(a.value(p), b.value(p), 1e-2 * a.value(p), p);
        }
    }

    /** One iteration cannot converge from a poor start: the result says so and still holds the best point found. */
    @Test
    void nonConvergenceIsReported() {
        Matrix x = Data.gaussian(40, 3, 70);
        Matrix y = Data.prior(Network.parse(TRUE_SPEC), x, 1.0, 0.05, 2, 71);
        MarginalLikelihood m = problem(Set.of("w_std", "b_std", "noise", "scale"), "Dense(0.3, 2) Erf Dense(0.3, 2) Erf Dense(0.3, 2)", x, y, 1);
        double start = m.evaluate(m.space().initialLogFree(), false).logLikelihood();
        FitResult r = MarginalLikelihoodFit.fit(m, new Settings(Optimizer.LBFGS, 1, 1, 1, 1e-7), s -> { });
        assertFalse(r.converged());
        assertTrue(r.message().contains("iteration limit"), r.message());
        assertTrue(r.logMarginalLikelihood() > start);
    }
}
