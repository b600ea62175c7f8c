package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * {@code Monomial(n)}: phi(x) = x^n for any integer n &gt;= 0 (neural-tangents
 * {@code stax.Monomial}; x^0 = 1). Expanding x^n = sum_m n! / (m! 2^m (n-2m)!) He_(n-2m)(x)
 * in probabilists' Hermite polynomials and using E[He_j(z1) He_k(z2)] = delta_jk k! rho^k
 * (Mehler's formula; equivalently Isserlis' theorem) gives, with s = sqrt(q11 q22):
 * <pre>
 *   E[u^n v^n] = s^n sum_(m=0)^(floor(n/2)) (n!)^2 / ((m!)^2 4^m (n-2m)!) rho^(n-2m)
 *   E[phi'(u)phi'(v)] = n^2 E[u^(n-1) v^(n-1)]
 * </pre>
 * All terms share the sign of rho^n, so the sum does not cancel. It is summed from
 * m = floor(n/2) (the term ((n-1)!!)^2 s^n, or (n!!)^2 s^n |rho| for odd n, built as a product of
 * (j s)^2 factors) downwards with the term ratio 4 m^2 rho^2 / ((n-2m+2)(n-2m+1)): O(n) work, no
 * factorials, and the result overflows to Infinity only when the moment itself exceeds the
 * double range. Relative accuracy about n ulps.
 */
public final class MonomialProvider extends BuiltinProvider {

    public MonomialProvider() {
        super("Monomial", "x^n", Parameter.requiredNumber("n", "the degree, an integer >= 0"));
    }

    @Override
    public Activation create(Arguments arguments) {
        return new Monomial(arguments.toSpec(name()), arguments.integer("n", 0, Integer.MAX_VALUE - 1));
    }

    /** E[u^n v^n] for s = sqrt(q11 q22) and the clamped correlation rho. */
    static double moment(int n, double s, double rho) {
        if (n == 0) {
            return 1.0;
        }
        double r = Math.abs(rho);
        double term = 1.0;
        int top = (n & 1) == 0 ? n - 1 : n - 2;
        for (int j = 1; j <= top; j += 2) {
            double f = j * s;
            term *= f * f;
        }
        if ((n & 1) == 1) {
            term *= (double) n * n * s * r;
        }
        double r2 = r * r;
        double sum = term;
        for (int m = n / 2; m >= 1; m--) {
            term *= 4.0 * m * m * r2 / ((double) (n - 2 * m + 2) * (n - 2 * m + 1));
            sum += term;
        }
        return rho < 0 && (n & 1) == 1 ? -sum : sum;
    }

    static final class Monomial extends ClosedFormActivation {
        private final int degree;

        Monomial(String name, int degree) {
            super(name, new Provenance(Provenance.Kind.CLOSED_FORM,
                    "Hermite expansion / Isserlis' theorem", Math.max(1e-13, 1e-15 * degree)));
            this.degree = degree;
        }

        @Override
        public double phi(double x) {
            return degree == 0 ? 1.0 : Math.pow(x, degree);
        }

        @Override
        public double dphi(double x) {
            return degree == 0 ? 0.0 : degree * (degree == 1 ? 1.0 : Math.pow(x, degree - 1));
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            int d = degree;
            double d2 = (double) d * d;
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e] * q22[e]);
                double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
                nngp[e] = moment(d, s, rho);
                if (dnngp != null) {
                    dnngp[e] = d == 0 ? 0.0 : d2 * moment(d - 1, s, rho);
                }
            }
        }

        /**
         * From positive homogeneity (phi(sqrt(t) x) = t^(n/2) phi(x)): F(t q11, sqrt(t) q12, q22) =
         * t^(n/2) F, differentiated at t = 1 with Price's dF/dq12 = E[phi' phi'],
         * dF/dq11 = (n F - q12 E[phi' phi']) / (2 q11) ({@link ClosedFormActivation#homogeneousVarianceDerivatives}).
         */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            return homogeneousVarianceDerivatives(this, degree, q11, q12, q22, n, dq11, dq22);
        }

    }
}
