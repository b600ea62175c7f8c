package org.aleph.kernel.activations;

/**
 * The arc-cosine kernels of Cho &amp; Saul, "Kernel methods for deep learning" (NIPS 2009):
 * for (u, v) ~ N(0, [[q11, q12], [q12, q22]]), s = sqrt(q11 q22), rho = q12 / s,
 * theta = arccos(rho),
 * <pre>
 *   E[max(0,u)^n max(0,v)^n] = s^n J_n(theta) / (2 pi),
 *   J_n(theta) = n! * integral_0^(pi - theta) (cos psi + cos theta)^n dpsi,
 * </pre>
 * so J_0 = pi - theta and J_1 = sin theta + (pi - theta) cos theta. Integrating by parts gives
 * the three-term recurrence (checked against the integral)
 * <pre>
 *   J_n = (2n - 1) cos(theta) J_(n-1) + (n - 1)^2 sin^2(theta) J_(n-2),    n &gt;= 2.
 * </pre>
 * Numerics: for rho &gt;= 0 every term is non-negative and the forward recurrence on
 * Y_n = s^n J_n is stable. For rho &lt; 0 the wanted solution is the recessive one
 * (it behaves like (1 + rho)^n, the other like (rho - 1)^n), so the forward recurrence loses
 * about n log((1 + |rho|) / (1 - |rho|)) nats; it is used only while that is below 3, and
 * otherwise Miller's backward recurrence, whose terms are then all non-negative, normalised
 * by J_0 = pi - theta, is used. J_1 for rho &lt; 0 is sin t - t cos t with t = pi - theta,
 * summed as a Taylor series for t &lt; 1/2 (no cancellation near rho = -1). Results below the
 * double range (J_n of order t^(2n+1) for large n near rho = -1) underflow to 0.
 */
final class ArcCosine {

    /** Taylor coefficients of (sin t - t cos t) / t^3 in t^2: (-1)^(k+1) 2k / (2k+1)!, k = 1.. */
    private static final double[] SERIES = new double[10];

    static {
        double fact = 1; // (2k+1)!
        for (int k = 1; k <= SERIES.length; k++) {
            fact *= (2 * k) * (2 * k + 1);
            SERIES[k - 1] = ((k & 1) == 1 ? 1 : -1) * (2.0 * k) / fact;
        }
    }

    /** The forward recurrence is used for rho &lt; 0 while it loses at most e^3 (about 20 ulps). */
    static final double FORWARD_LOSS = 3.0;

    private ArcCosine() {
    }

    /**
     * J_1(theta) = sin theta + (pi - theta) rho for rho = cos theta, c = sin theta and
     * t = pi - theta = arccos(-rho), without cancellation: for rho &lt; 0 and t &lt; 1/2 it is
     * sin t - t cos t summed as t^3 (1/3 - t^2/30 + t^4/840 - ...).
     */
    static double j1(double rho, double c, double t) {
        if (rho >= 0 || t >= 0.5) {
            return c + t * rho;
        }
        double t2 = t * t;
        double p = SERIES[SERIES.length - 1];
        for (int k = SERIES.length - 2; k >= 0; k--) {
            p = p * t2 + SERIES[k];
        }
        return p * t2 * t;
    }

    /**
     * Y_n / (2 pi) and n^2 Y_(n-1) / (2 pi) with Y_k = s^k J_k(theta): the NNGP and the derivative
     * kernel of max(0, x)^n. Writes nngp[e] and, when dnngp is not null, dnngp[e].
     */
    static void rectified(int n, double s, double rho, double[] nngp, double[] dnngp, int e) {
        double c2 = (1 - rho) * (1 + rho);
        double c = Math.sqrt(c2);
        double t = org.aleph.kernel.spi.KernelMath.acos(-rho); // pi - theta (fdlibm acos inlined: 3x cheaper than atan2)
        if (n == 0) {
            nngp[e] = t * ClosedFormActivation.INV_2PI;
            if (dnngp != null) {
                dnngp[e] = 0.0;
            }
            return;
        }
        double a = -rho;
        if (rho < 0 && t == 0) { // rho = -1: u and v never both positive
            nngp[e] = 0.0;
            if (dnngp != null) {
                dnngp[e] = 0.0;
            }
            return;
        }
        // log((1 + |rho|) / (1 - |rho|)): the forward recurrence loses about n times this (in nats)
        double logRatio = rho >= 0 ? 0.0 : Math.log1p(2 * a / (1 - a));
        double yPrev;
        double yCur;
        if (n * logRatio <= FORWARD_LOSS) {
            yPrev = t;                    // Y_0
            yCur = s * j1(rho, c, t);     // Y_1
            double rs = rho * s;
            double cs = c2 * s * s;
            for (int k = 2; k <= n; k++) {
                double next = (2 * k - 1) * rs * yCur + (double) (k - 1) * (k - 1) * cs * yPrev;
                yPrev = yCur;
                yCur = next;
            }
        } else {
            // Miller: start far enough above n that the dominant solution has decayed by e^-40
            int top = n + (int) Math.ceil(40 / logRatio) + 2;
            double hi = 0.0;     // F_k
            double lo = 1.0;     // F_(k-1)
            double fn = 0.0;
            double fn1 = 0.0;
            for (int k = top; k >= 2; k--) {
                double below = (k * hi + (2 * k - 1) * a * lo) / ((k - 1) * c2); // F_(k-2)
                hi = lo;
                lo = below;
                if (k - 2 == n) {
                    fn = lo;
                } else if (k - 2 == n - 1) {
                    fn1 = lo;
                }
                if (lo > 1e250) {
                    hi *= 1e-250;
                    lo *= 1e-250;
                    fn *= 1e-250;
                    fn1 *= 1e-250;
                }
            }
            double scale = t / lo; // F_0 = t
            yCur = fn * scale;
            yPrev = fn1 * scale;
            for (int k = 1; k < n; k++) {
                yCur *= k * s;
                yPrev *= k * s;
            }
            yCur *= n * s;
        }
        nngp[e] = yCur * ClosedFormActivation.INV_2PI;
        if (dnngp != null) {
            dnngp[e] = (double) n * n * yPrev * ClosedFormActivation.INV_2PI;
        }
    }
}
