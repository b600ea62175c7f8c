package org.aleph.kernel.quadrature;

import static org.aleph.kernel.spi.Gaussians.INV_SQRT_2PI;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * E[f(u) f(v)] for a smooth f (no kinks) at correlations 0.8 &lt; |rho| &lt; 1 by a shared factor and the
 * trapezoidal rule on one lattice per variable, so that each evaluation of f serves many nodes.
 *
 * <p><b>Shared factor.</b> With r = |rho|, u = s1 (sqrt(r) z0 + sqrt(1 - r) z1) and
 * v = s2 (sign(rho) sqrt(r) z0 + sqrt(1 - r) z2), z0, z1, z2 independent standard normals, has
 * the required covariance, so
 * <pre>
 *   E[f(u) f(v)] = E_z0[ T1(a1 z0) T2(sign(rho) a2 z0) ],   T_i = f * N(0, sigma_i^2),
 * </pre>
 * a_i = s_i sqrt(r), sigma_i = s_i sqrt(1 - r): the outer integrand is a product of two Gaussian
 * smoothings of f, each depending on one side only.
 *
 * <p><b>Lattice.</b> The outer integral is the trapezoidal rule with step h on |z0| &lt;= 9, so
 * its nodes a_i z0 = a_i h k lie on the lattice x = k delta_i, delta_i = a_i h; the inner
 * convolution T_i(k delta_i) = delta_i sum_j f((k + j) delta_i) phi_sigma_i(j delta_i), |j delta_i|
 * &lt;= 9 sigma_i, is the trapezoidal rule on the same lattice. f is evaluated once per lattice
 * point (a few hundred per side) and the convolution costs only multiply-adds, against thousands
 * of evaluations for the nested rule.
 *
 * <p><b>Step.</b> The trapezoidal rule is exponentially accurate for integrands analytic in a
 * strip (Trefethen and Weideman, SIAM Review 56 (2014), sec. 5): if F is analytic for
 * |Im x| &lt; y with integrable bound M, the error is at most about 2 M exp(-2 pi y / delta).
 * f is analytic within {@value #STRIP} L of the real axis (L the declared scale: the usual
 * activations are analytic within pi/2); the Gaussian factor phi_sigma grows like
 * exp(y^2 / (2 sigma^2)) off the axis, so the error is at most about
 * exp(y^2 / (2 sigma^2) - 2 pi y / delta) for any y in (0, d]. y = d allows the step
 * delta = 2 pi d / (E + d^2 / (2 sigma^2)) and y = 2 pi sigma^2 / delta (if at most d) allows
 * pi sigma sqrt(2 / E), E = {@value #EXPONENT}; each lattice step delta_i = a_i h is held below
 * the larger of the two ({@link #largestStep}), an error about 1e-14 relative to f's size in the
 * strip. The same bound with sigma = 1 and strip d / a_i applies to the outer integrand
 * T1 T2 phi(z0) in z0. The truncations at {@value #Z} standard deviations drop less than 1e-18
 * of the mass.
 *
 * <p>The nested rule stays in use where the cost model ({@link #cost}, {@link #nestedCost}) says
 * it is faster ({@link #preferred}: from about rho = 0.993 on, and for large variances; the
 * measured times are in docs/performance.md). Against an
 * independent adaptive reference the rule alone is within 1.3e-13 (relative, floor as in the
 * promise) for tanh, tanh', softplus, silu, sigmoid', mish, erf(4x), cos and exp(0.7x) at
 * variances 1e-8..30 and 0.8 &lt; |rho| &lt;= 0.999.
 *
 * <p>The cost grows like 1 / sqrt(1 - r) (the inner Gaussian must be resolved) and like s (the
 * lattice spans 9 s); {@link #cost} lets the caller keep the nested rule where that is cheaper
 * (correlations within about 1e-3 of 1, huge variances). Not for f with kinks.
 */
final class LatticeRule {

    /** Strip half-width of analyticity, in units of the activation's scale L. */
    static final double STRIP = 1.2;
    /** Required decay exponent of the trapezoidal error, exp(-EXPONENT) ~ 1.3e-14. */
    static final double EXPONENT = 32.0;
    /** Truncation of every Gaussian, in standard deviations. */
    static final double Z = 9.0;
    /** Largest trapezoidal step for a Gaussian weight of unit width: pi sqrt(2 / EXPONENT). */
    private static final double GAUSS_STEP = Math.PI * Math.sqrt(2 / EXPONENT);

    private double[] f1 = new double[512];
    private double[] f2 = new double[512];
    private double[] g1 = new double[512];
    private double[] g2 = new double[512];
    private double[] kernel = new double[64];

    /** The outer step h for the given side parameters (see the class comment). */
    static double step(double s1, double s2, double r, double scale) {
        double sr = Math.sqrt(r);
        double ratio = Math.sqrt((1 - r) / r);
        double d = STRIP * scale;
        double amax = Math.max(s1, s2) * sr;
        // outer: strip d / amax of the smoothed factors, Gaussian weight of unit width
        double h = largestStep(d / amax, 1.0);
        // inner, per side: lattice step a_i h within the bound for strip d and width sigma_i
        h = Math.min(h, largestStep(d, s1 * sr * ratio) / (s1 * sr));
        return Math.min(h, largestStep(d, s2 * sr * ratio) / (s2 * sr));
    }

    /**
     * The largest trapezoidal step for f phi_sigma with f analytic in the strip |Im x| &lt; d:
     * the error is at most about exp(y^2 / (2 sigma^2) - 2 pi y / delta) for every y in (0, d],
     * so y = d allows delta = 2 pi d / (E + d^2 / (2 sigma^2)), and y = 2 pi sigma^2 / delta
     * (when that is at most d) allows delta = pi sigma sqrt(2 / E).
     */
    static double largestStep(double d, double sigma) {
        double atStrip = 2 * Math.PI * d / (EXPONENT + d * d / (2 * sigma * sigma));
        double gaussian = GAUSS_STEP * sigma;
        return sigma * Math.sqrt(2 * EXPONENT) <= d ? Math.max(atStrip, gaussian) : atStrip;
    }

    /**
     * Estimated cost in nanoseconds: about 50 per evaluation of f (Math.tanh) and 0.35 per
     * multiply-add of the convolutions (measured on the reference machine).
     */
    static double cost(double s1, double s2, double r, double scale) {
        double h = step(s1, s2, r, scale);
        double k = Math.ceil(Z / h);
        double j = Math.ceil(Z * Math.sqrt((1 - r) / r) / h);
        double sides = s1 == s2 ? 1 : 2;
        return sides * (50 * (2 * (k + j) + 1) + 0.35 * (2 * k + 1) * (2 * j + 1));
    }

    /**
     * The nested rule's cost in nanoseconds for tanh at variances near 1 (measured: q = 1 and 1.3,
     * linear in log10(1 - r) between the table's points); it only grows with the variances, so
     * this errs towards the nested rule.
     */
    static double nestedCost(double r) {
        double x = Math.log10(1 - r);
        for (int i = 1; i < LOG_GAP.length; i++) {
            if (x >= LOG_GAP[i]) {
                double t = Math.min(1, (x - LOG_GAP[i]) / (LOG_GAP[i - 1] - LOG_GAP[i]));
                return 1e3 * (NESTED_MICROS[i] + t * (NESTED_MICROS[i - 1] - NESTED_MICROS[i]));
            }
        }
        return 1e3 * NESTED_MICROS[NESTED_MICROS.length - 1];
    }

    /** log10(1 - r) and the nested rule's time there in microseconds (tanh, q = 1 and 1.3). */
    private static final double[] LOG_GAP = {-0.72, -0.82, -1, -1.3, -2, -2.3, -3, -4};
    private static final double[] NESTED_MICROS = {185, 180, 165, 130, 38.6, 37, 28.6, 21};

    /** Whether this rule is expected to be faster than the nested one for these parameters. */
    static boolean preferred(double s1, double s2, double r, double scale) {
        return r < 1 && cost(s1, s2, r, scale) < 0.9 * nestedCost(r);
    }

    /** E[f(u) f(v)] for s1, s2 &gt; 0 and 0 &lt; |rho| &lt; 1. */
    double expectation(DoubleUnaryOperator f, double s1, double s2, double rho, double scale) {
        double r = Math.abs(rho);
        double h = step(s1, s2, r, scale);
        int k = (int) Math.ceil(Z / h);
        double ratio = Math.sqrt((1 - r) / r);
        // inner kernel in lattice units: phi_sigma(j delta) delta = phi(j h / ratio) h / ratio
        int j = (int) Math.ceil(Z * ratio / h);
        if (kernel.length < j + 1) {
            kernel = new double[j + 1];
        }
        double t = h / ratio;
        for (int i = 0; i <= j; i++) {
            double x = i * t;
            kernel[i] = t * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
        }
        int n = 2 * k + 1;
        int m = 2 * (k + j) + 1;
        ensure(n, m);
        double sr = Math.sqrt(r);
        smooth(f, s1 * sr * h, k, j, f1, g1);
        double[] other = g1;
        if (s1 != s2) {
            smooth(f, s2 * sr * h, k, j, f2, g2);
            other = g2;
        }
        double sum = 0;
        if (rho > 0) {
            for (int i = 0; i < n; i++) {
                double z = (i - k) * h;
                sum += Math.exp(-0.5 * z * z) * g1[i] * other[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                double z = (i - k) * h;
                sum += Math.exp(-0.5 * z * z) * g1[i] * other[n - 1 - i];
            }
        }
        return sum * h * INV_SQRT_2PI;
    }

    /** g[i] = T((i - k) delta) for i in [0, 2k], from f on the lattice (i - k - j) delta, i in [0, 2(k + j)]. */
    private void smooth(DoubleUnaryOperator f, double delta, int k, int j, double[] fv, double[] g) {
        int m = 2 * (k + j) + 1;
        int off = k + j;
        for (int i = 0; i < m; i++) {
            fv[i] = f.applyAsDouble((i - off) * delta);
        }
        // one pass per kernel weight over all outputs: independent multiply-adds that vectorise
        int n = 2 * k + 1;
        double w0 = kernel[0];
        for (int i = 0; i < n; i++) {
            g[i] = w0 * fv[i + j];
        }
        for (int l = 1; l <= j; l++) {
            double wl = kernel[l];
            int lo = j - l;
            int hi = j + l;
            for (int i = 0; i < n; i++) {
                g[i] += wl * (fv[lo + i] + fv[hi + i]);
            }
        }
    }

    private void ensure(int n, int m) {
        if (g1.length < n) {
            g1 = Arrays.copyOf(g1, Math.max(n, 2 * g1.length));
            g2 = Arrays.copyOf(g2, g1.length);
        }
        if (f1.length < m) {
            f1 = Arrays.copyOf(f1, Math.max(m, 2 * f1.length));
            f2 = Arrays.copyOf(f2, f1.length);
        }
    }
}
