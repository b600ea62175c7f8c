package org.aleph.kernel.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Activation;
import org.quicktheories.QuickTheory;

/**
 * The checks of {@link ActivationContract} that concern the expectations: agreement with the
 * independent quadrature and with Monte Carlo, symmetry and Cauchy-Schwarz. Each runs a
 * QuickTheories property over {@link CovarianceGenerators#triples} and asserts its coverage.
 */
final class ExpectationChecks {

    /** Correlations this close to +-1 get a conditioning allowance (see {@link #conditioning}). */
    private static final double NEAR_ONE = 1e-6;

    private ExpectationChecks() {
    }

    static QuickTheory theory(ActivationContract c, int examples) {
        return qt().withFixedSeed(c.seed()).withExamples(examples).withShrinkCycles(50);
    }

    /** nngp and dnngp of one triple through a block call of length 1. */
    static double[] single(Activation a, double q11, double q12, double q22) {
        double[] nngp = {Double.NaN};
        double[] dnngp = {Double.NaN};
        a.expectations(new double[] {q11}, new double[] {q12}, new double[] {q22}, 1, nngp, dnngp);
        return new double[] {nngp[0], dnngp[0]};
    }

    static void quadrature(ActivationContract c) {
        Activation a = c.activation();
        double[] kinks = a.kinks();
        double tol = c.tolerance();
        Coverage coverage = new Coverage("expectations vs independent quadrature");
        Falsification.check(c, c.examples(), CovarianceGenerators.triples(c.smallestVariance(), c.largestVariance()), t0 -> {
            coverage.count(t0);
            CovarianceCase t = pointwiseFrame(c, a, t0);
            double[] got = single(a, t.q11(), t.q12(), t.q22());
            compare(a::phi, kinks, t, got[0], tol, "E[phi(u)phi(v)]", a);
            compare(a::dphi, kinks, t, got[1], tol, "E[phi'(u)phi'(v)]", a);
        });
        coverage.assertCovariancesCovered(minimum(c.examples()), true);
    }

    private static void compare(DoubleUnaryOperator f, double[] kinks, CovarianceCase t, double got, double tol,
                                String what, Activation a) {
        double accuracy = tol / 20;
        double ref = ReferenceExpectation.expectation(f, kinks, t.q11(), t.q12(), t.q22(), accuracy);
        double scale = Math.sqrt(ReferenceExpectation.secondMoment(f, kinks, t.q11())
                * ReferenceExpectation.secondMoment(f, kinks, t.q22()));
        double alt = ref;
        if (t.hasZeroVariance() && contains(kinks, 0)) {
            // a constant-0 variable sits on the kink: accept the value at 0 or the limit of
            // vanishing variance, which sees the mean of the one-sided values of f at 0
            DoubleUnaryOperator limit = x -> x == 0
                    ? 0.5 * (f.applyAsDouble(-Double.MIN_NORMAL) + f.applyAsDouble(Double.MIN_NORMAL))
                    : f.applyAsDouble(x);
            alt = ReferenceExpectation.expectation(limit, kinks, t.q11(), t.q12(), t.q22(), accuracy);
            scale = Math.max(scale, Math.sqrt(ReferenceExpectation.secondMoment(limit, kinks, t.q11())
                    * ReferenceExpectation.secondMoment(limit, kinks, t.q22())));
        }
        double allowed = tol * scale + 2 * conditioning(f, kinks, t, ref, accuracy) + Double.MIN_NORMAL;
        if (!Double.isFinite(got)) {
            fail(a.name() + ": " + what + " is " + got + " at " + t + "; the reference is " + ref);
        }
        double err = Math.min(Math.abs(got - ref), Math.abs(got - alt));
        if (!(err <= allowed)) {
            fail(a.name() + ": " + what + " = " + got + " at " + t + " but the independent quadrature gives " + ref
                    + (alt != ref ? " (or " + alt + " in the limit of vanishing variance)" : "")
                    + "; error " + err + " = " + (scale > 0 ? err / scale : Double.NaN)
                    + " of the scale sqrt(E[f(u)^2]E[f(v)^2]) = " + scale + ", allowed " + allowed
                    + " (tolerance " + tol + ")");
        }
    }

