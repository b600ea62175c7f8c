package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;

/**
 * {@code Gabor}: phi(x) = exp(-x^2) sin(x) (neural-tangents {@code stax.Gabor}). The factor
 * exp(-(u^2 + v^2)) turns N(0, Sigma) into det(I + 2 Sigma)^(-1/2) N(0, Sigma'),
 * Sigma' = Sigma (I + 2 Sigma)^(-1) = [[A, C], [C, B]]; with
 * Delta = det(I + 2 Sigma) = 1 + 2 (q11 + q22) + 4 (q11 q22 - q12^2), g = q11 q22 - q12^2:
 * A = (q11 + 2g) / Delta, B = (q22 + 2g) / Delta, C = q12 / Delta, 1 - 2A = (1 + 2 q22) / Delta.
 * Under Sigma', E[sin u sin v] = e^(-(A+B)/2) sinh C =: Ess, E[cos u cos v] = e^(-(A+B)/2) cosh C
 * =: Ecc, and Stein's lemma gives E[u sin u cos v] = A Ecc - C Ess,
 * E[u v sin u sin v] = (AB + C^2) Ecc + C (1 - A - B) Ess. Hence, with
 * phi'(x) = exp(-x^2) (cos x - 2 x sin x):
 * <pre>
 *   E[phi(u)phi(v)]   = Delta^(-1/2) Ess
 *   E[phi'(u)phi'(v)] = Delta^(-1/2) ( ((1 - 2A)(1 - 2B) + 4 C^2) Ecc + 4 C (2 - A - B) Ess )
 * </pre>
 * Every quantity is bounded (A, B &lt;= 1/2, |C| &lt;= 1/4) and g = q11 q22 (1 - rho)(1 + rho)
 * does not cancel, so the formulas hold uniformly in the variances.
 */
public final class GaborProvider extends BuiltinProvider {

    private static final Gabor GABOR = new Gabor();

    public GaborProvider() {
        super("Gabor", "exp(-x^2) sin(x)");
    }

    @Override
    public Activation create(Arguments arguments) {
        return GABOR;
    }

    static final class Gabor extends ClosedFormActivation {
        Gabor() {
            super("Gabor", "Gaussian integrals and Stein's lemma; neural-tangents Gabor");
        }

        @Override
        public double phi(double x) {
            return Math.exp(-x * x) * Math.sin(x);
        }

        @Override
        public double dphi(double x) {
            return Math.exp(-x * x) * (Math.cos(x) - 2 * x * Math.sin(x));
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double v1 = q11[e];
                double v2 = q22[e];
                double s = Math.sqrt(v1 * v2);
                double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
                double g = s * s * ((1 - rho) * (1 + rho));
                double delta = 1 + 2 * (v1 + v2) + 4 * g;
                double inv = 1 / delta;
                double a = (v1 + 2 * g) * inv;
                double b = (v2 + 2 * g) * inv;
                double c = rho * s * inv;
                double damp = Math.exp(-0.5 * (a + b)) / Math.sqrt(delta);
                double em = Math.expm1(c); // sinh c = (em + em/(em+1))/2, cosh c = 1 + em^2/(2(em+1))
                double ratio = em / (em + 1);
                double ess = damp * 0.5 * (em + ratio);
                nngp[e] = ess;
                if (dnngp != null) {
                    double ecc = damp * (1 + 0.5 * em * ratio);
                    double p = (1 + 2 * v1) * (1 + 2 * v2) * inv * inv;
                    dnngp[e] = (p + 4 * c * c) * ecc + 4 * c * (2 - a - b) * ess;
                }
            }
        }
    }
}
