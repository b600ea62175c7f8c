package org.aleph.kernel.testkit;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.aleph.kernel.testkit.CovarianceCase.Correlation;
import org.aleph.kernel.testkit.CovarianceCase.Scale;
import org.quicktheories.core.Gen;

/**
 * QuickTheories generators of covariance triples that reach the regimes where kernel
 * formulas break: correlation exactly +-1 and within 1e-9 of +-1, zero, tiny and large
 * variances. Each correlation regime is drawn with probability 1/6; each variance independently
 * is zero with probability 1/10, tiny 2/10, moderate 5/10 and large 2/10.
 */
public final class CovarianceGenerators {

    /** Upper end of the tiny variance regime. */
    public static final double TINY_CEILING = 1e-6;

    private CovarianceGenerators() {
    }

    /**
     * Triples with variances in {@code {0} u [smallest, largest]}.
     *
     * @param smallest the smallest positive variance, {@code 0 < smallest <= largest}
     * @param largest  the largest variance
     */
    public static Gen<CovarianceCase> triples(double smallest, double largest) {
        if (!(smallest > 0 && smallest <= largest && Double.isFinite(largest))) {
            throw new IllegalArgumentException("need 0 < smallest <= largest < infinity, got " + smallest + ", " + largest);
        }
        Gen<Integer> correlation = integers().between(0, Correlation.values().length - 1);
        Gen<Integer> scales = integers().between(0, 99);
        return correlation.zip(scales, unit(), unit(), unit(),
                (c, s, a, b, t) -> build(Correlation.values()[c], scale(s / 10), scale(s % 10), a, b, t, smallest, largest));
    }

    /** Triples as {@link #triples} but never with a zero variance (for Monte Carlo, which cannot take limits). */
    public static Gen<CovarianceCase> positiveTriples(double smallest, double largest) {
        return triples(smallest, largest).map(c -> c.hasZeroVariance()
                ? build(c.correlation(), positive(c.scale1()), positive(c.scale2()), 0.5, 0.5, 0.5, smallest, largest)
                : c);
    }

    /**
     * {@code n} triples drawn with the same regime probabilities as {@link #triples} from a
     * plain {@link java.util.SplittableRandom}, for checks that need one large varied block
     * rather than a property's many small ones (QuickTheories starts with its simplest and
     * largest values, which make every triple of a list alike).
     */
    public static java.util.List<CovarianceCase> sample(int n, long seed, double smallest, double largest) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        java.util.List<CovarianceCase> list = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Correlation corr = Correlation.values()[r.nextInt(Correlation.values().length)];
            int s = r.nextInt(100);
            list.add(build(corr, scale(s / 10), scale(s % 10), r.nextDouble(), r.nextDouble(), r.nextDouble(), smallest, largest));
        }
        return list;
    }

    /** Uniform doubles in [0, 1) with 53 random bits (shrinking towards 0). */
    static Gen<Double> unit() {
        return longs().between(0, (1L << 53) - 1).map(l -> l * 0x1.0p-53);
    }

    /** A variance of the given regime from a uniform number t in [0, 1). */
    static double variance(Scale scale, double t, double smallest, double largest) {
        return switch (scale) {
            case ZERO -> 0;
            case TINY -> logUniform(smallest, Math.max(smallest, Math.min(TINY_CEILING, largest)), t);
            case MODERATE -> logUniform(Math.min(0.1, largest / 10), Math.min(10, largest), t);
            case LARGE -> logUniform(largest / 10, largest, t);
        };
    }

    private static CovarianceCase build(Correlation corr, Scale s1, Scale s2, double a, double b, double t,
                                        double smallest, double largest) {
        double q11 = variance(s1, a, smallest, largest);
        double q22 = variance(s2, b, smallest, largest);
        if (q11 == 0 || q22 == 0) {
            return new CovarianceCase(q11, 0.0, q22, corr, s1, s2);
        }
        boolean same = t < 0.5 && s1 == s2;
        double root = Math.sqrt(q11 * q22);
        double q12 = switch (corr) {
            case EXACT_PLUS_ONE -> same ? q11 : root;
            case EXACT_MINUS_ONE -> same ? -q11 : -root;
            case NEAR_PLUS_ONE -> (1 - Math.pow(10, -9 - 6 * t)) * root;
            case NEAR_MINUS_ONE -> -(1 - Math.pow(10, -9 - 6 * t)) * root;
            case ZERO -> 0.0;
            case GENERIC -> (2 * t - 1) * root;
        };
        if (same && (corr == Correlation.EXACT_PLUS_ONE || corr == Correlation.EXACT_MINUS_ONE)) {
            q22 = q11;
        }
        return new CovarianceCase(q11, q12, q22, corr, s1, s2);
    }

    private static Scale scale(int tenth) {
        if (tenth == 0) {
            return Scale.ZERO;
        }
        if (tenth <= 2) {
            return Scale.TINY;
        }
        return tenth <= 7 ? Scale.MODERATE : Scale.LARGE;
    }

    private static Scale positive(Scale s) {
        return s == Scale.ZERO ? Scale.TINY : s;
    }

    private static double logUniform(double lo, double hi, double t) {
        return lo * Math.pow(hi / lo, t);
    }
}
