package org.aleph.kernel.activations;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;

/**
 * {@code Cos(a=1, b=1, c=0)}: phi(x) = a cos(b x + c) (neural-tangents {@code stax.Cos}, which is
 * {@code Sin(a, b, c + pi/2)}). As a sine with phase c + pi/2, cos^2 and sin^2 of the phase
 * swap: with x = b^2 q12 and E0 = exp(-b^2 (q11 + q22) / 2),
 * <pre>
 *   E[phi(u)phi(v)]   = a^2 E0 (sin^2(c) sinh(x) + cos^2(c) cosh(x))
 *   E[phi'(u)phi'(v)] = a^2 b^2 E0 (cos^2(c) sinh(x) + sin^2(c) cosh(x))
 * </pre>
 * (the Gaussian characteristic function; kernels in {@link SinusoidActivation}). For c = 0,
 * sin^2(c) = 0 exactly: E[cos u cos v] = exp(-(q11 + q22)/2) cosh(q12).
 */
public final class CosProvider extends BuiltinProvider {

    public CosProvider() {
        super("Cos", "a cos(b x + c)",
                Parameter.number("a", 1, "output scale"),
                Parameter.number("b", 1, "frequency"),
                Parameter.number("c", 0, "phase"));
    }

    @Override
    public Activation create(Arguments arguments) {
        double a = arguments.number("a");
        double b = arguments.number("b");
        double c = arguments.number("c");
        double cos = Math.cos(c);
        double sin = Math.sin(c);
        // a cos(b x + c) = a sin(b x + c + pi/2): cos^2 and sin^2 of the phase are swapped
        return new SinusoidActivation(arguments.toSpec(name()), a, b, c + Math.PI / 2, sin * sin, cos * cos) {
            @Override
            public double phi(double x) {
                return a * Math.cos(b * x + c);
            }

            @Override
            public double dphi(double x) {
                return -a * b * Math.sin(b * x + c);
            }
        };
    }
}
