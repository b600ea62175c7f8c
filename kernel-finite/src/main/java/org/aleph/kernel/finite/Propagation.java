package org.aleph.kernel.finite;

import java.util.List;
import org.aleph.kernel.Layer;
import org.aleph.kernel.spi.Activation;

/**
 * Forward pass and exact backpropagation (reverse-mode differentiation) through the ops of
 * an {@link Architecture} for a batch of n samples (row-major, NHWC per sample). The forward
 * pass can record what each op's backward rule needs (the trace: the im2col rows of a linear
 * op, the input of the others); the backward pass turns the gradient at the output into the
 * gradient at every op's input, using phi' from the activation (its almost-everywhere
 * derivative), and hands each linear op its output gradient and its im2col rows to a
 * {@link LinearVisitor}.
 *
 * <p>Backward rules: linear {@code dcol = c delta W}, {@code dy = col2im(dcol)}; activation
 * {@code dz = phi'(z) dy}; normalisation per pixel {@code y = z / r} with
 * {@code r = sqrt(eps + |z|^2/m)} over its m channels: {@code dz = dy / r - z (z . dy) / (m r^3)};
 * dropout multiplies by its mask {@code m / keep} both ways;
 * average pooling spreads {@code dz / window} over the window; global pooling spreads
 * {@code dz / pixels} over every pixel; branches {@code dz = sum_b branch_b'(dy_b)} with
 * {@code dy_b = dy} for a sum, {@code dy prod_(c != b) y_c} for a product, branch b's channels of
 * dy for a concatenation (a residual: {@code dz = dy + branch'(dy)}).
 */
final class Propagation {

    /** Receives, for each linear op in reverse order, its output gradient (n P_out x out) and its im2col rows. */
    interface LinearVisitor {
        /** Called after the gradient at the op's input has been computed from the current weights. */
        void visit(Op.Linear op, double[] delta, double[] col);
    }

    private final double[][] w;
    private final double[][] b;
    private final Workers workers;
    /** The network's seed, from which each Dropout op draws the mask of each input row. */
    private final long seed;

    Propagation(double[][] w, double[][] b, Workers workers) {
        this(w, b, workers, 0L);
    }

    Propagation(double[][] w, double[][] b, Workers workers, long seed) {
        this.w = w;
        this.b = b;
        this.workers = workers;
        this.seed = seed;
    }

    /**
     * The scaled Dropout mask m / keep of one op for n samples: row s drawn from the stream
     * (seed, -100 - id, s), so a row keeps its mask between passes and rows are independent.
     */
    private double[] mask(Op.Drop d, int n) {
        int size = d.size();
        double[] m = new double[n * size];
        double inv = 1.0 / d.keep();
        for (int s = 0; s < n; s++) {
            java.util.SplittableRandom rng = Seeds.stream(seed, -100L - d.id(), s);
            for (int e = s * size; e < (s + 1) * size; e++) {
                m[e] = rng.nextDouble() < d.keep() ? inv : 0.0;
            }
        }
        return m;
    }

    /** The output for a batch x (n samples of the first op's input); records into trace if non-null. */
    double[] forward(List<Op> ops, double[] x, int n, double[][] trace) {
        Forward f = new Forward(n, trace);
        f.x = x;
        f.run(ops);
        return f.x;
    }

    /** The gradient at the input of ops, given the gradient at their output; visits linear ops. */
    double[] backward(List<Op> ops, double[] delta, int n, double[][] trace, LinearVisitor visitor) {
        Backward bw = new Backward(n, trace, visitor);
        bw.delta = delta;
        bw.run(ops);
        return bw.delta;
    }

    private final class Forward implements Op.Visitor<double[]> {
        private final int n;
        private final double[][] trace;
        double[] x;

        Forward(int n, double[][] trace) {
            this.n = n;
            this.trace = trace;
        }

        void run(List<Op> ops) {
            for (Op op : ops) {
                if (trace != null) {
                    trace[op.id()] = x;
                }
                x = op.accept(this);
            }
        }

