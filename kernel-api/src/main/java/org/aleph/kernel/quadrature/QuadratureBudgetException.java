package org.aleph.kernel.quadrature;

import java.util.Locale;
import org.aleph.kernel.UserErrorException;

/**
 * The quadrature fallback ran out of its {@link QuadratureBudget} before resolving an integral:
 * the integrand has structure (a fast oscillation, a singular derivative) that the rule cannot
 * resolve within the budget. Carries the covariance triple where it happened; the message is one
 * sentence. {@link QuadratureActivation} re-throws it as a sentence that names the activation.
 */
public final class QuadratureBudgetException extends UserErrorException {

    private final double q11;
    private final double q12;
    private final double q22;
    private final boolean wholeKernel;
    private final long evaluations;

    QuadratureBudgetException(double q11, double q12, double q22, boolean wholeKernel, long evaluations, String message) {
        super(message);
        this.q11 = q11;
        this.q12 = q12;
        this.q22 = q22;
        this.wholeKernel = wholeKernel;
        this.evaluations = evaluations;
    }

    /** The per-entry budget was exhausted at one triple. */
    static QuadratureBudgetException entry(double q11, double q12, double q22, long budget) {
        return new QuadratureBudgetException(q11, q12, q22, false, budget, String.format(Locale.ROOT,
                "the quadrature of E[f(u) f(v)] at (q11=%.6g, q12=%.6g, q22=%.6g) was not resolved within %d evaluations of f "
                        + "(system property %s)", q11, q12, q22, budget, QuadratureBudget.ENTRY_PROPERTY));
    }

    /** The per-kernel budget was exhausted; the triple is the last one computed. */
    static QuadratureBudgetException kernel(double q11, double q12, double q22, QuadratureBudget b) {
        return new QuadratureBudgetException(q11, q12, q22, true, b.evaluations(), String.format(Locale.ROOT,
                "the quadrature spent %d evaluations of f on %d entries (last at q11=%.6g, q12=%.6g, q22=%.6g), more than %d "
                        + "per entry on average (system property %s)", b.evaluations(), b.entries(), q11, q12, q22, b.average(),
                QuadratureBudget.AVERAGE_PROPERTY));
    }

    /** q11 of the triple where the budget ran out. */
    public double q11() {
        return q11;
    }

    /** q12 of the triple where the budget ran out. */
    public double q12() {
        return q12;
    }

    /** q22 of the triple where the budget ran out. */
    public double q22() {
        return q22;
    }

    /** True when the per-kernel average ran out, false for a single entry. */
    public boolean wholeKernel() {
        return wholeKernel;
    }

    /** The evaluations spent (the entry budget, or the kernel's total). */
    public long evaluations() {
        return evaluations;
    }
}
