package org.aleph.kernel.spi.support;

import org.aleph.kernel.spi.KernelMath;

/**
 * The arc-cosine kernels of Cho &amp; Saul, "Kernel methods for deep learning" (NIPS 2009), the
 * Gaussian expectations of rectified monomials: for (u, v) ~ N(0, [[q11, q12], [q12, q22]]),
 * s = sqrt(q11 q22), rho = q12 / s (clamped, {@link org.aleph.kernel.spi.Gaussians#correlation})
 * and theta = arccos(rho),
 * <pre>
 *   E[max(0,u)^n max(0,v)^n] = s^n J_n(theta) / (2 pi),
 *   J_n(theta) = n! * integral_0^(pi - theta) (cos psi + cos theta)^n dpsi,
 *   J_0 = pi - theta,   J_1 = sin theta + (pi - theta) cos theta,
 *   J_2 = 3 sin theta cos theta + (pi - theta)(1 + 2 cos^2 theta),
 * </pre>
 * and by parts the three-term recurrence (Cho &amp; Saul, eq. 18)
 * <pre>
 *   J_n = (2n - 1) cos(theta) J_(n-1) + (n - 1)^2 sin^2(theta) J_(n-2),    n &gt;= 2.
 * </pre>
 * So Relu's NNGP is s J_1 / (2 pi) and its derivative kernel J_0 / (2 pi); max(0, x)^2 has
 * s^2 J_2 / (2 pi) and 4 s J_1 / (2 pi).
 *
 * <p>Promise: every J_n here is exact at rho = +-1 (J_n(pi) = 0 for n &gt;= 1, not a rounding
 * residue of either sign) and keeps a relative accuracy of about 1e-13 as rho -&gt; -1, where J_n vanishes like
 * t^(2n+1) with t = pi - theta. The formulas above lose all their digits there (sin theta and
 * (pi - theta) cos theta cancel: a naive J_2 gives -1.4e-16 for exactly opposite inputs); for
 * t &lt; {@value #SERIES_BELOW} J_1 and J_2 are summed as their Taylor series in t,
 * <pre>
 *   J_1 = sin t - t cos t = sum_(k &gt;= 1) (-1)^(k+1) 2k t^(2k+1) / (2k+1)!,
 *   J_2 = 2t + t cos 2t - (3/2) sin 2t = sum_(m &gt;= 2) (-1)^m (m - 1) (2t)^(2m+1) / (2m+1)!,
 * </pre>
 * whose terms all have the sign of the first beyond its size (no cancellation).
 * {@link #rectified} gives any n: for rho &gt;= 0 every term of the recurrence is non-negative
 * and the forward recurrence on Y_n = s^n J_n is stable; for rho &lt; 0 the wanted solution is
 * the recessive one (it behaves like (1 + rho)^n, the other like (rho - 1)^n), so the forward
 * recurrence loses about n log((1 + |rho|) / (1 - |rho|)) nats; it is used while that is below
 * {@value #FORWARD_LOSS}, and otherwise Miller's backward recurrence, normalised by J_0. Results
 * below the double range (J_n of order t^(2n+1) for large n near rho = -1) underflow to 0.
 */
public final class ArcCosine {

    /** The series of J_1 and J_2 are used for t = pi - theta below this (their direct formulas lose more than 2 digits there). */
    public static final double SERIES_BELOW = 0.5;

    /** The forward recurrence is used for rho &lt; 0 while it loses at most e^3 nats (about 20 ulps). */
    public static final double FORWARD_LOSS = 3.0;

    private static final double INV_2PI = 1.0 / (2 * Math.PI);

    /** Taylor coefficients of (sin t - t cos t) / t^3 in t^2: (-1)^(k+1) 2k / (2k+1)!, k = 1.. */
    private static final double[] SERIES_J1 = new double[10];
    /** Taylor coefficients of J_2(t) / t^5 in t^2: (-1)^m (m - 1) 2^(2m+1) / (2m+1)!, m = 2.. */
    private static final double[] SERIES_J2 = new double[12];

