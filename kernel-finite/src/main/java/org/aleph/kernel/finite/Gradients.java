package org.aleph.kernel.finite;

/**
 * The parameter Jacobian and the empirical NTK of a finite network from exact
 * backpropagation ({@link Propagation}); never by finite differences. A linear op (Dense,
 * per-pixel Dense or convolution, all one product on im2col rows) with rows {@code col} and
 * output gradient {@code delta} (P rows per sample, P = output pixels) has the per-sample
 * gradients {@code dW[o, j] = c sum_p delta[p, o] col[p, j]} and {@code db[o] = b_std sum_p delta[p, o]},
 * since a convolution shares its weights over the pixels (Novak et al. 2019; Arora et al. 2019);
 * in the standard parameterisation c and b_std become {@code sqrt(N_in / fan_in)} and 1
 * ({@link Op.Linear#weightGradient()}, {@link Op.Linear#biasGradient()}).
 */
final class Gradients {

    private Gradients() {
    }

    /** Runs the forward pass and one backward pass per output head, handing each linear op's gradient to the visitor. */
    static void backpropagateHeads(Architecture arch, Propagation prop, double[] x, int n, HeadVisitor visitor) {
        double[][] trace = new double[arch.opCount][];
        prop.forward(arch.ops, x, n, trace);
        int k = arch.outputs;
        for (int a = 0; a < k; a++) {
            int head = a;
            prop.backward(arch.ops, unitGradient(n, k, a), n, trace, (op, delta, col) -> visitor.visit(head, op, delta, col));
        }
    }

    /** Receives each linear op's output gradient for one head. */
    interface HeadVisitor {
        void visit(int head, Op.Linear op, double[] delta, double[] col);
    }

    /**
     * The Jacobian, row {@code s k + a} holding d f_a(x_s) / dp over the parameters in the order
     * of {@link FiniteNetwork#parameters()}.
     */
    static double[] jacobian(Architecture arch, Propagation prop, double[] x, int n, int p) {
        int k = arch.outputs;
        int[] offset = new int[arch.linear.size()];
        for (int l = 1; l < offset.length; l++) {
            Op.Linear prev = arch.linear.get(l - 1);
            offset[l] = offset[l - 1] + prev.out() * prev.fanIn() + prev.out();
        }
        double[] jac = new double[Math.multiplyExact(n * k, p)];
        backpropagateHeads(arch, prop, x, n, (head, op, delta, col) -> {
            double c = op.weightGradient();
            int ow = offset[op.index()];
            int out = op.out();
            int fan = op.fanIn();
            int ob = ow + out * fan;
            int rows = op.rowsPerSample();
            for (int s = 0; s < n; s++) {
                int row = (s * k + head) * p;
                for (int r = s * rows; r < (s + 1) * rows; r++) {
                    for (int o = 0; o < out; o++) {
                        double g = delta[r * out + o];
                        for (int j = 0; j < fan; j++) {
                            jac[row + ow + o * fan + j] += c * g * col[r * fan + j];
                        }
                        jac[row + ob + o] += op.biasGradient() * g;
                    }
                }
            }
        });
        return jac;
    }

    /**
     * The empirical NTK {@code Theta[(s,a),(t,b)] = sum_p df_a(x_s)/dp df_b(x_t)/dp}, an
     * (n k) x (n k) matrix indexed by {@code s k + a}, without the Jacobian: a linear op adds
     * {@code sum over pixel pairs (p, q) of (c^2 col_sp . col_tq + b_std^2) (delta_a,sp . delta_b,tq)}.
     * One task per sample s writes the rows of s, so the result does not depend on the threads.
     */
    static double[] ntk(Architecture arch, Propagation prop, double[] x, int n, Workers workers) {
        int k = arch.outputs;
        int layers = arch.linear.size();
        double[][][] deltas = new double[layers][k][];
        double[][] cols = new double[layers][];
        backpropagateHeads(arch, prop, x, n, (head, op, delta, col) -> {
            deltas[op.index()][head] = delta;
            cols[op.index()] = col;
        });
        int m = n * k;
        double[] theta = new double[m * m];
        for (Op.Linear d : arch.linear) {
            int l = d.index();
            double c2 = d.weightGradient() * d.weightGradient();
            double b2 = d.biasGradient() * d.biasGradient();
            int rows = d.rowsPerSample();
            int fan = d.fanIn();
            int out = d.out();
            double[] col = cols[l];
            double[][] dl = deltas[l];
            long work = (long) n * n * rows * rows * (fan + (long) k * k * out);
            workers.run(n, work, s -> {
                double[] g = new double[rows * rows];
                for (int t = 0; t < n; t++) {
                    for (int p = 0; p < rows; p++) {
                        for (int q = 0; q < rows; q++) {
                            g[p * rows + q] = c2 * dot(col, (s * rows + p) * fan, col, (t * rows + q) * fan, fan) + b2;
                        }
                    }
                    for (int a = 0; a < k; a++) {
                        for (int bb = 0; bb < k; bb++) {
                            double acc = 0;
                            for (int p = 0; p < rows; p++) {
                                for (int q = 0; q < rows; q++) {
                                    acc += g[p * rows + q] * dot(dl[a], (s * rows + p) * out, dl[bb], (t * rows + q) * out, out);
                                }
                            }
                            theta[(s * k + a) * m + t * k + bb] += acc;
                        }
                    }
                }
            });
        }
        return theta;
    }

    private static double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    static double[] unitGradient(int n, int k, int head) {
        double[] g = new double[n * k];
        for (int s = 0; s < n; s++) {
            g[s * k + head] = 1.0;
        }
        return g;
    }
}
