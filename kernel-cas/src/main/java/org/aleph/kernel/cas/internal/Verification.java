package org.aleph.kernel.cas.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.cas.CompiledKernel;
import org.aleph.kernel.spi.SymbolicDerivation.Check;

/**
 * Checks a compiled pair of formulas against {@link SplitQuadrature} before it is trusted:
 * at {@value #TRIPLES} covariance triples with standard deviations in [0.3, 2.5] and
 * correlations spread over (-1, 1), including 0, +-0.999, +-(1 - 1e-9) and exactly +-1.
 * The error of a value is measured relative to the larger of its magnitude and the
 * Cauchy-Schwarz scale sqrt(E[f(u)^2] E[f(v)^2]), so that a value that cancels to nearly 0
 * is judged on the size of its terms.
 */
final class Verification {

    /** How many triples are checked. */
    static final int TRIPLES = 12;

    /** The largest relative difference accepted. */
    static final double TOLERANCE = 1e-8;

    private static final double[] RHOS = {0, 0.999, -0.999, 1 - 1e-9, -(1 - 1e-9), 1, -1};

    private final SplitQuadrature quadrature;

    Verification(SplitQuadrature quadrature) {
        this.quadrature = quadrature;
    }

    /** The checks, in order; the caller compares {@link #maxError} with {@link #TOLERANCE}. */
    List<Check> run(DoubleUnaryOperator phi, DoubleUnaryOperator dphi, CompiledKernel kernel, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Check> out = new ArrayList<>();
        double[] q11 = new double[1], q12 = new double[1], q22 = new double[1], k = new double[1], dk = new double[1];
        for (int t = 0; t < TRIPLES; t++) {
            double s1 = 0.3 + 2.2 * random.nextDouble();
            double s2 = t == 0 ? s1 : 0.3 + 2.2 * random.nextDouble();
            double rho = t < RHOS.length ? RHOS[t] : 2 * random.nextDouble() - 1;
            q11[0] = s1 * s1;
            q22[0] = s2 * s2;
            q12[0] = rho * s1 * s2;
            kernel.expectations(q11, q12, q22, 1, k, dk);
            double kq = quadrature.expectation(phi, phi, q11[0], q12[0], q22[0]);
            double dq = quadrature.expectation(dphi, dphi, q11[0], q12[0], q22[0]);
            double ks = scale(phi, q11[0], q22[0]);
            double ds = scale(dphi, q11[0], q22[0]);
            double err = Math.max(relative(k[0], kq, ks), relative(dk[0], dq, ds));
            out.add(new Check(q11[0], q12[0], q22[0], k[0], kq, dk[0], dq, err));
        }
        return out;
    }

    /** The largest error of the checks (NaN counts as infinitely large). */
    static double maxError(List<Check> checks) {
        double m = 0;
        for (Check c : checks) {
            m = Double.isNaN(c.relativeError()) ? Double.POSITIVE_INFINITY : Math.max(m, c.relativeError());
        }
        return m;
    }

    private double scale(DoubleUnaryOperator f, double q11, double q22) {
        double a = quadrature.expectation(f, f, q11, q11, q11);
        double b = quadrature.expectation(f, f, q22, q22, q22);
        return Math.sqrt(Math.abs(a * b));
    }

    private static double relative(double value, double reference, double scale) {
        double denom = Math.max(Math.abs(reference), scale);
        if (denom == 0) {
            return Math.abs(value);
        }
        return Math.abs(value - reference) / denom;
    }
}
