package org.aleph.kernel.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Assumptions;

/**
 * The sign check of {@link ActivationContract}: where phi &gt;= 0 everywhere (Relu, Gaussian,
 * Sigmoid, rectified monomials, exp), E[phi(u) phi(v)] is an integral of a non-negative
 * function and must be &gt;= 0 exactly, at every triple including rho = -1 and zero variances;
 * likewise E[phi'(u) phi'(v)] where phi' &gt;= 0. No tolerance: a value of -1e-16 from a
 * cancelling formula (a naive arc-cosine J_2 at exactly opposite inputs) is a wrong sign that
 * a square root or logarithm downstream turns into NaN, and every formula that avoids the
 * cancellation gets it right ({@link org.aleph.kernel.spi.support.ArcCosine}).
 *
 * <p>"Everywhere" is sampled: {@value #GRID} + 1 points on [-pointRange, pointRange], points
 * out to {@value #FAR_SDS} standard deviations of the largest variance, and both sides of every
 * declared kink. A NaN is not counted as negative.
 */
final class SignChecks {

    /** Intervals of the grid on [-pointRange, pointRange]. */
    static final int GRID = 4000;

    /** The farthest point sampled, in standard deviations of the largest variance. */
    static final double FAR_SDS = 12;

    private SignChecks() {
    }

    static void nonNegative(ActivationContract c) {
        Activation a = c.activation();
        double far = FAR_SDS * Math.sqrt(c.largestVariance());
        String phiNegative = negativeAt(a::phi, "phi", c.pointRange(), far, a.kinks());
        Assumptions.assumeTrue(phiNegative == null, () -> a.name() + ": phi takes negative values (" + phiNegative
                + "), so E[phi(u)phi(v)] need not be non-negative");
        String dphiNegative = negativeAt(a::dphi, "phi'", c.pointRange(), far, a.kinks());
        Coverage coverage = new Coverage("non-negative NNGP where phi >= 0");
        Falsification.check(c, c.examples(), CovarianceGenerators.triples(c.smallestVariance(), c.largestVariance()), t -> {
            coverage.count(t);
            double[] got = ExpectationChecks.single(a, t.q11(), t.q12(), t.q22());
            assertTrue(got[0] >= 0, () -> a.name() + ": phi >= 0 everywhere sampled, so E[phi(u)phi(v)] >= 0, but it is "
                    + got[0] + " at " + t + " (a formula that cancels there? near rho = -1 use a series, e.g. "
                    + "ArcCosine's J_n, or clamp a result that is a rounding residue)");
            if (dphiNegative == null) {
                assertTrue(got[1] >= 0, () -> a.name() + ": phi' >= 0 everywhere sampled, so E[phi'(u)phi'(v)] >= 0, but it is "
                        + got[1] + " at " + t);
            }
        });
        coverage.assertCovariancesCovered(ExpectationChecks.minimum(c.examples()), true);
    }

    /** A description of a sampled point where f &lt; 0, or null when there is none. */
    static String negativeAt(DoubleUnaryOperator f, String name, double range, double far, double[] kinks) {
        for (int i = 0; i <= GRID; i++) {
            String found = negative(f, name, -range + 2 * range * i / GRID);
            if (found != null) {
                return found;
            }
        }
        for (double x = range; x < far; x *= 1.25) {
            String found = negative(f, name, x);
            found = found != null ? found : negative(f, name, -x);
            if (found != null) {
                return found;
            }
        }
        for (double k : kinks) {
            String found = negative(f, name, Math.nextDown(k));
            found = found != null ? found : negative(f, name, Math.nextUp(k));
            found = found != null ? found : negative(f, name, k);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String negative(DoubleUnaryOperator f, String name, double x) {
        double v = f.applyAsDouble(x);
        return v < 0 ? name + "(" + x + ") = " + v : null;
    }
}
