package org.aleph.kernel.finite;

import java.util.List;
import org.aleph.kernel.spi.Activation;

/**
 * Forward pass and exact backpropagation (reverse-mode differentiation) through the ops of
 * an {@link Architecture} for a batch of n samples. Activations are row-major n x width
 * arrays. The forward pass can record the input of every op (the trace); the backward pass
 * turns the gradient at the output into the gradient at every op's input, using phi' from
 * the activation (its almost-everywhere derivative), and hands each Dense layer its output
 * gradient and its input to a {@link DenseVisitor}.
 *
 * <p>Backward rules: Dense {@code dy = c W^T dz}; activation {@code dz = phi'(z) dy};
 * normalisation {@code y = z / r} with {@code r = sqrt(|z|^2/m)}:
 * {@code dz = dy / r - z (z . dy) / (m r^3)}; residual {@code dz = dy + branch'(dy)}.
 */
final class Propagation {

    /** Receives, for each Dense layer in reverse order, its output gradient and its input. */
    interface DenseVisitor {
        /** Called after the gradient at the layer's input has been computed from the current weights. */
        void visit(Op.Dense op, double[] delta, double[] input);
    }

    private final double[][] w;
    private final double[][] b;
    private final Workers workers;

    Propagation(double[][] w, double[][] b, Workers workers) {
        this.w = w;
        this.b = b;
        this.workers = workers;
    }

    /** The output for a batch x (n x width of the first op); records op inputs into trace if non-null. */
    double[] forward(List<Op> ops, double[] x, int n, double[][] trace) {
        for (Op op : ops) {
            if (trace != null) {
                trace[op.id()] = x;
            }
            if (op instanceof Op.Dense d) {
                double[] z = new double[n * d.out()];
                DenseKernels.forward(x, n, d.in(), w[d.index()], b[d.index()], d.out(), d.scale(), d.bStd(), z, workers);
                x = z;
            } else if (op instanceof Op.Act a) {
                x = apply(a.activation(), x);
            } else if (op instanceof Op.Norm m) {
                x = normalise(x, n, m.width());
            } else if (op instanceof Op.Skip s) {
                double[] f = forward(s.branch(), x, n, trace);
                double[] z = new double[x.length];
                for (int e = 0; e < z.length; e++) {
                    z[e] = x[e] + f[e];
                }
                x = z;
            }
        }
        return x;
    }

    /** The gradient at the input of ops, given the gradient at their output; visits Dense layers. */
    double[] backward(List<Op> ops, double[] delta, int n, double[][] trace, DenseVisitor visitor) {
        for (int i = ops.size() - 1; i >= 0; i--) {
            Op op = ops.get(i);
            double[] in = trace[op.id()];
            if (op instanceof Op.Dense d) {
                double[] dy = new double[n * d.in()];
                DenseKernels.backward(delta, n, d.out(), w[d.index()], d.in(), d.scale(), dy, workers);
                visitor.visit(d, delta, in);
                delta = dy;
            } else if (op instanceof Op.Act a) {
                Activation act = a.activation();
                double[] dz = new double[delta.length];
                for (int e = 0; e < dz.length; e++) {
                    dz[e] = delta[e] == 0 ? 0.0 : delta[e] * act.dphi(in[e]);
                }
                delta = dz;
            } else if (op instanceof Op.Norm m) {
                delta = normaliseBackward(in, delta, n, m.width());
            } else if (op instanceof Op.Skip s) {
                double[] branch = backward(s.branch(), delta, n, trace, visitor);
                double[] dz = new double[delta.length];
                for (int e = 0; e < dz.length; e++) {
                    dz[e] = delta[e] + branch[e];
                }
                delta = dz;
            }
        }
        return delta;
    }

    private static double[] apply(Activation act, double[] x) {
        double[] y = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            y[e] = act.phi(x[e]);
        }
        return y;
    }

    private static double[] normalise(double[] x, int n, int m) {
        double[] y = new double[x.length];
        for (int s = 0; s < n; s++) {
            double r = rms(x, s * m, m);
            double inv = r > 0 ? 1.0 / r : 1.0;
            for (int e = s * m; e < (s + 1) * m; e++) {
                y[e] = x[e] * inv;
            }
        }
        return y;
    }

    private static double[] normaliseBackward(double[] x, double[] dy, int n, int m) {
        double[] dz = new double[dy.length];
        for (int s = 0; s < n; s++) {
            int o = s * m;
            double r = rms(x, o, m);
            if (!(r > 0)) {
                System.arraycopy(dy, o, dz, o, m);
                continue;
            }
            double dot = 0;
            for (int e = o; e < o + m; e++) {
                dot += x[e] * dy[e];
            }
            double a = 1.0 / r;
            double bb = dot / (m * r * r * r);
            for (int e = o; e < o + m; e++) {
                dz[e] = a * dy[e] - bb * x[e];
            }
        }
        return dz;
    }

    private static double rms(double[] x, int offset, int m) {
        double q = 0;
        for (int e = offset; e < offset + m; e++) {
            q += x[e] * x[e];
        }
        return Math.sqrt(q / m);
    }
}
