package org.aleph.kernel.quadrature;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How much work the quadrature fallback may do before it gives up with a
 * {@link QuadratureBudgetException} instead of a silently inaccurate number or a hang
 * (issue 15: {@code Expr("Sqrt(x)")} once bisected for minutes). Work is counted in evaluations
 * of the integrand f (phi or phi'), which is what the adaptive refinement
 * ({@link PanelRefiner}) multiplies when f has structure the rule cannot resolve.
 * <ul>
 *   <li><b>Per entry</b>: one expectation E[f(u) f(v)] at one (q11, q12, q22) may evaluate f
 *       at most {@value #DEFAULT_ENTRY} times (system property {@value #ENTRY_PROPERTY}).
 *       The built-in quadrature activations need about 1e3-2e4 per entry at moderate
 *       variances; the hardest cases the accuracy tests cover need more: sigmoid'(x) at
 *       q11 = q22 = 1000, rho = 0.81, 1.7e7, and sin(3 x + 0.3) at variance 100 and
 *       rho = -0.995, about 7e5 (2e5 on average over the test's 50 entries). Beyond it lie
 *       integrands the rule cannot resolve in reasonable time: sin(3 x) at variance 1000 needs
 *       4e9 evaluations and now ends after the budget's 5e7 (times: docs/performance.md).</li>
 *   <li><b>Per kernel</b>: over all the entries one activation object has computed (a
 *       network's activation is created when its spec is parsed, so this is per network),
 *       f may be evaluated on average at most {@value #DEFAULT_AVERAGE} times per entry, plus one
 *       entry's budget (system property {@value #AVERAGE_PROPERTY}). This fails fast when every
 *       entry is expensive but within its own budget (a fast oscillation), instead of running for
 *       hours over a large kernel; normal activations average far below it, since most entries
 *       are served from cached series coefficients. Example: sin(20 x) at variances 1-2 and
 *       correlations 0.99-1 costs about 1.5e6 evaluations per entry; a 20-row kernel stops
 *       after about 40 entries with the sentence instead of finishing all 210.</li>
 * </ul>
 * Both are read when the budget is created ({@link #fromSystemProperties()}); values must be
 * positive integers. Thread-safe.
 */
public final class QuadratureBudget {

    /** System property: evaluations of f allowed for one entry. */
    public static final String ENTRY_PROPERTY = "aleph.quadrature.entryEvaluations";
    /** System property: average evaluations of f allowed per entry over a kernel. */
    public static final String AVERAGE_PROPERTY = "aleph.quadrature.averageEvaluations";
    /** Default evaluations per entry. */
    public static final long DEFAULT_ENTRY = 50_000_000L;
    /** Default average evaluations per entry over a kernel. */
    public static final long DEFAULT_AVERAGE = 300_000L;

    private final long perEntry;
    private final long average;
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();

    /**
     * @param perEntry evaluations of f allowed for one entry, positive
     * @param average  average evaluations of f allowed per entry over all entries, positive
     */
    public QuadratureBudget(long perEntry, long average) {
        if (perEntry <= 0 || average <= 0) {
            throw new IllegalArgumentException("quadrature budgets must be positive: " + perEntry + ", " + average);
        }
        this.perEntry = perEntry;
        this.average = average;
    }

    /**
     * The budget set by the system properties {@value #ENTRY_PROPERTY} and {@value #AVERAGE_PROPERTY}
     * (defaults {@value #DEFAULT_ENTRY} and {@value #DEFAULT_AVERAGE}).
     *
     * @throws org.aleph.kernel.UserErrorException when a property is not a positive integer
     */
    public static QuadratureBudget fromSystemProperties() {
        return new QuadratureBudget(property(ENTRY_PROPERTY, DEFAULT_ENTRY), property(AVERAGE_PROPERTY, DEFAULT_AVERAGE));
    }

    private static long property(String name, long fallback) {
        String text = System.getProperty(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new org.aleph.kernel.UserErrorException("system property " + name + " must be a positive integer (evaluations of phi), got '"
                + text + "'");
    }

    /** Evaluations of f allowed for one entry. */
    public long perEntry() {
        return perEntry;
    }

    /** Average evaluations of f allowed per entry over a kernel. */
    public long average() {
        return average;
    }

    /** Counts n entries served without the direct rule (series) towards the kernel's allowance. */
    void admit(long n) {
        entries.addAndGet(n);
    }

    /**
     * Charges the evaluations of finished entries (the last of which took them all, the others
     * were served by a series); false when the kernel has now spent more than its allowance,
     * average x entries + one entry's budget.
     */
    boolean charge(long spent, long finished) {
        long done = entries.addAndGet(finished);
        long total = evaluations.addAndGet(spent);
        return total <= average * done + perEntry;
    }

    /** Evaluations charged so far. */
    public long evaluations() {
        return evaluations.get();
    }

    /** Entries admitted so far. */
    public long entries() {
        return entries.get();
    }
}
