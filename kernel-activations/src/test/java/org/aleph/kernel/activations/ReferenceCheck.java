package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Activation;

/**
 * Compares one production activation with the independent {@link Reference} quadrature of
 * test-scope phi and phi' and keeps the error statistics. The tolerance is
 * {@value #REL_TOL} relative, or {@value #REL_TOL} x 1e-3 of the Cauchy-Schwarz scale
 * sqrt(E[f(u)^2] E[f(v)^2]) where the value itself is smaller than 1e-3 of that scale (a value
 * near a genuine zero of the kernel has no relative accuracy to speak of).
 */
final class ReferenceCheck {

    static final double REL_TOL = 1e-9;
    static final double FLOOR = 1e-3;
    /** A reference taking longer than this (seconds) is reported, to keep the suite lean. */
    static final double SLOW = 1.0;

    /** The half width (in standard-normal units) of the integration domain for given s1, s2. */
    interface Width {
        double of(double s1, double s2);
    }

    final String label;
    final Activation activation;
    final DoubleUnaryOperator f;
    final DoubleUnaryOperator df;
    final double[] points;
    final double[] kinks;
    final Width width;
    double maxRelative;
    double maxScaled;
    int compared;

    ReferenceCheck(String label, Activation activation, DoubleUnaryOperator f, DoubleUnaryOperator df,
                   double[] points, double[] kinks, Width width) {
        this.label = label;
        this.activation = activation;
        this.f = f;
        this.df = df;
        this.points = points;
        this.kinks = kinks;
        this.width = width;
    }

    void check(double q11, double q12, double q22, String where) {
        long start = System.nanoTime();
        if (Boolean.getBoolean("aleph.trace")) {
            System.out.println("checking " + label + " at " + where);
        }
        try {
            checkBoth(q11, q12, q22, where);
        } finally {
            double seconds = (System.nanoTime() - start) * 1e-9;
            if (seconds > SLOW) {
                System.out.printf("slow reference (%.1f s): %s at %s%n", seconds, label, where);
            }
        }
    }

    private void checkBoth(double q11, double q12, double q22, String where) {
        double[] got = Builtins.at(activation, q11, q12, q22);
        Reference ref = new Reference(points, kinks, width.of(Math.sqrt(q11), Math.sqrt(q22)));
        compare("E[phi phi]", got[0], f, ref, q11, q12, q22, where);
        compare("E[phi' phi']", got[1], df, ref, q11, q12, q22, where);
    }

    private void compare(String what, double got, DoubleUnaryOperator g, Reference ref,
                         double q11, double q12, double q22, String where) {
        double e1 = ref.single(x -> g.applyAsDouble(x) * g.applyAsDouble(x), Math.sqrt(q11), 0, 0);
        double e2 = ref.single(x -> g.applyAsDouble(x) * g.applyAsDouble(x), Math.sqrt(q22), 0, 0);
        double scale = Math.sqrt(e1 * e2);
        double expected = ref.pair(g, g, q11, q12, q22, 0, 0, 3e-14 * scale);
        double err = Math.abs(got - expected);
        double bound = REL_TOL * Math.max(Math.abs(expected), FLOOR * scale);
        assertTrue(err <= bound, () -> label + " " + what + " at " + where + ": closed form " + got
                + ", reference " + expected + ", error " + err + " > " + bound + " (scale " + scale + ")");
        synchronized (this) {
            compared++;
            if (Math.abs(expected) > FLOOR * scale) {
                maxRelative = Math.max(maxRelative, err / Math.abs(expected));
            }
            if (scale > 0) {
                maxScaled = Math.max(maxScaled, err / scale);
            }
        }
    }

    String summary() {
        return String.format("%-40s %4d comparisons: max relative error %.2e, max error / CS scale %.2e",
                label, compared, maxRelative, maxScaled);
    }
}
