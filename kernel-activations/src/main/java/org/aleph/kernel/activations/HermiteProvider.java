package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * {@code Hermite(n)}: phi(x) = h_n(x) = He_n(x) / sqrt(n!), the normalised probabilists' Hermite
 * polynomial (neural-tangents {@code stax.Hermite}), for general variances. The scaling
 * formula He_n(s z) = sum_m n! / (m! (n-2m)!) ((s^2 - 1)/2)^m s^(n-2m) He_(n-2m)(z) (e.g. Abramowitz
 * &amp; Stegun 22.13; Mehler) and E[He_j(z1) He_k(z2)] = delta_jk k! rho^k give, with
 * w = (q11 - 1)(q22 - 1) / 4:
 * <pre>
 *   E[h_n(u) h_n(v)] = sum_(m=0)^(floor(n/2)) n! / ((m!)^2 (n-2m)!) w^m q12^(n-2m),
 *   E[h_n'(u) h_n'(v)] = n E[h_(n-1)(u) h_(n-1)(v)]          (h_n' = sqrt(n) h_(n-1)).
 * </pre>
 * At unit variances this is rho^n (orthonormality). The coefficients are built once by the
 * ratio C_(m+1) / C_m = (n-2m)(n-2m-1) / (m+1)^2 and the sum is evaluated by Horner's rule in w
 * with powers of q12^2, so w = 0 or q12 = 0 need no special case. When w &lt; 0 the terms
 * alternate; their absolute sum is bounded by the Cauchy-Schwarz scale
 * sqrt(E[h_n(u)^2] E[h_n(v)^2]), so the absolute error stays within about n ulps of that scale.
 * n is limited to {@value #MAX_DEGREE} (the coefficients reach 3^n / n).
 */
public final class HermiteProvider extends BuiltinProvider {

    static final int MAX_DEGREE = 500;

    public HermiteProvider() {
        super("Hermite", "He_n(x) / sqrt(n!), the normalised probabilists' Hermite polynomial",
                Parameter.requiredNumber("n", "the degree, an integer in [0, " + MAX_DEGREE + "]"));
    }

    @Override
    public Activation create(Arguments arguments) {
        return new Hermite(arguments.toSpec(name()), arguments.integer("n", 0, MAX_DEGREE));
    }

    static final class Hermite extends ClosedFormActivation {
        private final int degree;
        private final double[] coef;      // C_m for n
        private final double[] coefDown;  // C_m for n - 1
        private final double[] coefW;     // (m + 1) C_(m+1) for n: the coefficients of dF/dw
        private final double sqrtN;

        Hermite(String name, int degree) {
            super(name, new Provenance(Provenance.Kind.CLOSED_FORM,
                    "Hermite scaling formula and Mehler's formula", Math.max(1e-13, 1e-15 * degree)));
            this.degree = degree;
            this.coef = coefficients(degree);
            this.coefDown = coefficients(Math.max(0, degree - 1));
            this.coefW = new double[Math.max(1, coef.length - 1)];
            for (int m = 0; m + 1 < coef.length; m++) {
                coefW[m] = (m + 1) * coef[m + 1];
            }
            this.sqrtN = Math.sqrt(degree);
        }

        static double[] coefficients(int n) {
            double[] c = new double[n / 2 + 1];
            c[0] = 1;
            for (int m = 0; m + 1 < c.length; m++) {
                c[m + 1] = c[m] * ((double) (n - 2 * m) * (n - 2 * m - 1)) / ((double) (m + 1) * (m + 1));
            }
            return c;
        }

        /** sum_m c[m] w^m y^(M-m), M = c.length - 1, by Horner's rule in w. */
        static double sum(double[] c, double w, double y) {
            int top = c.length - 1;
            double r = c[top];
            double yp = 1;
            for (int m = top - 1; m >= 0; m--) {
                yp *= y;
                r = r * w + c[m] * yp;
            }
            return r;
        }

        @Override
        public double phi(double x) {
            return evaluate(degree, x);
        }

        @Override
        public double dphi(double x) {
            return degree == 0 ? 0.0 : sqrtN * evaluate(degree - 1, x);
        }

        /** h_n(x) by the normalised three-term recurrence h_(k+1) = (x h_k - sqrt(k) h_(k-1)) / sqrt(k+1). */
        static double evaluate(int n, double x) {
            double prev = 0;
            double cur = 1;
            for (int k = 0; k < n; k++) {
                double next = (x * cur - Math.sqrt(k) * prev) / Math.sqrt(k + 1);
                prev = cur;
                cur = next;
            }
            return cur;
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            int d = degree;
            boolean odd = (d & 1) == 1;
            double[] c = coef;
            double[] cd = coefDown;
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e] * q22[e]);
                double x = Gaussians.correlation(q11[e], q12[e], q22[e]) * s;
                double w = 0.25 * (q11[e] - 1) * (q22[e] - 1);
                double y = x * x;
                double r = sum(c, w, y);
                nngp[e] = odd ? r * x : r;
                if (dnngp != null) {
                    if (d == 0) {
                        dnngp[e] = 0.0;
                    } else {
                        double rd = sum(cd, w, y);
                        dnngp[e] = d * (odd ? rd : rd * x);
                    }
                }
            }
        }

        /**
         * F = sum_m C_m w^m q12^(n-2m) depends on the variances only through
         * w = (q11 - 1)(q22 - 1) / 4, so dF/dq11 = (q22 - 1) / 4 sum_m (m + 1) C_(m+1) w^m q12^(n-2-2m)
         * (0 for n &lt; 2), and dF/dq22 with (q11 - 1) / 4.
         */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            boolean odd = (degree & 1) == 1;
            for (int e = 0; e < n; e++) {
                double dw = 0;
                if (degree >= 2) {
                    double x = Gaussians.correlation(q11[e], q12[e], q22[e]) * Math.sqrt(q11[e] * q22[e]);
                    double w = 0.25 * (q11[e] - 1) * (q22[e] - 1);
                    double r = sum(coefW, w, x * x);
                    dw = odd ? r * x : r;
                }
                dq11[e] = 0.25 * (q22[e] - 1) * dw;
                dq22[e] = 0.25 * (q11[e] - 1) * dw;
                if (!Double.isFinite(dq11[e]) || !Double.isFinite(dq22[e])) {
                    return false;
                }
            }
            return true;
        }
    }
}
