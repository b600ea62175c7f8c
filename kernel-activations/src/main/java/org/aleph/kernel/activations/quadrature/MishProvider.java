package org.aleph.kernel.activations.quadrature;

import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * {@code Mish}: phi(x) = x tanh(softplus(x)) (Misra, "Mish: a self regularized non-monotonic
 * activation function", 2019). With e = exp(x), tanh(softplus(x)) = (e^2 + 2e) / (e^2 + 2e + 2),
 * evaluated with exp(-x) for x &gt; 0 so that nothing overflows, and
 * phi'(x) = tanh(sp) + x sech^2(sp) sigmoid(x), sech^2(sp) = 1 - tanh^2(sp) formed from
 * 1 - tanh(sp) without cancellation. Expectations by {@link QuadratureActivation}.
 */
public final class MishProvider extends QuadratureProvider {

    public MishProvider() {
        super("Mish", "x tanh(softplus(x))");
    }

    @Override
    public Activation create(Arguments arguments) {
        return new QuadratureActivation("Mish", MishProvider::mish, MishProvider::mishDerivative, new double[0]);
    }

    /** tanh(softplus(x)). */
    static double tsp(double x) {
        if (x > 0) {
            double e = Math.exp(-x);
            return (1 + 2 * e) / (1 + 2 * e + 2 * e * e);
        }
        double e = Math.exp(x);
        double num = e * (e + 2);
        return num / (num + 2);
    }

    /** 1 - tanh(softplus(x)). */
    static double oneMinusTsp(double x) {
        if (x > 0) {
            double e = Math.exp(-x);
            return 2 * e * e / (1 + 2 * e + 2 * e * e);
        }
        double e = Math.exp(x);
        return 2 / (e * (e + 2) + 2);
    }

    static double mish(double x) {
        return x * tsp(x);
    }

    static double mishDerivative(double x) {
        double t = tsp(x);
        double sech2 = oneMinusTsp(x) * (1 + t);
        return t + x * sech2 * Smooth.sigmoid(x);
    }
}
