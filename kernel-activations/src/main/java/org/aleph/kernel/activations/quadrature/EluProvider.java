package org.aleph.kernel.activations.quadrature;

import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code Elu(alpha=1)}: phi(x) = x for x &gt; 0, alpha (exp(x) - 1) otherwise (Clevert et al.
 * 2016; neural-tangents {@code stax.Elu}), evaluated with expm1; phi'(x) = 1 for x &gt; 0,
 * alpha exp(x) for x &lt; 0 and (1 + alpha) / 2 at the kink 0. The expectations come from
 * {@link QuadratureActivation}, split at the kink.
 */
public final class EluProvider extends QuadratureProvider {

    public EluProvider() {
        super("Elu", "x > 0 ? x : alpha (exp(x) - 1)", Parameter.number("alpha", 1, "scale of the negative part"));
    }

    @Override
    public Activation create(Arguments arguments) {
        double alpha = arguments.number("alpha");
        return new QuadratureActivation(arguments.toSpec(name()),
                x -> elu(alpha, x), x -> eluDerivative(alpha, x), new double[] {0.0});
    }

    static double elu(double alpha, double x) {
        return x > 0 ? x : alpha * Math.expm1(x);
    }

    static double eluDerivative(double alpha, double x) {
        return x > 0 ? 1.0 : (x < 0 ? alpha * Math.exp(x) : 0.5 * (1 + alpha));
    }
}
