package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.KernelMath;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.quadrature.QuadratureActivation;

/**
 * {@code Gelu}: phi(x) = x Phi(x) with Phi the standard normal distribution function (the
 * exact GELU, not the tanh approximation). Closed form as in Tsuchida, Pearce, van der Heide,
 * Roosta, Gallagher, "Avoiding kernel fixed points: computing with ELU and GELU infinite
 * networks" (AAAI 2021); derived here again with Stein's lemma from
 * Phi(u) = P(g &lt;= u), g ~ N(0, 1). With P_i = 1 + q_ii, D = P_1 P_2 - q12^2
 * = 1 + q11 + q22 + q11 q22 (1 - rho^2) and A = E[Phi(u)Phi(v)] = 1/4 + arcsin(q12 / sqrt(P_1 P_2)) / (2 pi)
 * = atan2(sqrt(D), -q12) / (2 pi):
 * <pre>
 *   E[phi(u)phi(v)]   = q12 A + (q11 q22 sqrt(D) + q12^2 / sqrt(D)) / (2 pi P_1 P_2)
 *   E[phi'(u)phi'(v)] = A + q12 (1/P_1 + 1/P_2) / (2 pi sqrt(D)) + q12 / (2 pi D^(3/2))
 * </pre>
 * where the derivative kernel expands phi'(x) = Phi(x) + x N(x) (N the normal density) with
 * E[Phi(u) v N(v)] = q12 / (2 pi P_2 sqrt(D)) and E[u N(u) v N(v)] = q12 / (2 pi D^(3/2)). The atan2
 * form keeps A accurate where it is small (rho near -1). There, with large variances, the two
 * NNGP terms cancel (each is about sqrt(D), the sum about q^(-1/2)); so when q12 &lt; 0 and
 * r = sqrt(D) / |q12| &lt; 1/4, atan(r) = r - (r - atan r) is substituted, which turns the NNGP into
 * <pre>
 *   2 pi E[phi(u)phi(v)] = N / (P_1 P_2 sqrt(D)) + |q12| (r - atan r),
 *   N = q12^2 - q11 q22 (1 - rho^2)(1 + q11 + q22) - (1 + q11 + q22)^2,
 * </pre>
 * with r - atan r summed as a series: no cancellation beyond a factor of about 3, so the
 * result stays within a few ulps of the exact value for the given rho at any variance.
 *
 * <p>{@code Gelu(approximate=true)} (also {@code approximate=1}): phi is the tanh approximation of
 * Hendrycks &amp; Gimpel ("Gaussian error linear units", arXiv:1606.08415) as {@code jax.nn.gelu(x,
 * approximate=True)} computes it, phi(x) = x (1 + tanh(y)) / 2 = x sigmoid(2 y),
 * y = sqrt(2/pi) (x + 0.044715 x^3), evaluated through the sigmoid so that nothing cancels for
 * large negative x; phi'(x) = sigmoid(2y) + 2 x y' sigmoid(2y) sigmoid(-2y). neural-tangents'
 * {@code Gelu(approximate=True)} changes only its finite-width {@code apply_fn}: its
 * {@code kernel_fn} is the exact-Gelu map above, so its finite networks converge to a kernel
 * slightly different from the one it reports. Aleph keeps kernel and phi consistent instead:
 * the approximate Gelu's expectations are computed from the tanh formula by quadrature
 * ({@link QuadratureActivation}, provenance kind quadrature, which says so). The two kernels
 * differ by up to about 1e-4 of E[phi^2] (docs/activations.md gives the measured difference);
 * use plain {@code Gelu} for neural-tangents' kernel_fn.
 */
public final class GeluProvider extends BuiltinProvider {

    private static final Gelu GELU = new Gelu();

    public GeluProvider() {
        super("Gelu", "x Phi(x), Phi the standard normal CDF; approximate=true: x (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3))) / 2",
                Parameter.number("approximate", 0, "true (1) for the tanh approximation, kernel by quadrature; false (0) exact"));
    }

    @Override
    public Activation create(Arguments arguments) {
        double approximate = arguments.number("approximate");
        if (approximate == 0) {
            return GELU;
        }
        if (approximate != 1) {
            throw new InvalidArgumentException("approximate",
                    "parameter approximate must be true or false (1 or 0), got " + approximate);
        }
        return new QuadratureActivation("Gelu(approximate=true)", GeluProvider::tanhGelu, GeluProvider::tanhGeluDerivative,
                new double[0], "the tanh approximation of Gelu (neural-tangents' kernel_fn uses the exact Gelu's instead)");
    }

    /** sqrt(2 / pi). */
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    /** The cubic coefficient of the tanh approximation. */
    private static final double CUBIC = 0.044715;

    /** The logistic function 1 / (1 + exp(-t)) without overflow. */
    private static double sigmoid(double t) {
        if (t >= 0) {
            return 1 / (1 + Math.exp(-t));
        }
        double e = Math.exp(t);
        return e / (1 + e);
    }

