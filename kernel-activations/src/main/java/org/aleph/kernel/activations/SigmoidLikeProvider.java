package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Sigmoid_like}: phi(x) = erf(x / {@value #WIDTH}) / 2 + 1/2, neural-tangents'
 * {@code stax.Sigmoid_like}, an erf surrogate of the logistic sigmoid whose constant minimises
 * the squared difference to 1 / (1 + e^-x) on [-5, 5]. It is {@code Erf(a=1/2, b=1/WIDTH, c=1/2)}
 * exactly as in neural-tangents, so its kernels are Williams' (NIPS 1997, see {@link ErfProvider})
 * with the shift: E[phi(u)phi(v)] = (1/4)(2/pi) arcsin(2 b^2 q12 / sqrt(P_1 P_2)) + 1/4 (erf is odd,
 * so the cross terms vanish), E[phi'(u)phi'(v)] = (b^2 / pi) / sqrt(D).
 */
public final class SigmoidLikeProvider extends BuiltinProvider {

    /** neural-tangents' constant 2.4020563531719796. */
    static final double WIDTH = 2.4020563531719796;

    private static final Activation SIGMOID_LIKE = new ErfProvider.Erf("Sigmoid_like", 0.5, 1 / WIDTH, 0.5);

    public SigmoidLikeProvider() {
        super("Sigmoid_like", "erf(x / 2.4020563531719796) / 2 + 1/2, neural-tangents' erf surrogate of the sigmoid");
    }

    @Override
    public Activation create(Arguments arguments) {
        return SIGMOID_LIKE;
    }
}
