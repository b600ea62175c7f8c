package org.aleph.kernel.testkit;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Plain Monte Carlo estimates of {@code E[f(u) f(v)]} for {@code (u, v) ~ N(0, [[q11, q12],
 * [q12, q22]])} with their standard errors, from a fixed seed so that a test is repeatable.
 * Samples are {@code u = s1 z1}, {@code v = s2 (rho z1 + sqrt(1 - rho^2) z2)} with z1, z2
 * independent standard normals ({@link SplittableRandom#nextGaussian()}); both functions
 * passed to {@link #estimate} see the same samples.
 */
public final class MonteCarloExpectation {

    /**
     * A sample mean, its standard error (sample standard deviation / sqrt(n)) and the
     * resolution of the sample: {@code 3 max|f(u)| max|f(v)| / n}. By the "rule of three" an
     * event of probability below 3/n is likely absent from n samples, so a deviation of that
     * size can hide behind a standard error of 0 (e.g. E[sign(u) sign(v)] at rho = -1 + 1e-12).
     *
     * @param mean          the sample mean
     * @param standardError its estimated standard error
     * @param resolution    the size of the contribution of events too rare to be sampled
     */
    public record Estimate(double mean, double standardError, double resolution) {

        /** {@code sigmas} standard errors plus the resolution. */
        public double allowance(double sigmas) {
            return sigmas * standardError + resolution;
        }
    }

    private MonteCarloExpectation() {
    }

    /**
     * Estimates E[f(u)f(v)] and E[g(u)g(v)] from the same {@code samples} draws.
     *
     * @return two estimates, for f and for g
     */
    public static Estimate[] estimate(DoubleUnaryOperator f, DoubleUnaryOperator g,
                                      double q11, double q12, double q22, int samples, long seed) {
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        double rho = org.aleph.kernel.spi.Gaussians.correlation(q11, q12, q22);
        double c = Math.sqrt(Math.max(0, (1 - rho) * (1 + rho)));
        SplittableRandom random = new SplittableRandom(seed);
        // Welford's running mean and variance
        double mf = 0;
        double vf = 0;
        double mg = 0;
        double vg = 0;
        double[] max = new double[4];
        for (int i = 1; i <= samples; i++) {
            double z1 = random.nextGaussian();
            double z2 = random.nextGaussian();
            double u = s1 * z1;
            double v = s2 * (rho * z1 + c * z2);
            double fu = f.applyAsDouble(u);
            double fv = f.applyAsDouble(v);
            double gu = g.applyAsDouble(u);
            double gv = g.applyAsDouble(v);
            max[0] = Math.max(max[0], Math.abs(fu));
            max[1] = Math.max(max[1], Math.abs(fv));
            max[2] = Math.max(max[2], Math.abs(gu));
            max[3] = Math.max(max[3], Math.abs(gv));
            double xf = fu * fv;
            double xg = gu * gv;
            double df = xf - mf;
            mf += df / i;
            vf += df * (xf - mf);
            double dg = xg - mg;
            mg += dg / i;
            vg += dg * (xg - mg);
        }
        double n = samples;
        return new Estimate[] {
            new Estimate(mf, Math.sqrt(vf / (n - 1) / n), 3 * max[0] * max[1] / n),
            new Estimate(mg, Math.sqrt(vg / (n - 1) / n), 3 * max[2] * max[3] / n)
        };
    }
}
