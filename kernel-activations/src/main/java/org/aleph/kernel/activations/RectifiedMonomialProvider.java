package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.support.ArcCosine;

/**
 * {@code RectifiedMonomial(n)}: phi(x) = max(0, x)^n for any integer n &gt;= 0; n = 0 is the
 * step function (1/2 at 0), n = 1 is Relu (neural-tangents {@code stax.RectifiedMonomial}).
 * The arc-cosine kernel of degree n (Cho &amp; Saul, "Kernel methods for deep learning", NIPS
 * 2009, eq. 6-7), with s = sqrt(q11 q22), theta = arccos(rho):
 * <pre>
 *   E[phi(u)phi(v)]   = s^n J_n(theta) / (2 pi),
 *   J_n(theta) = n! integral_0^(pi-theta) (cos psi + cos theta)^n dpsi
 *              = (-1)^n (sin theta)^(2n+1) ((1/sin theta) d/dtheta)^n ((pi - theta)/sin theta),
 *   E[phi'(u)phi'(v)] = n^2 s^(n-1) J_(n-1)(theta) / (2 pi)    (0 for n = 0),
 * </pre>
 * evaluated by the recurrence J_n = (2n-1) cos(theta) J_(n-1) + (n-1)^2 sin^2(theta) J_(n-2)
 * (forward, or Miller's backward algorithm where the forward one is unstable; see
 * {@link ArcCosine}), which gives J_n and J_(n-1) in one pass. O(n) work for rho &gt;= 0 and
 * at most about 15 n for rho &lt; 0.
 */
public final class RectifiedMonomialProvider extends BuiltinProvider {

    public RectifiedMonomialProvider() {
        super("RectifiedMonomial", "max(0, x)^n", Parameter.requiredNumber("n", "the degree, an integer >= 0"));
    }

    @Override
    public Activation create(Arguments arguments) {
        return new RectifiedMonomial(arguments.toSpec(name()), arguments.integer("n", 0, 100_000_000));
    }

    static final class RectifiedMonomial extends ClosedFormActivation {
        private final int degree;

        RectifiedMonomial(String name, int degree) {
            super(name, new Provenance(Provenance.Kind.CLOSED_FORM,
                    "arc-cosine kernel J_n, Cho & Saul 2009", Math.max(1e-13, 1e-15 * degree)), 0.0);
            this.degree = degree;
        }

        @Override
        public double phi(double x) {
            if (x > 0) {
                return degree == 0 ? 1.0 : Math.pow(x, degree);
            }
            return x == 0 && degree == 0 ? 0.5 : 0.0;
        }

        @Override
        public double dphi(double x) {
            if (degree == 0) {
                return 0.0;
            }
            if (x > 0) {
                return degree == 1 ? 1.0 : degree * Math.pow(x, degree - 1);
            }
            return x == 0 && degree == 1 ? 0.5 : 0.0;
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            int d = degree;
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e] * q22[e]);
                ArcCosine.rectified(d, s, Gaussians.correlation(q11[e], q12[e], q22[e]), nngp, dnngp, e);
            }
        }

        /**
         * Degree 1 (Relu): sqrt(q11 q22 - q12^2) / (4 pi q11), without cancellation near rho = 1.
         * Degree n &gt;= 2: positive homogeneity, dF/dq11 = (n F - q12 E[phi' phi']) / (2 q11)
         * ({@link ClosedFormActivation#homogeneousVarianceDerivatives}). Degree 0 (the step) is not
         * offered: its phi' is a Dirac mass, which the derivative kernel (0) leaves out, and its
         * dF/dq11 is infinite at rho = +-1.
         */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            if (degree == 0) {
                return false;
            }
            if (degree == 1) {
                return arcCosineVarianceDerivatives(q11, q12, q22, n, 0.5 * INV_2PI, dq11, dq22);
            }
            return homogeneousVarianceDerivatives(this, degree, q11, q12, q22, n, dq11, dq22);
        }

    }
}
