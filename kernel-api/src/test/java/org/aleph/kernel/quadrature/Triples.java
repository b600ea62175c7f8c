package org.aleph.kernel.quadrature;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.EnumMap;
import java.util.Map;
import org.quicktheories.core.Gen;

/**
 * Random covariance triples (q11, q12, q22) for the property tests, weighted towards the hard
 * regimes, and a tally that proves the generator reached each of them.
 */
final class Triples {

    /** The regimes a run must visit. */
    enum Regime {
        ZERO_VARIANCE, TINY_VARIANCE, HUGE_VARIANCE, RHO_PLUS_ONE, RHO_MINUS_ONE, RHO_NEAR_ONE, RHO_ZERO, RHO_INTERIOR
    }

    /** A drawn triple and the correlation it was built from. */
    record Triple(double q11, double q12, double q22, double rho) {
        @Override
        public String toString() {
            return "q11=" + q11 + " q12=" + q12 + " q22=" + q22 + " (rho " + rho + ")";
        }
    }

    private Triples() {
    }

    /** A variance: 0, ~1e-10, log-uniform 1e-4..1e2, uniform 0.2..3 or, if allowed, 1e4..1e6; capped at max. */
    static Gen<Double> variance(double max) {
        return integers().between(0, 9).zip(doubles().between(0, 1), (k, u) -> {
            double q;
            if (k == 0) {
                q = 0.0;
            } else if (k == 1) {
                q = 1e-10 * (1 + u);
            } else if (k <= 4) {
                q = Math.pow(10, -4 + 6 * u);
            } else if (k <= 7) {
                q = 0.2 + 2.8 * u;
            } else {
                q = Math.pow(10, 4 + 2 * u);
            }
            return Math.min(q, max);
        });
    }

    /** A correlation: exactly +-1, +-(1 - 1e-12), exactly 0, 1 - 10^-U(1,12) of either sign, or uniform. */
    static Gen<Double> correlation() {
        return integers().between(0, 9).zip(doubles().between(0, 1), (k, u) -> switch (k) {
            case 0 -> 1.0;
            case 1 -> -1.0;
            case 2 -> 1 - 1e-12;
            case 3 -> -(1 - 1e-12);
            case 4 -> 0.0;
            case 5 -> 1 - Math.pow(10, -1 - 11 * u);
            case 6 -> -(1 - Math.pow(10, -1 - 11 * u));
            default -> 2 * u - 1;
        });
    }

    /** Triples with both variances at most max. */
    static Gen<Triple> triples(double max) {
        return variance(max).zip(variance(max), correlation(),
                (a, b, r) -> new Triple(a, r * Math.sqrt(a * b), b, r));
    }

    /** Counts how often each regime was drawn. */
    static final class Tally {
        private final Map<Regime, Integer> counts = new EnumMap<>(Regime.class);

        synchronized void record(Triple t) {
            if (t.q11() == 0 || t.q22() == 0) {
                bump(Regime.ZERO_VARIANCE);
            }
            if ((t.q11() > 0 && t.q11() < 1e-9) || (t.q22() > 0 && t.q22() < 1e-9)) {
                bump(Regime.TINY_VARIANCE);
            }
            if (t.q11() >= 1e4 || t.q22() >= 1e4) {
                bump(Regime.HUGE_VARIANCE);
            }
            double r = t.rho();
            if (r == 1) {
                bump(Regime.RHO_PLUS_ONE);
            } else if (r == -1) {
                bump(Regime.RHO_MINUS_ONE);
            } else if (Math.abs(r) == 1 - 1e-12) {
                bump(Regime.RHO_NEAR_ONE);
            } else if (r == 0) {
                bump(Regime.RHO_ZERO);
            } else if (Math.abs(r) < 0.9) {
                bump(Regime.RHO_INTERIOR);
            }
        }

        private void bump(Regime r) {
            counts.merge(r, 1, Integer::sum);
        }

        /** Asserts every regime (except huge variances when not allowed) was drawn at least min times. */
        void assertCovered(int min, boolean hugeAllowed) {
            for (Regime r : Regime.values()) {
                if (r == Regime.HUGE_VARIANCE && !hugeAllowed) {
                    continue;
                }
                int c = counts.getOrDefault(r, 0);
                assertTrue(c >= min, "generator drew regime " + r + " only " + c + " times: " + counts);
            }
        }
    }
}
