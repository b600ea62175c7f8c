package org.aleph.kernel.activations.quadrature;

/**
 * Numerically stable pointwise pieces shared by the quadrature built-ins: the logistic
 * sigmoid, its derivative and softplus, each exact to a few ulps over the whole real line
 * (no overflow of exp, no cancellation in log(1 + e^x)).
 */
final class Smooth {

    private Smooth() {
    }

    /** sigma(x) = 1 / (1 + e^-x). */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** sigma'(x) = sigma(x) sigma(-x) = e^-|x| / (1 + e^-|x|)^2. */
    static double sigmoidDerivative(double x) {
        double e = Math.exp(-Math.abs(x));
        double d = 1 + e;
        return e / (d * d);
    }

    /** softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|). */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** tanh'(x) = 1 / cosh^2(x) = 4 e^(-2|x|) / (1 + e^(-2|x|))^2. */
    static double tanhDerivative(double x) {
        double e = Math.exp(-2 * Math.abs(x));
        double d = 1 + e;
        return 4 * e / (d * d);
    }
}
