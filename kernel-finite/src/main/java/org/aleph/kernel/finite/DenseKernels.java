package org.aleph.kernel.finite;

/**
 * The three products of a dense layer on a batch, over primitive row-major arrays.
 * With Y the layer input (n x in), W the weights (out x in), delta the gradient at the output
 * (n x out) and c = W_std / sqrt(in):
 * <pre>
 *   forward   Z = c Y W^T + b_std 1 b^T
 *   backward  dY = c delta W
 *   update    W -= step c delta^T Y,   b -= step b_std delta^T 1
 * </pre>
 * Each output entry is summed in one fixed order by one task, so results are bit-for-bit
 * the same for any number of threads. Cost: n x in x out multiply-adds each.
 */
final class DenseKernels {

    /** Rows of W per task in the forward pass and the update. */
    private static final int ROW_BLOCK = 32;
    /** Columns of dY per task in the backward pass (a 2 KB segment per sample stays in L1). */
    private static final int COL_BLOCK = 256;

    private DenseKernels() {
    }

    /** z[s*out + o] = c * (y_s . w_o) + bs * b[o]. */
    static void forward(double[] y, int n, int in, double[] w, double[] b, int out, double c, double bs,
                        double[] z, Workers workers) {
        int tasks = (out + ROW_BLOCK - 1) / ROW_BLOCK;
        workers.run(tasks, (long) n * in * out, task -> {
            int o1 = Math.min(out, (task + 1) * ROW_BLOCK);
            for (int o = task * ROW_BLOCK; o < o1; o++) {
                int wo = o * in;
                double bias = bs * b[o];
                int s = 0;
                for (; s + 4 <= n; s += 4) {
                    int y0 = s * in;
                    int y1 = y0 + in;
                    int y2 = y1 + in;
                    int y3 = y2 + in;
                    double a0 = 0;
                    double a1 = 0;
                    double a2 = 0;
                    double a3 = 0;
                    for (int k = 0; k < in; k++) {
                        double wk = w[wo + k];
                        a0 += wk * y[y0 + k];
                        a1 += wk * y[y1 + k];
                        a2 += wk * y[y2 + k];
                        a3 += wk * y[y3 + k];
                    }
                    z[s * out + o] = c * a0 + bias;
                    z[(s + 1) * out + o] = c * a1 + bias;
                    z[(s + 2) * out + o] = c * a2 + bias;
                    z[(s + 3) * out + o] = c * a3 + bias;
                }
                for (; s < n; s++) {
                    int ys = s * in;
                    double a = 0;
                    for (int k = 0; k < in; k++) {
                        a += w[wo + k] * y[ys + k];
                    }
                    z[s * out + o] = c * a + bias;
                }
            }
        });
    }

    /**
     * dy[s*in + k] = c * sum_o delta[s*out + o] w[o*in + k], summed over o in groups of four
     * rows of W (one pass over dy per group), always in the same order.
     */
    static void backward(double[] delta, int n, int out, double[] w, int in, double c, double[] dy, Workers workers) {
        int tasks = (in + COL_BLOCK - 1) / COL_BLOCK;
        workers.run(tasks, (long) n * in * out, task -> {
            int k0 = task * COL_BLOCK;
            int k1 = Math.min(in, k0 + COL_BLOCK);
            for (int s = 0; s < n; s++) {
                java.util.Arrays.fill(dy, s * in + k0, s * in + k1, 0.0);
            }
            int o = 0;
            for (; o + 4 <= out; o += 4) {
                int w0 = o * in;
                int w1 = w0 + in;
                int w2 = w1 + in;
                int w3 = w2 + in;
                for (int s = 0; s < n; s++) {
                    int ds = s * out + o;
                    double a0 = delta[ds];
                    double a1 = delta[ds + 1];
                    double a2 = delta[ds + 2];
                    double a3 = delta[ds + 3];
                    if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) {
                        continue;
                    }
                    int ys = s * in;
                    for (int k = k0; k < k1; k++) {
                        dy[ys + k] += a0 * w[w0 + k] + a1 * w[w1 + k] + a2 * w[w2 + k] + a3 * w[w3 + k];
                    }
                }
            }
            for (; o < out; o++) {
                int wo = o * in;
                for (int s = 0; s < n; s++) {
                    double a = delta[s * out + o];
                    if (a != 0) {
                        int ys = s * in;
                        for (int k = k0; k < k1; k++) {
                            dy[ys + k] += a * w[wo + k];
                        }
                    }
                }
            }
            for (int s = 0; s < n; s++) {
                for (int k = s * in + k0; k < s * in + k1; k++) {
                    dy[k] *= c;
                }
            }
        });
    }

    /**
     * One gradient step on a dense layer: w[o][k] -= stepW * sum_s delta[s][o] y[s][k] and
     * b[o] -= stepB * sum_s delta[s][o] (stepW already includes c, stepB includes b_std).
     */
    static void update(double[] w, double[] b, int out, int in, double[] delta, double[] y, int n,
                       double stepW, double stepB, Workers workers) {
        int tasks = (out + ROW_BLOCK - 1) / ROW_BLOCK;
        workers.run(tasks, (long) n * in * out, task -> {
            double[] g = new double[in];
            int o1 = Math.min(out, (task + 1) * ROW_BLOCK);
            for (int o = task * ROW_BLOCK; o < o1; o++) {
                java.util.Arrays.fill(g, 0.0);
                double gb = 0;
                int s = 0;
                for (; s + 4 <= n; s += 4) {
                    double a0 = delta[s * out + o];
                    double a1 = delta[(s + 1) * out + o];
                    double a2 = delta[(s + 2) * out + o];
                    double a3 = delta[(s + 3) * out + o];
                    gb += a0 + a1 + a2 + a3;
                    int y0 = s * in;
                    int y1 = y0 + in;
                    int y2 = y1 + in;
                    int y3 = y2 + in;
                    for (int k = 0; k < in; k++) {
                        g[k] += a0 * y[y0 + k] + a1 * y[y1 + k] + a2 * y[y2 + k] + a3 * y[y3 + k];
                    }
                }
                for (; s < n; s++) {
                    double a = delta[s * out + o];
                    gb += a;
                    int ys = s * in;
                    for (int k = 0; k < in; k++) {
                        g[k] += a * y[ys + k];
                    }
                }
                int wo = o * in;
                for (int k = 0; k < in; k++) {
                    w[wo + k] -= stepW * g[k];
                }
                b[o] -= stepB * gb;
            }
        });
    }

    /** g[i*nb + j] = a_i . b_j for the rows of a (na x m) and b (nb x m). */
    static double[] cross(double[] a, int na, double[] b, int nb, int m) {
        double[] g = new double[na * nb];
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                double s = 0;
                int ai = i * m;
                int bj = j * m;
                for (int k = 0; k < m; k++) {
                    s += a[ai + k] * b[bj + k];
                }
                g[i * nb + j] = s;
            }
        }
        return g;
    }
}
