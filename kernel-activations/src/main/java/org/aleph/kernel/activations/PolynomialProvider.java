package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * {@code Polynomial(c0, c1, ...)}: phi(x) = sum_i c_i x^i (neural-tangents
 * {@code stax.Polynomial}). With the normalised Hermite polynomials h_k = He_k / sqrt(k!) and
 * x^i = sum_k beta_(i,k) h_k(x) (beta from x h_k = sqrt(k+1) h_(k+1) + sqrt(k) h_(k-1), all
 * beta &gt;= 0), phi(s z) = sum_k A_k(s) h_k(z) with A_k(s) = sum_i c_i s^i beta_(i,k), and Mehler's
 * formula E[h_j(z1) h_k(z2)] = delta_jk rho^k gives, for s1 = sqrt(q11), s2 = sqrt(q22):
 * <pre>
 *   E[phi(u)phi(v)]   = sum_k A_k(s1) A_k(s2) rho^k
 *   E[phi'(u)phi'(v)] = the same with the coefficients (i+1) c_(i+1) of phi'.
 * </pre>
 * This is sum_(i,j) c_i c_j E[u^i v^j] for general variances (Isserlis) in O(d^2) per entry.
 * The absolute error is within a few d ulps of sum_k |A_k(s1) A_k(s2)| |rho|^k, which is at most
 * the Cauchy-Schwarz scale sqrt(E[phi(u)^2] E[phi(v)^2]) when no c_i cancel inside A_k.
 * At most {@value #MAX_COEFFICIENTS} coefficients.
 */
public final class PolynomialProvider extends BuiltinProvider {

    static final int MAX_COEFFICIENTS = 128;

    public PolynomialProvider() {
        super("Polynomial", "c0 + c1 x + c2 x^2 + ...", Parameter.numbers("c", "the coefficients c0, c1, ... (may be empty)"));
    }

    @Override
    public Activation create(Arguments arguments) {
        double[] c = arguments.numbers("c");
        if (c.length > MAX_COEFFICIENTS) {
            throw new InvalidArgumentException("c", "Polynomial takes at most " + MAX_COEFFICIENTS
                    + " coefficients (degree " + (MAX_COEFFICIENTS - 1) + "), got " + c.length);
        }
        return new Polynomial(arguments.toSpec(name()), c);
    }

    static final class Polynomial extends ClosedFormActivation {
        private final double[] c;
        private final double[] dc;
        /** beta[i][k] for i, k &lt; c.length, zero unless k &lt;= i and k = i mod 2. */
        private final double[][] beta;

        Polynomial(String name, double[] coefficients) {
            super(name, new Provenance(Provenance.Kind.CLOSED_FORM,
                    "Hermite expansion / Isserlis' theorem", 1e-13));
            int len = coefficients.length;
            while (len > 0 && coefficients[len - 1] == 0) {
                len--;
            }
            this.c = java.util.Arrays.copyOf(coefficients, len);
            this.dc = new double[Math.max(0, len - 1)];
            for (int i = 0; i < dc.length; i++) {
                dc[i] = (i + 1) * c[i + 1];
            }
            this.beta = new double[Math.max(1, len)][];
            beta[0] = new double[] {1.0};
            for (int i = 1; i < beta.length; i++) {
                double[] prev = beta[i - 1];
                double[] row = new double[i + 1];
                for (int k = 0; k <= i; k++) {
                    double v = 0;
                    if (k >= 1 && k - 1 < prev.length) {
                        v += Math.sqrt(k) * prev[k - 1];
                    }
                    if (k + 1 < prev.length) {
                        v += Math.sqrt(k + 1) * prev[k + 1];
                    }
                    row[k] = v;
                }
                beta[i] = row;
            }
        }

        @Override
        public double phi(double x) {
            double r = 0;
            for (int i = c.length - 1; i >= 0; i--) {
                r = r * x + c[i];
            }
            return r;
        }

        @Override
        public double dphi(double x) {
            double r = 0;
            for (int i = dc.length - 1; i >= 0; i--) {
                r = r * x + dc[i];
            }
            return r;
        }

        /** out[k] = sum_i coef[i] s^i beta[i][k], k &lt; coef.length. */
        private void hermiteCoefficients(double[] coef, double s, double[] out) {
            int len = coef.length;
            for (int k = 0; k < len; k++) {
                out[k] = 0;
            }
            double p = 1;
            for (int i = 0; i < len; i++) {
                double ci = coef[i] * p;
                double[] row = beta[i];
                for (int k = i & 1; k <= i; k += 2) {
                    out[k] += ci * row[k];
                }
                p *= s;
            }
        }

        private static double mehler(double[] a, double[] b, int len, double rho) {
            double r = 0;
            for (int k = len - 1; k >= 0; k--) {
                r = r * rho + a[k] * b[k];
            }
            return r;
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            int len = c.length;
            double[] a = new double[len];
            double[] b = new double[len];
            double[] da = new double[dc.length];
            double[] db = new double[dc.length];
            for (int e = 0; e < n; e++) {
                double s1 = Math.sqrt(q11[e]);
                double s2 = Math.sqrt(q22[e]);
                double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
                hermiteCoefficients(c, s1, a);
                hermiteCoefficients(c, s2, b);
                nngp[e] = mehler(a, b, len, rho);
                if (dnngp != null) {
                    hermiteCoefficients(dc, s1, da);
                    hermiteCoefficients(dc, s2, db);
                    dnngp[e] = mehler(da, db, dc.length, rho);
                }
            }
        }
    }
}