    /**
     * How much the expectation moves when q12 moves by 4 ulps: near |rho| = 1 functions with
     * jumps have E ~ sqrt(1 - |rho|), so the rounding of rho alone shifts E by 1e-8. Only
     * functions with declared kinks are affected.
     */
    private static double conditioning(DoubleUnaryOperator f, double[] kinks, CovarianceCase t, double ref, double accuracy) {
        if (kinks.length == 0 || t.hasZeroVariance() || 1 - Math.abs(t.rho()) > NEAR_ONE) {
            // a smooth f has E[f(u)f(v)] smooth in rho up to +-1 (Hermite series with slope E[f'^2] q)
            return 0;
        }
        double moved = ReferenceExpectation.expectation(f, kinks, t.q11(), t.q12() * (1 - 4 * 0x1.0p-53), t.q22(), accuracy);
        return Math.abs(moved - ref);
    }

    static void monteCarlo(ActivationContract c) {
        Activation a = c.activation();
        double tol = c.tolerance();
        double sigmas = c.monteCarloSigmas();
        int samples = c.monteCarloSamples();
        Coverage coverage = new Coverage("expectations vs Monte Carlo");
        Falsification.check(c, c.monteCarloCases(), CovarianceGenerators.positiveTriples(c.smallestVariance(), c.largestVariance()), t0 -> {
            coverage.count(t0);
            CovarianceCase t = pointwiseFrame(c, a, t0);
            double[] got = single(a, t.q11(), t.q12(), t.q22());
            double[] d1 = single(a, t.q11(), t.q11(), t.q11());
            double[] d2 = single(a, t.q22(), t.q22(), t.q22());
            long seed = c.seed() ^ Double.doubleToLongBits(t.q11()) * 31 ^ Double.doubleToLongBits(t.q12());
            MonteCarloExpectation.Estimate[] mc = MonteCarloExpectation.estimate(a::phi, a::dphi,
                    t.q11(), t.q12(), t.q22(), samples, seed);
            String[] what = {"E[phi(u)phi(v)]", "E[phi'(u)phi'(v)]"};
            for (int k = 0; k < 2; k++) {
                double allowed = mc[k].allowance(sigmas) + tol * Math.sqrt(Math.abs(d1[k] * d2[k]))
                        + Double.MIN_NORMAL;
                double err = Math.abs(got[k] - mc[k].mean());
                if (!(err <= allowed)) {
                    fail(a.name() + ": " + what[k] + " = " + got[k] + " at " + t + " but " + samples
                            + " Monte Carlo samples give " + mc[k].mean() + " +- " + mc[k].standardError()
                            + " (resolution " + mc[k].resolution() + "); off by " + err / mc[k].standardError()
                            + " standard errors (allowed " + sigmas + " and the resolution)");
                }
            }
        });
        coverage.assertCovariancesCovered(1, false);
    }

