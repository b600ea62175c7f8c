package org.aleph.kernel.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the regimes a property test actually reached and fails when one was reached too
 * rarely: coverage is asserted, not printed (the idea of jqwik's {@code Statistics.coverage}).
 * Not thread-safe; one instance per test run.
 */
public final class Coverage {

    private final String property;
    private final Map<String, Integer> counts = new TreeMap<>();
    private int cases;

    /** @param property the property's name, used in failure messages */
    public Coverage(String property) {
        this.property = property;
    }

    /** Records one generated case. */
    public void countCase() {
        cases++;
    }

    /** Records that the current case falls in a regime. */
    public void count(String regime) {
        counts.merge(regime, 1, Integer::sum);
    }

    /** Records the variance regimes of a covariance triple and, when both variances are positive, its correlation regime (and counts the case). */
    public void count(CovarianceCase c) {
        countCase();
        if (!c.hasZeroVariance()) {
            count("rho " + c.correlation());
        }
        count("variance " + c.scale1());
        count("variance " + c.scale2());
    }

    /** How many times a regime was reached. */
    public int reached(String regime) {
        return counts.getOrDefault(regime, 0);
    }

    /** The number of cases counted. */
    public int cases() {
        return cases;
    }

    /**
     * Fails unless every listed regime was reached at least {@code minimum} times.
     *
     * @param minimum  the smallest acceptable count
     * @param regimes  the labels that must be covered
     */
    public void assertCovered(int minimum, String... regimes) {
        StringBuilder missing = new StringBuilder();
        for (String r : regimes) {
            int n = counts.getOrDefault(r, 0);
            if (n < minimum) {
                missing.append(missing.length() == 0 ? "" : ", ").append(r).append(" reached ").append(n).append(" times");
            }
        }
        if (missing.length() > 0) {
            fail(property + ": the generator did not cover every regime (at least " + minimum + " of " + cases
                    + " cases each): " + missing + "; counts " + counts);
        }
    }

    /** Fails unless every correlation and variance regime of {@link CovarianceCase} was reached {@code minimum} times. */
    public void assertCovariancesCovered(int minimum, boolean zeroVariance) {
        java.util.List<String> labels = new java.util.ArrayList<>();
        for (CovarianceCase.Correlation c : CovarianceCase.Correlation.values()) {
            labels.add("rho " + c);
        }
        for (CovarianceCase.Scale s : CovarianceCase.Scale.values()) {
            if (zeroVariance || s != CovarianceCase.Scale.ZERO) {
                labels.add("variance " + s);
            }
        }
        assertCovered(minimum, labels.toArray(String[]::new));
    }

    @Override
    public String toString() {
        return property + ": " + cases + " cases " + counts;
    }
}
