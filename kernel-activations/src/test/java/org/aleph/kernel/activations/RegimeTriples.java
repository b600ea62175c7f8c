package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.EnumMap;
import java.util.Map;
import org.quicktheories.core.Gen;

/**
 * QuickTheories generator of covariance triples (q11, q12, q22) that reaches the hard regimes
 * of the closed forms on purpose, each triple labelled with its regime so that a test can
 * assert that every regime was exercised.
 */
final class RegimeTriples {

    /** The regimes a triple is drawn from. */
    enum Regime {
        /** Variances log-uniform in [0.05, 20], rho uniform in [-1, 1]. */
        GENERIC,
        /** rho = +1 exactly (q11 = 4^k q, q22 = q, q12 = 2^k q, so sqrt(q11 q22) = q12 exactly). */
        RHO_PLUS_ONE,
        /** rho = -1 exactly. */
        RHO_MINUS_ONE,
        /** rho = 1 - 10^-j, j in 3..12. */
        NEAR_PLUS_ONE,
        /** rho = -(1 - 10^-j), j in 3..12. */
        NEAR_MINUS_ONE,
        /** q11 = 0 or q22 = 0 or both (the variable is the constant 0). */
        ZERO_VARIANCE,
        /** one or both variances about 1e-8. */
        TINY_VARIANCE,
        /** both variances about the case's large value (1e4 where the kernel is finite). */
        LARGE_VARIANCE
    }

    /** A labelled triple. */
    record Triple(Regime regime, double q11, double q12, double q22) {
        @Override
        public String toString() {
            return regime + "(q11=" + q11 + ", q12=" + q12 + ", q22=" + q22 + ")";
        }
    }

    private RegimeTriples() {
    }

    /** Triples with the large regime at variances in [large/2, large]. */
    static Gen<Triple> triples(double large) {
        Gen<Integer> regime = integers().between(0, Regime.values().length - 1);
        Gen<Double> u = doubles().between(0, 1);
        return regime.zip(u, u, u, (r, a, b, c) -> make(Regime.values()[r], a, b, c, large));
    }

    static Triple make(Regime regime, double a, double b, double c, double large) {
        double q1 = Math.exp(Math.log(0.05) + a * Math.log(400));
        double q2 = Math.exp(Math.log(0.05) + b * Math.log(400));
        double rho = 2 * c - 1;
        switch (regime) {
            case GENERIC:
                return new Triple(regime, q1, rho * Math.sqrt(q1 * q2), q2);
            case RHO_PLUS_ONE:
            case RHO_MINUS_ONE: {
                int k = c < 0.5 ? 0 : 1;
                double scale = k == 0 ? 1 : 2;
                double sign = regime == Regime.RHO_PLUS_ONE ? 1 : -1;
                return b < 0.5 ? new Triple(regime, scale * scale * q1, sign * scale * q1, q1)
                        : new Triple(regime, q1, sign * scale * q1, scale * scale * q1);
            }
            case NEAR_PLUS_ONE:
            case NEAR_MINUS_ONE: {
                int j = 3 + (int) Math.min(9, Math.floor(c * 10));
                double r = (regime == Regime.NEAR_PLUS_ONE ? 1 : -1) * (1 - Math.pow(10, -j));
                return new Triple(regime, q1, r * Math.sqrt(q1 * q2), q2);
            }
            case ZERO_VARIANCE:
                if (c < 1.0 / 3) {
                    return new Triple(regime, 0, 0, q2);
                } else if (c < 2.0 / 3) {
                    return new Triple(regime, q1, 0, 0);
                }
                return new Triple(regime, 0, 0, 0);
            case TINY_VARIANCE: {
                double t1 = 1e-8 * (1 + 9 * a);
                double t2 = b < 0.5 ? 1e-8 * (1 + 9 * b) : q2;
                return new Triple(regime, t1, rho * Math.sqrt(t1 * t2), t2);
            }
            case LARGE_VARIANCE: {
                double l1 = large * (0.5 + 0.5 * a);
                double l2 = large * (0.5 + 0.5 * b);
                double r = c < 0.1 ? 1 : (c > 0.9 ? -1 : rho);
                return new Triple(regime, l1, r * Math.sqrt(l1 * l2), l2);
            }
            default:
                throw new AssertionError(regime);
        }
    }

    /** Counts triples per regime; {@link #assertAll} fails unless each regime was seen often enough. */
    static final class Coverage {
        private final Map<Regime, Integer> counts = new EnumMap<>(Regime.class);

        synchronized void record(Triple t) {
            counts.merge(t.regime(), 1, Integer::sum);
        }

        synchronized void assertAll(String what, int minimum) {
            for (Regime r : Regime.values()) {
                int n = counts.getOrDefault(r, 0);
                assertTrue(n >= minimum, what + ": regime " + r + " was exercised " + n + " times, fewer than " + minimum);
            }
        }

        synchronized int count(Regime r) {
            return counts.getOrDefault(r, 0);
        }
    }
}
