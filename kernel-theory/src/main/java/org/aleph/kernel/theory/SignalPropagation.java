package org.aleph.kernel.theory;

/**
 * Mean-field signal propagation through a deep fully connected network with weight variance
 * sigma_w^2 and bias variance sigma_b^2 (every layer Dense(sigma_w, sigma_b) followed by the
 * activation), after Poole et al. 2016 (arXiv:1606.05340) and Schoenholz et al. 2017
 * (arXiv:1611.01232). Computed by {@link MeanField}.
 *
 * <ul>
 *   <li>{@code qStar}: the fixed point q* = V(q*) of the length map
 *       V(q) = sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2 reached from unit inputs; 0 when the
 *       length dies out, +infinity when it grows without bound.</li>
 *   <li>{@code chi1} = sigma_w^2 E[phi'(sqrt(q*) z)^2]: the slope of the correlation map at
 *       c = 1 and the per-layer growth factor of squared gradients (Poole et al., eq. 7).</li>
 *   <li>{@code cStar}: the stable fixed point of the correlation map; 1 in the ordered phase
 *       (chi1 &lt; 1), below 1 in the chaotic phase (chi1 &gt; 1).</li>
 *   <li>{@code lengthSlope} = V'(q*) and {@code correlationSlope} = sigma_w^2 E[phi'(u)phi'(v)] at c*.</li>
 *   <li>{@code xiQ} = -1 / log |V'(q*)|, {@code xiC} = -1 / log f'(c*) (Schoenholz et al., eqs. 6
 *       and 9): the depths over which the length and the correlation of two inputs approach
 *       their fixed points; +infinity on the critical line.</li>
 *   <li>{@code xiGrad} = -1 / log chi1 (Schoenholz et al., eq. 15): squared gradients scale
 *       like exp(-l / xiGrad) over l layers; positive (vanishing) in the ordered phase,
 *       negative (exploding) in the chaotic phase, infinite at chi1 = 1.</li>
 *   <li>{@code lengthResidual} = |V(q*) - q*| and {@code correlationResidual} =
 *       |f(c*) - c*|, for checking.</li>
 * </ul>
 * Where q* is 0 or infinite, chi1, c* and the slopes are the limits along the layers,
 * evaluated at q = 1e-100 or at q = 1e12 (or the last finite iterate if smaller) (exact for positively homogeneous
 * activations such as Relu, whose maps do not depend on q).
 *
 * @param sw2 sigma_w^2
 * @param sb2 sigma_b^2
 */
public record SignalPropagation(double sw2, double sb2, double qStar, double chi1, double cStar,
                                double lengthSlope, double correlationSlope,
                                double xiQ, double xiC, double xiGrad,
                                double lengthResidual, double correlationResidual) {

    /** The phase: ordered (chi1 &lt; 1), critical (chi1 = 1 within {@code tolerance}), chaotic, or undefined (chi1 NaN). */
    public enum Phase {
        /** chi1 &lt; 1: nearby inputs converge, gradients vanish. */
        ORDERED,
        /** chi1 = 1: the edge of chaos. */
        CRITICAL,
        /** chi1 &gt; 1: nearby inputs decorrelate, gradients explode. */
        CHAOTIC,
        /** chi1 is not a number (the length map has no limit, or the activation's moments overflow). */
        UNDEFINED
    }

    /** A per-layer factor within this of 1 is marginal: its depth scale is infinite. */
    static final double MARGINAL = 1e-13;

    /** The phase, with chi1 within {@code tolerance} of 1 counted as critical. */
    public Phase phase(double tolerance) {
        if (Double.isNaN(chi1)) {
            return Phase.UNDEFINED;
        }
        if (Math.abs(chi1 - 1) <= tolerance) {
            return Phase.CRITICAL;
        }
        return chi1 < 1 ? Phase.ORDERED : Phase.CHAOTIC;
    }

    /** True when the length grows without bound (no finite q*). */
    public boolean lengthDiverges() {
        return qStar == Double.POSITIVE_INFINITY;
    }

    /** -1 / log |s|: the depth scale of a per-layer factor s (infinite within {@value #MARGINAL} of |s| = 1, 0 at s = 0). */
    static double depthScale(double s) {
        double a = Math.abs(s);
        if (Double.isNaN(a)) {
            return Double.NaN;
        }
        if (Math.abs(a - 1) <= MARGINAL) {
            return Double.POSITIVE_INFINITY;
        }
        return -1.0 / Math.log(a);
    }
}
