package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code ExpNormalized(gamma=1, shift=-1, do_clip=false)}: neural-tangents'
 * {@code stax.ExpNormalized}, which "simulates the Gaussian normalized kernel" of Shankar,
 * Fang, Guo, Fridovich-Keil, Schmidt, Ragan-Kelley, Recht, "Neural kernels without tangents"
 * (ICML 2020, arXiv:2003.02237, p. 6). Its kernel map, with rho = q12 / sqrt(q11 q22):
 * <pre>
 *   K'(x, x') = sqrt(q11 q22) exp(gamma (rho + shift))       (the NNGP)
 *   E'        = gamma exp(gamma (rho + shift)) = dK'/dq12     (multiplies the NTK)
 * </pre>
 * and K'(x, x) = q11 exp(gamma (1 + shift)); with the default shift -1 the variances are kept.
 * This is neural-tangents' {@code kernel_fn} term by term. There, {@code do_clip} clips rho to
 * [-1, 1] before the exponential; Aleph's recursion guarantees |q12| &lt;= sqrt(q11 q22), so the
 * two settings differ only where rounding puts rho a few ulps beyond +-1 (false keeps that
 * rounding, as neural-tangents does; true clamps). A zero variance gives K' = 0 and E' = gamma
 * exp(gamma shift) (rho = 0, the limit).
 *
 * <p><b>No pointwise phi.</b> The kernel is homogeneous of degree one in the input scale, so no
 * pointwise function has it at every variance (only a x^+ + b x^- do, and their kernels are the
 * arc-cosine ones); neural-tangents' {@code apply_fn} raises NotImplementedError. The kernel is
 * that of the normalised map u -&gt; s g(u / s), s = sqrt(E[u^2]) the pre-activation's own scale,
 * with g(x) = exp(sqrt(gamma) x + gamma (shift - 1) / 2): for unit-variance x, y of correlation
 * rho, E[g(x) g(y)] = exp(gamma (1 + rho) + gamma (shift - 1)) = exp(gamma (rho + shift)) and
 * E[g'(x) g'(y)] = gamma exp(gamma (rho + shift)). {@link #phi} and {@link #dphi} are g and g',
 * the action on a unit-variance pre-activation (e.g. one that follows LayerNorm); on inputs of
 * another scale a finite network built from phi does not reproduce this kernel. The activation
 * testkit checks it in that normalised frame ({@code ActivationContract.normalizesScale()}).
 */
public final class ExpNormalizedProvider extends BuiltinProvider {

    public ExpNormalizedProvider() {
        super("ExpNormalized", "kernel sqrt(q11 q22) exp(gamma (rho + shift)), Shankar et al. 2020 (no pointwise phi)",
                Parameter.number("gamma", 1, "exponent coefficient, >= 0"),
                Parameter.number("shift", -1, "shift of the normalised covariance"),
                Parameter.number("do_clip", 0, "true (1) to clip the normalised covariance to [-1, 1]"));
    }

    @Override
    public Activation create(Arguments arguments) {
        double gamma = arguments.number("gamma");
        double shift = arguments.number("shift");
        double clip = arguments.number("do_clip");
        if (!(gamma >= 0)) {
            throw new InvalidArgumentException("gamma", "parameter gamma must be >= 0, got " + gamma);
        }
        if (clip != 0 && clip != 1) {
            throw new InvalidArgumentException("do_clip", "parameter do_clip must be true or false (1 or 0), got " + clip);
        }
        String name = "ExpNormalized(gamma=" + Arguments.formatNumber(gamma) + ", shift=" + Arguments.formatNumber(shift)
                + ", do_clip=" + (clip == 1) + ")";
        return new ExpNormalized(name, gamma, shift, clip == 1);
    }

    static final class ExpNormalized extends ClosedFormActivation {
        private final double gamma;
        private final double shift;
        private final boolean clip;
        private final double rate;
        private final double offset;

        ExpNormalized(String name, double gamma, double shift, boolean clip) {
            super(name, "Shankar et al. 2020 (arXiv:2003.02237); neural-tangents ExpNormalized, whose kernel has no pointwise phi:"
                    + " phi is its action on unit-variance inputs");
            this.gamma = gamma;
            this.shift = shift;
            this.clip = clip;
            this.rate = Math.sqrt(gamma);
            this.offset = 0.5 * gamma * (shift - 1);
        }

        /** g(x) = exp(sqrt(gamma) x + gamma (shift - 1) / 2), the action on a unit-variance input. */
        @Override
        public double phi(double x) {
            return Math.exp(rate * x + offset);
        }

        @Override
        public double dphi(double x) {
            return rate * Math.exp(rate * x + offset);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e]) * Math.sqrt(q22[e]);
                double rho;
                if (!(s > 0)) {
                    rho = 0;
                } else {
                    rho = q12[e] / s;
                    if (clip) {
                        rho = rho > 1 ? 1 : (rho < -1 ? -1 : rho);
                    }
                }
                double ex = Math.exp(gamma * (rho + shift));
                nngp[e] = s * ex;
                if (dnngp != null) {
                    dnngp[e] = gamma * ex;
                }
            }
        }

        /**
         * The kernel map s exp(gamma (rho + shift)) is homogeneous of degree 1 in the input scale,
         * so dF/dq11 = (F - q12 dF/dq12) / (2 q11) = F (1 - gamma rho) / (2 q11)
         * ({@link ClosedFormActivation#homogeneousVarianceDerivatives}); false at a zero variance.
         */
        @Override
        public boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
            return homogeneousVarianceDerivatives(this, 1, q11, q12, q22, n, dq11, dq22);
        }

    }
}