    /**
     * The triple at which phi itself realises the expectations: t, or for an activation that
     * {@link ActivationContract#normalizesScale() normalises its input} the unit-variance triple
     * (1, rho, 1), after asserting that its expectations at t are sqrt(q11 q22) times (nngp) and
     * equal to (dnngp) those at (1, rho, 1).
     */
    static CovarianceCase pointwiseFrame(ActivationContract c, Activation a, CovarianceCase t) {
        if (!c.normalizesScale()) {
            return t;
        }
        CovarianceCase unit = new CovarianceCase(1, t.rho(), 1, t.correlation(), CovarianceCase.Scale.MODERATE,
                CovarianceCase.Scale.MODERATE);
        double[] at = single(a, t.q11(), t.q12(), t.q22());
        double[] one = single(a, 1, t.rho(), 1);
        double s = Math.sqrt(t.q11()) * Math.sqrt(t.q22());
        double[] want = {s * one[0], one[1]};
        double[] diagonal = single(a, 1, 1, 1); // the Cauchy-Schwarz scales: s E_1(1, 1, 1) and E_1'(1, 1, 1)
        double[] scale = {s * diagonal[0], diagonal[1]};
        String[] what = {"E[phi(u)phi(v)] / sqrt(q11 q22)", "E[phi'(u)phi'(v)]"};
        for (int k = 0; k < 2; k++) {
            int kk = k;
            assertTrue(Math.abs(at[k] - want[k]) <= c.tolerance() * scale[k] + Double.MIN_NORMAL, () -> a.name()
                    + " normalises its input, so " + what[kk] + " at " + t + " must equal its value at (1, rho, 1): got "
                    + at[kk] + ", expected " + want[kk]);
        }
        return unit;
    }

    static void symmetry(ActivationContract c) {
        Activation a = c.activation();
        double tol = c.tolerance();
        Coverage coverage = new Coverage("symmetry in (u, v)");
        Falsification.check(c, c.examples(), CovarianceGenerators.triples(c.smallestVariance(), c.largestVariance()), t -> {
            coverage.count(t);
            double[] got = single(a, t.q11(), t.q12(), t.q22());
            double[] swapped = single(a, t.q22(), t.q12(), t.q11());
            double[] d1 = single(a, t.q11(), t.q11(), t.q11());
            double[] d2 = single(a, t.q22(), t.q22(), t.q22());
            for (int k = 0; k < 2; k++) {
                double allowed = tol * Math.sqrt(Math.abs(d1[k] * d2[k])) + Double.MIN_NORMAL;
                assertTrue(Math.abs(got[k] - swapped[k]) <= allowed, () -> a.name() + ": swapping q11 and q22 in "
                        + t + " changes (nngp, dnngp) from (" + got[0] + ", " + got[1] + ") to ("
                        + swapped[0] + ", " + swapped[1] + ")");
            }
        });
        coverage.assertCovariancesCovered(minimum(c.examples()), true);
    }

    static void cauchySchwarz(ActivationContract c) {
        Activation a = c.activation();
        double tol = c.tolerance();
        Coverage coverage = new Coverage("Cauchy-Schwarz");
        Falsification.check(c, c.examples(), CovarianceGenerators.triples(c.smallestVariance(), c.largestVariance()), t -> {
            coverage.count(t);
            double[] got = single(a, t.q11(), t.q12(), t.q22());
            double[] d1 = single(a, t.q11(), t.q11(), t.q11());
            double[] d2 = single(a, t.q22(), t.q22(), t.q22());
            String[] what = {"E[phi(u)phi(v)]", "E[phi'(u)phi'(v)]"};
            for (int k = 0; k < 2; k++) {
                int kk = k;
                assertTrue(d1[k] >= 0 && d2[k] >= 0, () -> a.name() + ": a second moment " + what[kk]
                        + " at u = v is negative: " + d1[kk] + " at variance " + t.q11() + ", " + d2[kk]
                        + " at variance " + t.q22());
                double bound = Math.sqrt(d1[k] * d2[k]) * (1 + tol) + Double.MIN_NORMAL;
                assertTrue(Math.abs(got[k]) <= bound, () -> a.name() + ": " + what[kk] + " = " + got[kk]
                        + " at " + t + " exceeds the Cauchy-Schwarz bound sqrt(" + d1[kk] + " * " + d2[kk]
                        + ") = " + Math.sqrt(d1[kk] * d2[kk]));
            }
        });
        coverage.assertCovariancesCovered(minimum(c.examples()), true);
    }

    /** The smallest count each regime must reach: about 7% of the cases, at least 1. */
    static int minimum(int examples) {
        return Math.max(1, examples / 15);
    }

    static boolean contains(double[] a, double x) {
        for (double v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }
}