        @Override
        public double[] linear(Op.Linear d) {
            double[] col = d.window().im2col(x, n, d.in(), workers);
            if (trace != null) {
                trace[d.id()] = col;
            }
            int rows = n * d.rowsPerSample();
            double[] z = new double[rows * d.out()];
            DenseKernels.forward(col, rows, d.fanIn(), w[d.index()], b[d.index()], d.out(), d.scale(), d.bStd(), z, workers);
            return z;
        }

        @Override
        public double[] act(Op.Act a) {
            Activation act = a.activation();
            double[] y = new double[x.length];
            for (int e = 0; e < x.length; e++) {
                y[e] = act.phi(x[e]);
            }
            return y;
        }

        @Override
        public double[] norm(Op.Norm m) {
            int c = m.channels();
            double[] y = new double[x.length];
            for (int g = 0; g < n * m.pixels(); g++) {
                double r = rms(x, g * c, c, m.eps());
                double inv = r > 0 ? 1.0 / r : 1.0;
                for (int e = g * c; e < (g + 1) * c; e++) {
                    y[e] = x[e] * inv;
                }
            }
            return y;
        }

        @Override
        public double[] fork(Op.Fork f) {
            double[] in = x;
            int k = f.branches().size();
            double[][] outs = new double[k][];
            for (int b = 0; b < k; b++) {
                x = in;
                run(f.branches().get(b));
                outs[b] = x;
                if (trace != null) {
                    trace[f.outIds()[b]] = x;
                }
            }
            if (f.join() == Layer.FanIn.CONCAT) {
                return concat(outs, f, n);
            }
            double[] z = outs[0].clone();
            for (int b = 1; b < k; b++) {
                double[] o = outs[b];
                for (int e = 0; e < z.length; e++) {
                    z[e] = f.join() == Layer.FanIn.SUM ? z[e] + o[e] : z[e] * o[e];
                }
            }
            return z;
        }

        @Override
        public double[] pool(Op.Pool p) {
            return p.window().pool(x, n, p.channels());
        }

        @Override
        public double[] drop(Op.Drop d) {
            double[] m = mask(d, n);
            if (trace != null) {
                trace[d.id()] = m;
            }
            double[] y = new double[x.length];
            for (int e = 0; e < y.length; e++) {
                y[e] = x[e] * m[e];
            }
            return y;
        }

        @Override
        public double[] globalPool(Op.GlobalPool g) {
            int c = g.channels();
            int pixels = g.pixels();
            double[] z = new double[n * c];
            for (int s = 0; s < n; s++) {
                for (int p = 0; p < pixels; p++) {
                    int o = (s * pixels + p) * c;
                    for (int ch = 0; ch < c; ch++) {
                        z[s * c + ch] += x[o + ch];
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    z[s * c + ch] /= pixels;
                }
            }
            return z;
        }
    }

    private final class Backward implements Op.Visitor<double[]> {
        private final int n;
        private final double[][] trace;
        private final LinearVisitor visitor;
        double[] delta;

        Backward(int n, double[][] trace, LinearVisitor visitor) {
            this.n = n;
            this.trace = trace;
            this.visitor = visitor;
        }

        void run(List<Op> ops) {
            for (int i = ops.size() - 1; i >= 0; i--) {
                delta = ops.get(i).accept(this);
            }
        }

        @Override
        public double[] linear(Op.Linear d) {
            int rows = n * d.rowsPerSample();
            double[] dcol = new double[rows * d.fanIn()];
            DenseKernels.backward(delta, rows, d.out(), w[d.index()], d.fanIn(), d.scale(), dcol, workers);
            visitor.visit(d, delta, trace[d.id()]);
            return d.window().col2im(dcol, n, d.in(), workers);
        }

        @Override
        public double[] act(Op.Act a) {
            Activation act = a.activation();
            double[] in = trace[a.id()];
            double[] dz = new double[delta.length];
            for (int e = 0; e < dz.length; e++) {
                dz[e] = delta[e] == 0 ? 0.0 : delta[e] * act.dphi(in[e]);
            }
            return dz;
        }