    static {
        double fact = 1; // (2k+1)!
        for (int k = 1; k <= SERIES_J1.length; k++) {
            fact *= (2 * k) * (2 * k + 1);
            SERIES_J1[k - 1] = ((k & 1) == 1 ? 1 : -1) * (2.0 * k) / fact;
        }
        double term = 8.0 / 6.0; // 2^3 / 3!, m = 1
        for (int m = 2; m < SERIES_J2.length + 2; m++) {
            term *= 4.0 / ((2 * m) * (2 * m + 1)); // 2^(2m+1) / (2m+1)!
            SERIES_J2[m - 2] = ((m & 1) == 0 ? 1 : -1) * (m - 1) * term;
        }
    }

    private ArcCosine() {
    }

    /** J_0 = pi - theta = arccos(-rho), for rho in [-1, 1]. */
    public static double j0(double rho) {
        return KernelMath.acos(-rho);
    }

    /** J_1 = sin theta + (pi - theta) rho for rho = cos theta in [-1, 1], exact at +-1 and accurate near -1. */
    public static double j1(double rho) {
        return j1(rho, sine(rho), KernelMath.acos(-rho));
    }

    /**
     * J_1 from parts a hot loop already has: rho = cos theta, c = sin theta = {@link #sine}(rho)
     * and t = pi - theta = arccos(-rho) (from any accurate arccos); for rho &lt; 0 and
     * t &lt; {@value #SERIES_BELOW} it is sin t - t cos t summed as t^3 (1/3 - t^2/30 + t^4/840 - ...).
     */
    public static double j1(double rho, double c, double t) {
        if (rho >= 0 || t >= SERIES_BELOW) {
            return c + t * rho;
        }
        double t2 = t * t;
        double p = SERIES_J1[SERIES_J1.length - 1];
        for (int k = SERIES_J1.length - 2; k >= 0; k--) {
            p = p * t2 + SERIES_J1[k];
        }
        return p * t2 * t;
    }

    /**
     * J_2 = 3 sin theta cos theta + (pi - theta)(1 + 2 cos^2 theta) for rho = cos theta in [-1, 1];
     * exactly 0 at rho = -1, and for t = pi - theta &lt; {@value #SERIES_BELOW} the series
     * (4/15) t^5 - (16/315) t^7 + ... instead of the cancelling formula.
     */
    public static double j2(double rho) {
        double t = KernelMath.acos(-rho);
        if (rho >= 0 || t >= SERIES_BELOW) {
            return 3 * sine(rho) * rho + t * (1 + 2 * rho * rho);
        }
        double t2 = t * t;
        double p = SERIES_J2[SERIES_J2.length - 1];
        for (int k = SERIES_J2.length - 2; k >= 0; k--) {
            p = p * t2 + SERIES_J2[k];
        }
        return p * t2 * t2 * t;
    }

    /** sin theta = sqrt((1 - rho)(1 + rho)) for rho = cos theta, without the cancellation of sqrt(1 - rho^2) near |rho| = 1. */
    public static double sine(double rho) {
        return Math.sqrt((1 - rho) * (1 + rho));
    }

    /**
     * The NNGP and derivative kernel of max(0, x)^n at one triple: {@code nngp[e] = s^n J_n / (2 pi)}
     * and, when dnngp is not null, {@code dnngp[e] = n^2 s^(n-1) J_(n-1) / (2 pi)} (0 for n = 0), for
     * the clamped correlation rho and s = sqrt(q11 q22). Writes into the arrays at index e so that a
     * loop over a block calls it without allocating.
     *
     * @param n     the degree, 0 or more
     * @param s     sqrt(q11 q22), 0 or more
     * @param rho   the correlation, in [-1, 1]
     * @param nngp  receives the NNGP at index e, never null
     * @param dnngp receives the derivative kernel at index e; may be null
     * @param e     the index written
     */
    public static void rectified(int n, double s, double rho, double[] nngp, double[] dnngp, int e) {
        double c2 = (1 - rho) * (1 + rho);
        double c = Math.sqrt(c2);
        double t = KernelMath.acos(-rho); // pi - theta (fdlibm acos inlined)
        if (n == 0) {
            nngp[e] = t * INV_2PI;
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
        nngp[e] = yCur * INV_2PI;
        if (dnngp != null) {
            dnngp[e] = (double) n * n * yPrev * INV_2PI;
        }
    }
}
