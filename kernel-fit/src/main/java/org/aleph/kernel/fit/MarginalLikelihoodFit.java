package org.aleph.kernel.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.fit.HyperparameterSpace.Parameter;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Type-II maximum likelihood for the NNGP (Rasmussen and Williams 2006, sec. 5.4.1): maximises
 * the {@link MarginalLikelihood} over the log of the free hyperparameters within their box,
 * from several starts, and reports the best.
 *
 * <p>Starts: the first at the given values (the spec's W_std and b_std, the given noise and
 * scale), the others drawn log-uniformly within a factor e^2 of them (clipped to the box) from
 * a seeded generator. Optimisers: {@link Optimizer#LBFGS} ({@link ProjectedLbfgs}, with the
 * gradient) or {@link Optimizer#BOBYQA} (Powell's bounded derivative-free trust-region method,
 * Hipparchus' {@code BOBYQAOptimizer}, at least two free parameters). At the best point the
 * gradient, its estimated error and the Laplace approximation of the posterior of the log
 * parameters (the inverse of minus the Hessian, by central differences of the gradient with
 * step {@value #HESSIAN_STEP}) are reported.
 */
public final class MarginalLikelihoodFit {

    /** The optimiser. */
    public enum Optimizer {
        /** Projected L-BFGS with gradients. */
        LBFGS,
        /** Powell's BOBYQA, derivative-free. */
        BOBYQA
    }

    /**
     * How to fit.
     *
     * @param optimizer          the optimiser
     * @param starts             the number of starts, at least 1
     * @param seed               the seed of the random starts
     * @param maxIterations      iterations per start (L-BFGS) or 20 times that in function evaluations (BOBYQA)
     * @param tolerance          the projected-gradient tolerance relative to max(1, |L|) (L-BFGS), or the
     *                           final trust-region radius in log units (BOBYQA)
     */
    public record Settings(Optimizer optimizer, int starts, long seed, int maxIterations, double tolerance) {
        public Settings {
            if (starts < 1) {
                throw new UserErrorException("the number of starts must be at least 1, got " + starts);
            }
            if (maxIterations < 1) {
                throw new UserErrorException("the maximum number of iterations must be at least 1, got " + maxIterations);
            }
            if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
                throw new UserErrorException("the tolerance must be a positive number, got " + tolerance);
            }
        }

        /** L-BFGS, 4 starts, seed 1, 200 iterations, tolerance 1e-7. */
        public static Settings defaults() {
            return new Settings(Optimizer.LBFGS, 4, 1, 200, 1e-7);
        }
    }

    /** Step of the central differences of the gradient for the Hessian (log units). */
    static final double HESSIAN_STEP = 1e-3;

    private MarginalLikelihoodFit() {
    }

    /**
     * Fits.
     *
     * @param ml       the objective
     * @param settings how
     * @param progress receives one line per finished start, and a line every 10 s during a start
     */
    public static FitResult fit(MarginalLikelihood ml, Settings settings, Consumer<String> progress) {
        long t0 = System.nanoTime();
        HyperparameterSpace space = ml.space();
        double[] lo = space.lowerLog();
        double[] hi = space.upperLog();
        int p = lo.length;
        if (settings.optimizer() == Optimizer.BOBYQA && p < 2) {
            throw new UserErrorException("the optimizer bobyqa needs at least two free parameters (BOBYQA models the objective "
                    + "by quadratic interpolation in two or more dimensions); use lbfgs for one");
        }
        double[] x0 = space.initialLogFree();
        Random random = new Random(settings.seed());
        List<FitResult.Start> starts = new ArrayList<>();
        double[] bestX = null;
        double bestF = Double.NEGATIVE_INFINITY;
        boolean bestConverged = false;
        String bestMessage = "";
        for (int s = 0; s < settings.starts(); s++) {
            double[] start = x0.clone();
            if (s > 0) {
                for (int i = 0; i < p; i++) {
                    double a = Math.max(lo[i], x0[i] - 2);
                    double b = Math.min(hi[i], x0[i] + 2);
                    start[i] = a + (b - a) * random.nextDouble();
                }
            }
            int number = s + 1;
            long[] last = {System.nanoTime()};
            java.util.function.ObjIntConsumer<Double> every10s = (f, it) -> {
                long now = System.nanoTime();
                if (now - last[0] > 10_000_000_000L) {
                    last[0] = now;
                    progress.accept(String.format(Locale.ROOT, "start %d: iteration %d, log marginal likelihood %.6f", number, it, -f));
                }
            };
            Run run = settings.optimizer() == Optimizer.LBFGS ? lbfgs(ml, lo, hi, start, settings, every10s)
                    : bobyqa(ml, lo, hi, start, settings);
            starts.add(new FitResult.Start(space.values(start), space.values(run.x), run.logL, run.iterations, run.converged, run.message));
            progress.accept(String.format(Locale.ROOT, "start %d/%d: log marginal likelihood %.6f after %d %s%s", s + 1,
                    settings.starts(), run.logL, run.iterations, settings.optimizer() == Optimizer.LBFGS ? "iterations" : "evaluations",
                    run.converged ? "" : " (not converged: " + run.message + ")"));
            // The best L wins; a converged start within 1e-9 |L| of a better unconverged one is preferred (same optimum).
            double close = 1e-9 * Math.max(1, Math.abs(bestF));
            boolean better = run.converged && !bestConverged ? run.logL >= bestF - close
                    : (!run.converged && bestConverged ? run.logL > bestF + close : run.logL > bestF);
            if (better || bestX == null) {
                bestF = run.logL;
                bestX = run.x;
                bestConverged = run.converged;
                bestMessage = run.message;
            }
        }
        if (!Double.isFinite(bestF)) {
            throw new UserErrorException("the marginal likelihood is not finite at any start (s K + noise I is not positive definite): "
                    + "raise the lower bound of noise");
        }
        MarginalLikelihood.Evaluation at = ml.evaluate(bestX, true);
        int profiled = ml.profilesScale() ? ml.freeScaleIndex() : -1;
        if (profiled >= 0) { // the optimiser's scale variable is unused: record the profiled value s*
            bestX = bestX.clone();
            bestX[profiled] = Math.log(at.values()[space.parameters().indexOf(space.free().get(profiled))]);
        }
        double[] g = at.gradient();
        boolean[] atBoundFree = new boolean[p];
        double norm = 0;
        for (int i = 0; i < p; i++) {
            atBoundFree[i] = bestX[i] <= lo[i] + 1e-9 || bestX[i] >= hi[i] - 1e-9;
            boolean pushesOut = (bestX[i] <= lo[i] + 1e-9 && g[i] < 0) || (bestX[i] >= hi[i] - 1e-9 && g[i] > 0);
            if (!pushesOut) {
                norm += g[i] * g[i];
            }
        }
        double gradientError = ml.gradientErrorEstimate(bestX);
        boolean[] excluded = atBoundFree.clone();
        if (profiled >= 0) {
            excluded[profiled] = true; // profiled out: the Hessian is that of the profile likelihood of the others
        }
        double[] logSdFree = laplace(ml, bestX, excluded);
        List<Parameter> all = space.parameters();
        double[] logSd = new double[all.size()];
        boolean[] atBound = new boolean[all.size()];
        int f = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).free()) {
                logSd[i] = logSdFree[f];
                atBound[i] = atBoundFree[f];
                f++;
            } else {
                logSd[i] = Double.NaN;
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        return new FitResult(all, at.values(), logSd, atBound, at.logLikelihood(), g, Math.sqrt(norm), gradientError, ml.step(),
                at.exactGradient() ? MarginalLikelihood.EXACT : MarginalLikelihood.CENTRAL_DIFFERENCES,
                at.absoluteNoise(), space.relativeNoise(), bestConverged, bestMessage, space.network(at.values()), List.copyOf(starts),
                ml.kernelEvaluations(), seconds);
    }

    private record Run(double[] x, double logL, int iterations, boolean converged, String message) {
    }

    private static Run lbfgs(MarginalLikelihood ml, double[] lo, double[] hi, double[] start, Settings settings,
                             java.util.function.ObjIntConsumer<Double> listener) {
        ProjectedLbfgs opt = new ProjectedLbfgs(lo, hi, settings.maxIterations(), settings.tolerance()).onIteration(listener);
        ProjectedLbfgs.Outcome o = opt.minimise(new ProjectedLbfgs.Objective() {
            @Override
            public double value(double[] x) {
                return -ml.evaluate(x, false).logLikelihood();
            }

            @Override
            public double valueAndGradient(double[] x, double[] g) {
                MarginalLikelihood.Evaluation e = ml.evaluate(x, true);
                if (e.gradient() == null) {
                    return Double.POSITIVE_INFINITY;
                }
                for (int i = 0; i < g.length; i++) {
                    g[i] = -e.gradient()[i];
                }
                return -e.logLikelihood();
            }
        }, start);
        return new Run(o.x(), -o.f(), o.iterations(), o.converged(), o.message());
    }

    private static Run bobyqa(MarginalLikelihood ml, double[] lo, double[] hi, double[] start, Settings settings) {
        int p = lo.length;
        double narrowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < p; i++) {
            narrowest = Math.min(narrowest, hi[i] - lo[i]);
        }
        if (!(narrowest > 0)) {
            throw new UserErrorException("the optimizer bobyqa needs every free parameter's bounds to differ (lower < upper)");
        }
        double radius = Math.min(0.5, narrowest / 2.5);
        BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * p + 1, radius, Math.min(radius / 10, settings.tolerance()));
        int maxEval = 20 * settings.maxIterations();
        double[] best = {Double.NEGATIVE_INFINITY};
        double[][] bestX = {start.clone()};
        int[] evals = {0};
        ObjectiveFunction fn = new ObjectiveFunction(x -> {
            evals[0]++;
            double v = ml.evaluate(x, false).logLikelihood();
            if (v > best[0]) {
                best[0] = v;
                bestX[0] = x.clone();
            }
            // BOBYQA's quadratic models need finite values: a non-positive-definite point is made very unlikely instead.
            return Double.isFinite(v) ? v : -1e300;
        });
        try {
            PointValuePair r = opt.optimize(new MaxEval(maxEval), fn, GoalType.MAXIMIZE, new InitialGuess(start), new SimpleBounds(lo, hi));
            return new Run(r.getPoint(), r.getValue(), evals[0], true, "trust region shrank below the tolerance");
        } catch (MathIllegalStateException e) {
            return new Run(bestX[0], best[0], evals[0], false, "BOBYQA stopped: " + e.getMessage() + " (best point kept)");
        }
    }

    /** sd of each free log parameter from -H^{-1} over the interior ones; NaN where undefined. */
    private static double[] laplace(MarginalLikelihood ml, double[] x, boolean[] atBound) {
        int p = x.length;
        double[] sd = new double[p];
        java.util.Arrays.fill(sd, Double.NaN);
        int[] idx = java.util.stream.IntStream.range(0, p).filter(i -> !atBound[i]).toArray();
        int q = idx.length;
        if (q == 0) {
            return sd;
        }
        double[][] h = new double[q][q];
        for (int a = 0; a < q; a++) {
            double[] xp = x.clone();
            double[] xm = x.clone();
            xp[idx[a]] += HESSIAN_STEP;
            xm[idx[a]] -= HESSIAN_STEP;
            double[] gp = ml.evaluate(xp, true).gradient();
            double[] gm = ml.evaluate(xm, true).gradient();
            if (gp == null || gm == null) {
                return sd;
            }
            for (int b = 0; b < q; b++) {
                h[a][b] = -(gp[idx[b]] - gm[idx[b]]) / (2 * HESSIAN_STEP);
            }
        }
        RealMatrix neg = new Array2DRowRealMatrix(q, q);
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < q; b++) {
                neg.setEntry(a, b, 0.5 * (h[a][b] + h[b][a]));
            }
        }
        try {
            RealMatrix cov = new CholeskyDecomposition(neg, 1e-12, 1e-14).getSolver().getInverse();
            for (int a = 0; a < q; a++) {
                sd[idx[a]] = Math.sqrt(cov.getEntry(a, a));
            }
        } catch (RuntimeException notDefinite) {
            // -H is not positive definite: the point is not a strict local maximum in every direction; sds stay NaN
        }
        return sd;
    }
}