        @Override
        public double[] norm(Op.Norm m) {
            double[] x = trace[m.id()];
            int c = m.channels();
            double[] dz = new double[delta.length];
            for (int g = 0; g < n * m.pixels(); g++) {
                int o = g * c;
                double r = rms(x, o, c, m.eps());
                if (!(r > 0)) {
                    System.arraycopy(delta, o, dz, o, c);
                    continue;
                }
                double dot = 0;
                for (int e = o; e < o + c; e++) {
                    dot += x[e] * delta[e];
                }
                double a = 1.0 / r;
                double bb = dot / (c * r * r * r);
                for (int e = o; e < o + c; e++) {
                    dz[e] = a * delta[e] - bb * x[e];
                }
            }
            return dz;
        }

        @Override
        public double[] fork(Op.Fork f) {
            double[] out = delta;
            int k = f.branches().size();
            double[] dz = null;
            int offset = 0;
            for (int b = 0; b < k; b++) {
                double[] db;
                if (f.join() == Layer.FanIn.SUM) {
                    db = out;
                } else if (f.join() == Layer.FanIn.PROD) {
                    db = out.clone();
                    for (int c = 0; c < k; c++) {
                        if (c != b) {
                            double[] o = trace[f.outIds()[c]];
                            for (int e = 0; e < db.length; e++) {
                                db[e] *= o[e];
                            }
                        }
                    }
                } else {
                    db = slice(out, f, n, b, offset);
                    offset += f.channels()[b];
                }
                delta = db;
                run(f.branches().get(b));
                if (dz == null) {
                    dz = delta.clone();
                } else {
                    for (int e = 0; e < dz.length; e++) {
                        dz[e] += delta[e];
                    }
                }
            }
            return dz;
        }

        @Override
        public double[] pool(Op.Pool p) {
            return p.window().poolBackward(delta, n, p.channels());
        }

        @Override
        public double[] drop(Op.Drop d) {
            double[] m = trace[d.id()];
            double[] dz = new double[delta.length];
            for (int e = 0; e < dz.length; e++) {
                dz[e] = delta[e] * m[e];
            }
            return dz;
        }

        @Override
        public double[] globalPool(Op.GlobalPool g) {
            int c = g.channels();
            int pixels = g.pixels();
            double[] dy = new double[n * pixels * c];
            for (int s = 0; s < n; s++) {
                for (int p = 0; p < pixels; p++) {
                    int o = (s * pixels + p) * c;
                    for (int ch = 0; ch < c; ch++) {
                        dy[o + ch] = delta[s * c + ch] / pixels;
                    }
                }
            }
            return dy;
        }
    }

    /** Per sample and pixel, the channels of each branch in turn. */
    private static double[] concat(double[][] outs, Op.Fork f, int n) {
        int total = java.util.Arrays.stream(f.channels()).sum();
        int rows = n * f.pixels();
        double[] z = new double[rows * total];
        int offset = 0;
        for (int b = 0; b < outs.length; b++) {
            int c = f.channels()[b];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(outs[b], r * c, z, r * total + offset, c);
            }
            offset += c;
        }
        return z;
    }

    /** Branch b's channels (from {@code offset}) of a concatenated array. */
    private static double[] slice(double[] z, Op.Fork f, int n, int b, int offset) {
        int total = java.util.Arrays.stream(f.channels()).sum();
        int rows = n * f.pixels();
        int c = f.channels()[b];
        double[] out = new double[rows * c];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(z, r * total + offset, out, r * c, c);
        }
        return out;
    }

    /** sqrt(eps + |x|^2 / m) over m values from offset. */
    private static double rms(double[] x, int offset, int m, double eps) {
        double q = 0;
        for (int e = offset; e < offset + m; e++) {
            q += x[e] * x[e];
        }
        return Math.sqrt(eps + q / m);
    }
}
