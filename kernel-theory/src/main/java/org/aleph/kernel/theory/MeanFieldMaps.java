package org.aleph.kernel.theory;

import java.util.Objects;
import org.aleph.kernel.spi.Activation;

/**
 * The two mean-field maps of a deep fully connected network, evaluated for whole blocks of
 * points through {@link Activation#expectations} (one call per block, never one per point).
 *
 * <p>With pre-activation variance q and weight / bias variances sigma_w^2, sigma_b^2
 * (Poole et al. 2016, eqs. 3 and 5):
 * <pre>
 *   length map       V(q)   = sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2,            z ~ N(0, 1)
 *   correlation map  f_q(c) = (sigma_w^2 E[phi(u) phi(v)] + sigma_b^2) / V(q),       (u, v) ~ N(0, q [[1, c], [c, 1]])
 * </pre>
 * At a fixed point q* = V(q*) the correlation map is exactly Poole et al.'s
 * c' = (sigma_w^2 E[phi(u)phi(v)] + sigma_b^2) / q*; dividing by V(q) instead of q* also keeps
 * f_q(1) = 1 where q* is 0 or infinite (positively homogeneous activations such as Relu with
 * sigma_b = 0), where the ratio is the limit of the map along the layers.
 *
 * <p>Derivatives come from Price's theorem, d E[phi(u)phi(v)] / d q12 = E[phi'(u)phi'(v)]:
 * f_q'(c) = sigma_w^2 q E[phi'(u)phi'(v)] / V(q), which is sigma_w^2 E[phi'(u)phi'(v)] at q*.
 */
final class MeanFieldMaps {

    private final Activation activation;

    MeanFieldMaps(Activation activation) {
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    Activation activation() {
        return activation;
    }

    /**
     * out[i] = V(q[i]) = sw2[i] E[phi(u)^2] + sb2[i], and, when {@code chi} is not null,
     * chi[i] = sw2[i] E[phi'(u)^2], for u ~ N(0, q[i]).
     */
    void length(double[] q, double[] sw2, double[] sb2, int n, double[] out, double[] chi) {
        activation.expectations(q, q, q, n, out, chi);
        for (int i = 0; i < n; i++) {
            out[i] = sw2[i] * out[i] + sb2[i];
            if (chi != null) {
                chi[i] = sw2[i] * chi[i];
            }
        }
    }

    /**
     * out[i] = f_q(c[i]) for variance q[i] with normaliser vq[i] = V(q[i]); when
     * {@code slope} is not null, slope[i] = f_q'(c[i]). {@code work} holds at least n entries.
     */
    void correlation(double[] q, double[] c, double[] sw2, double[] sb2, double[] vq, int n,
                     double[] out, double[] slope, double[] work) {
        for (int i = 0; i < n; i++) {
            double ci = c[i] > 1 ? 1 : (c[i] < -1 ? -1 : c[i]);
            work[i] = ci * q[i];
        }
        activation.expectations(q, work, q, n, out, slope);
        for (int i = 0; i < n; i++) {
            double norm = vq[i];
            out[i] = norm > 0 ? (sw2[i] * out[i] + sb2[i]) / norm : 1.0;
            if (slope != null) {
                slope[i] = norm > 0 ? sw2[i] * q[i] * slope[i] / norm : 0.0;
            }
        }
    }
}
