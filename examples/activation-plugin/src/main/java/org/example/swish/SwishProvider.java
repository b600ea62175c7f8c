package org.example.swish;

import java.util.List;
import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code Swish(beta=1)}: phi(x) = x sigmoid(beta x), the activation found by search in
 * Ramachandran, Zoph &amp; Le 2017 (arXiv:1710.05941); beta = 1 is SiLU (Elfwing et al. 2018),
 * and beta -&gt; infinity tends to Relu. Its derivative is
 * <pre>
 *   phi'(x) = s + beta x s (1 - s),   s = sigmoid(beta x).
 * </pre>
 * Swish has no closed-form Gaussian expectations, so they are computed by kernel-api's
 * Gauss-Hermite quadrature ({@link QuadratureActivation}, a {@code PointwiseActivation} of
 * kernel-api's support layer) from phi and phi' alone; the function is smooth, so no kinks are
 * declared. {@code kind()} is not written: the SPI's default reads {@code quadrature} from the
 * created activation.
 */
public final class SwishProvider implements ActivationProvider {

    @Override
    public String name() {
        return "Swish";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.number("beta", 1, "slope of the sigmoid gate"));
    }

    @Override
    public Activation create(Arguments arguments) {
        double beta = arguments.number("beta");
        if (!Double.isFinite(beta)) {
            throw new InvalidArgumentException("beta", "parameter beta of Swish must be a finite number, got " + beta);
        }
        return new QuadratureActivation(arguments.toSpec(name()),
                x -> x * sigmoid(beta * x),
                x -> {
                    double s = sigmoid(beta * x);
                    return s + beta * x * s * (1 - s);
                },
                new double[0]);
    }

    @Override
    public String description() {
        return "x sigmoid(beta x)";
    }

    /** 1 / (1 + exp(-t)), without overflow for large |t|. */
    static double sigmoid(double t) {
        if (t >= 0) {
            return 1 / (1 + Math.exp(-t));
        }
        double e = Math.exp(t);
        return e / (1 + e);
    }
}
