package org.aleph.kernel.dynamics;

/**
 * The gradient of a training loss L(f, y) with respect to the training outputs f (n x k,
 * row-major). The loss is an average over the N = n k targets, as neural-tangents' losses
 * are, so the function-space flow is df/dt = -eta Theta grad_f L. Implementations must not
 * keep references to the arrays.
 */
@FunctionalInterface
public interface LossGradient {

    /**
     * Writes dL/df into {@code out}.
     *
     * @param f   the current training outputs, n x k
     * @param y   the training targets, n x k
     * @param n   training points
     * @param k   outputs per point
     * @param out the gradient, n x k (overwritten)
     */
    void gradient(double[] f, double[] y, int n, int k, double[] out);

    /** L = (1/2N) sum (f - y)^2: gradient (f - y) / N. */
    static LossGradient meanSquaredError() {
        return (f, y, n, k, out) -> {
            double scale = 1.0 / (n * (double) k);
            for (int i = 0; i < out.length; i++) {
                out[i] = (f[i] - y[i]) * scale;
            }
        };
    }

    /**
     * Softmax cross-entropy averaged over all targets, neural-tangents' example
     * {@code -mean(log_softmax(f) * y)}: L = -(1/N) sum_i sum_j y_ij log softmax(f_i)_j, with
     * gradient (softmax(f_i)_j sum_l y_il - y_ij) / N (the softmax computed with the row maximum
     * subtracted, so it never overflows).
     */
    static LossGradient softmaxCrossEntropy() {
        return (f, y, n, k, out) -> {
            double scale = 1.0 / (n * (double) k);
            for (int i = 0; i < n; i++) {
                int off = i * k;
                double max = Double.NEGATIVE_INFINITY;
                double ySum = 0;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, f[off + j]);
                    ySum += y[off + j];
                }
                double z = 0;
                for (int j = 0; j < k; j++) {
                    out[off + j] = Math.exp(f[off + j] - max);
                    z += out[off + j];
                }
                for (int j = 0; j < k; j++) {
                    out[off + j] = (out[off + j] / z * ySum - y[off + j]) * scale;
                }
            }
        };
    }
}