    /** x (1 + tanh(y)) / 2 = x sigmoid(2 y), y = sqrt(2/pi) (x + 0.044715 x^3). */
    static double tanhGelu(double x) {
        return x * sigmoid(2 * SQRT_2_OVER_PI * (x + CUBIC * x * x * x));
    }

    /** The derivative of {@link #tanhGelu}: sigmoid(2y) + 2 x y' sigmoid(2y) sigmoid(-2y). */
    static double tanhGeluDerivative(double x) {
        double y2 = 2 * SQRT_2_OVER_PI * (x + CUBIC * x * x * x);
        double dy2 = 2 * SQRT_2_OVER_PI * (1 + 3 * CUBIC * x * x);
        double p = sigmoid(y2);
        return p + x * dy2 * p * sigmoid(-y2);
    }

    static final class Gelu extends ClosedFormActivation {
        private static final double INV_SQRT2 = 1 / Math.sqrt(2);
        /** (-1)^(k+1) / (2k + 1), k = 1..16: the series of (r - atan r) / r^3 in r^2. */
        private static final double[] ATAN_SERIES = new double[16];

        static {
            for (int k = 1; k <= ATAN_SERIES.length; k++) {
                ATAN_SERIES[k - 1] = ((k & 1) == 1 ? 1.0 : -1.0) / (2 * k + 1);
            }
        }

        Gelu() {
            super("Gelu", "Tsuchida, Pearce et al., AAAI 2021");
        }

        /** r - atan(r) for 0 &lt;= r &lt; 1/4: r^3 (1/3 - r^2/5 + r^4/7 - ...), 16 terms (error below 1e-19 relative). */
        static double rMinusAtan(double r) {
            double r2 = r * r;
            double p = 0;
            for (int k = ATAN_SERIES.length - 1; k >= 0; k--) {
                p = p * r2 + ATAN_SERIES[k];
            }
            return p * r2 * r;
        }

        static double cdf(double x) {
            return 0.5 * org.hipparchus.special.Erf.erfc(-x * INV_SQRT2);
        }

        @Override
        public double phi(double x) {
            return x * cdf(x);
        }

        @Override
        public double dphi(double x) {
            return cdf(x) + x * Gaussians.normalDensity(x);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double a = q11[e];
                double b = q22[e];
                double c = q12[e];
                double gap = gapOfProducts(a, b, c); // q11 q22 (1 - rho^2), to an ulp or two
                if (gap < 0) { // beyond Cauchy-Schwarz by rounding: rho = +-1
                    c = Math.copySign(Math.sqrt(a * b), c);
                    gap = 0;
                }
                double p1 = 1 + a;
                double p2 = 1 + b;
                double apb = 1 + a + b;
                double d = apb + gap;
                double sd = Math.sqrt(d);
                double prob = KernelMath.atan2(sd, -c) * INV_2PI;
                double p12 = p1 * p2;
                double inv = INV_2PI / (p12 * d * sd); // the one division
                if (c < 0 && sd < -0.25 * c) {
                    double n2 = c * c - gap * apb - apb * apb;
                    nngp[e] = n2 * d * inv - c * rMinusAtan(sd / -c) * INV_2PI;
                } else {
                    nngp[e] = c * prob + (a * b * d + c * c) * d * inv;
                }
                if (dnngp != null) {
                    dnngp[e] = prob + c * ((p1 + p2) * d + p12) * inv;
                }
            }
        }

        /**
         * The derivative of the closed form above in q11 at fixed q12 (differentiated symbolically
         * and written in a = q11, b = q22 and the gap g = a b - q12^2, so that D = 1 + a + b + g):
         * <pre>
         *   dF/dq11 = [ (a + 3) g^2 + (a^2 + a b + 5 a + 5 b + 4) g + b (2 b + 2 + a - a^2) ] / (4 pi P_1^2 D^(3/2))
         * </pre>
         * and dF/dq22 with a and b exchanged; 0 when the other variance is 0 (v is then the constant 0,
         * phi(0) = 0). Finite for every covariance (D &gt;= 1).
         */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            for (int e = 0; e < n; e++) {
                double a = q11[e];
                double b = q22[e];
                double gap = Math.max(0, gapOfProducts(a, b, q12[e])); // q11 q22 (1 - rho^2); rounding beyond Cauchy-Schwarz: 0
                double d = 1 + a + b + gap;
                double common = 0.5 * INV_2PI / (d * Math.sqrt(d)); // 1 / (4 pi D^(3/2))
                double lin = a * b + 5 * (a + b) + 4;
                dq11[e] = ((a + 3) * gap * gap + (a * a + lin) * gap + b * (2 * b + 2 + a - a * a)) * common / ((1 + a) * (1 + a));
                dq22[e] = ((b + 3) * gap * gap + (b * b + lin) * gap + a * (2 * a + 2 + b - b * b)) * common / ((1 + b) * (1 + b));
                if (!Double.isFinite(dq11[e]) || !Double.isFinite(dq22[e])) {
                    return false;
                }
            }
            return true;
        }
    }
}
