package org.aleph.kernel.quadrature;

import org.aleph.kernel.spi.Gaussians;

/**
 * Closed-form Gaussian expectations E[f(u) f(v)], (u, v) ~ N(0, [[q11, q12], [q12, q22]]),
 * from the literature, written independently of the quadrature. theta = arccos(rho) with rho
 * the clamped correlation of {@link Gaussians#correlation} (the same rounding the quadrature
 * sees: near rho = -1 these functions are ill-conditioned in rho).
 */
final class ClosedForms {

    private ClosedForms() {
    }

    private static double theta(double q11, double q12, double q22) {
        return Math.acos(Gaussians.correlation(q11, q12, q22));
    }

    /**
     * Arc-cosine kernel of degree n (Cho &amp; Saul 2009, eq. 6 and the J_n of section 2.1):
     * E[max(0,u)^n max(0,v)^n] = (s1 s2)^n J_n(theta) / (2 pi), J_0 = pi - theta,
     * J_1 = sin t + (pi - t) cos t, J_2 = 3 sin t cos t + (pi - t)(1 + 2 cos^2 t).
     * For n = 0 this is P(u &gt; 0, v &gt; 0) (step with step(0) = 0; 0 if a variance is 0).
     */
    static double arcCosine(int n, double q11, double q12, double q22) {
        if (q11 == 0 || q22 == 0) {
            return 0.0;
        }
        double t = theta(q11, q12, q22);
        double s = Math.sqrt(q11 * q22);
        double j = switch (n) {
            case 0 -> Math.PI - t;
            case 1 -> Math.sin(t) + (Math.PI - t) * Math.cos(t);
            case 2 -> 3 * Math.sin(t) * Math.cos(t) + (Math.PI - t) * (1 + 2 * Math.cos(t) * Math.cos(t));
            default -> throw new IllegalArgumentException("degree " + n);
        };
        return Math.pow(s, n) * j / (2 * Math.PI);
    }

    /**
     * ABRelu a min(x,0) + b max(x,0) = a x + (b - a) relu(x): E = a b q12 + (b - a)^2 E[relu relu],
     * since E[u relu(v)] = q12 / 2 (LeakyRelu(alpha): a = alpha, b = 1; Abs: a = -1, b = 1).
     */
    static double abRelu(double a, double b, double q11, double q12, double q22) {
        return a * b * q12 + (b - a) * (b - a) * arcCosine(1, q11, q12, q22);
    }

    /** Sign: E[sign u sign v] = (2/pi) arcsin(rho) (Grothendieck's identity); 0 if a variance is 0. */
    static double sign(double q11, double q12, double q22) {
        if (q11 == 0 || q22 == 0) {
            return 0.0;
        }
        return 2 / Math.PI * Math.asin(Gaussians.correlation(q11, q12, q22));
    }

    /** erf(b x): (2/pi) arcsin(2 b^2 q12 / sqrt((1 + 2 b^2 q11)(1 + 2 b^2 q22))) (Williams 1997). */
    static double erf(double b, double q11, double q12, double q22) {
        double b2 = 2 * b * b;
        return 2 / Math.PI * Math.asin(b2 * q12 / Math.sqrt((1 + b2 * q11) * (1 + b2 * q22)));
    }

    /** exp(b x): E = exp(b^2 (q11 + 2 q12 + q22) / 2), the moment generating function of u + v. */
    static double exp(double b, double q11, double q12, double q22) {
        return Math.exp(0.5 * b * b * (q11 + 2 * q12 + q22));
    }

    /** cos: E[cos u cos v] = exp(-(q11 + q22)/2) cosh(q12) (characteristic function of u +- v). */
    static double cos(double q11, double q12, double q22) {
        return Math.exp(-0.5 * (q11 + q22)) * Math.cosh(q12);
    }

    /** sin: E[sin u sin v] = exp(-(q11 + q22)/2) sinh(q12). */
    static double sin(double q11, double q12, double q22) {
        return Math.exp(-0.5 * (q11 + q22)) * Math.sinh(q12);
    }

    /** x^2: E[u^2 v^2] = q11 q22 + 2 q12^2 (Isserlis). */
    static double square(double q11, double q12, double q22) {
        return q11 * q22 + 2 * q12 * q12;
    }
}
