package org.aleph.kernel;

import java.util.List;
import org.aleph.kernel.spi.Activation;

/**
 * The kernel recursion written the plain way, one pair at a time, straight from DESIGN.md's
 * conventions: the independent reference the tiled {@link KernelComputer} is checked against.
 */
final class ReferenceRecursion {

    /** K, T, K(x,x), K(x',x') for one pair. */
    static final class State {
        double k;
        double t;
        double q1;
        double q2;
    }

    private ReferenceRecursion() {
    }

    static double[][] nngpAndNtk(Network net, double[][] x1, double[][] x2) {
        int n1 = x1.length;
        int n2 = x2.length;
        double[] k = new double[n1 * n2];
        double[] t = new double[n1 * n2];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                State s = new State();
                int d = x1[i].length;
                double dot = 0;
                double a = 0;
                double b = 0;
                for (int c = 0; c < d; c++) {
                    dot += x1[i][c] * x2[j][c];
                    a += x1[i][c] * x1[i][c];
                    b += x2[j][c] * x2[j][c];
                }
                s.k = dot / d;
                s.q1 = a / d;
                s.q2 = b / d;
                apply(net.layers(), s);
                k[i * n2 + j] = s.k;
                t[i * n2 + j] = s.t;
            }
        }
        return new double[][] {k, t};
    }

    static void apply(List<Layer> layers, State s) {
        Step step = new Step(s);
        for (Layer l : layers) {
            l.accept(step);
        }
    }

    /**
     * One layer applied to a pair's state: a {@link Layer.Visitor}, so the compiler checks that
     * every layer kind is either implemented or refused.
     */
    private static final class Step implements Layer.Visitor<Void> {

        private final State s;

        Step(State s) {
            this.s = s;
        }

        @Override
        public Void dense(Layer.Dense d) {
            if (d.parameterization() != Layer.Parameterization.NTK) {
                throw new IllegalStateException("the reference implements only the NTK parameterisation: " + d.spec());
            }
            double w2 = d.wStd() * d.wStd();
            double b2 = d.bStd() * d.bStd();
            s.k = w2 * s.k + b2;
            s.q1 = w2 * s.q1 + b2;
            s.q2 = w2 * s.q2 + b2;
            s.t = s.k + w2 * s.t;
            return null;
        }

        @Override
        public Void nonlinearity(Layer.Nonlinearity nl) {
            Activation a = nl.activation();
            double bound = Math.sqrt(s.q1 * s.q2);
            double q12 = s.k >= bound * TileRecursion.SNAP ? bound : (s.k <= -bound * TileRecursion.SNAP ? -bound : s.k);
            double[] out = new double[1];
            double[] dout = new double[1];
            a.expectations(new double[] {s.q1}, new double[] {q12}, new double[] {s.q2}, 1, out, dout);
            s.k = out[0];
            s.t *= dout[0];
            a.expectations(new double[] {s.q1}, new double[] {s.q1}, new double[] {s.q1}, 1, out, null);
            double nq1 = out[0];
            a.expectations(new double[] {s.q2}, new double[] {s.q2}, new double[] {s.q2}, 1, out, null);
            s.q1 = nq1;
            s.q2 = out[0];
            return null;
        }

        @Override
        public Void residual(Layer.Residual r) {
            State f = new State();
            f.k = s.k;
            f.t = s.t;
            f.q1 = s.q1;
            f.q2 = s.q2;
            apply(r.branch(), f);
            s.k += f.k;
            s.t += f.t;
            s.q1 += f.q1;
            s.q2 += f.q2;
            return null;
        }

        @Override
        public Void layerNorm(Layer.LayerNorm n) {
            double eps = n.eps();
            double norm = Math.sqrt((s.q1 + eps) * (s.q2 + eps));
            if (norm > 0) {
                s.k /= norm;
                s.t /= norm;
            }
            s.q1 = eps > 0 ? s.q1 / (s.q1 + eps) : s.q1 > 0 ? 1 : 0;
            s.q2 = eps > 0 ? s.q2 / (s.q2 + eps) : s.q2 > 0 ? 1 : 0;
            return null;
        }

        // Branches, Repeat, Dropout (whose same-input entries need the pair's identity) and the spatial layers

        @Override
        public Void conv(Layer.Conv layer) {
            return unknown(layer);
        }

        @Override
        public Void avgPool(Layer.AvgPool layer) {
            return unknown(layer);
        }

        @Override
        public Void globalAvgPool(Layer.GlobalAvgPool layer) {
            return unknown(layer);
        }

        @Override
        public Void flatten(Layer.Flatten layer) {
            return unknown(layer);
        }

        @Override
        public Void branches(Layer.Branches layer) {
            return unknown(layer);
        }

        @Override
        public Void repeat(Layer.Repeat layer) {
            return unknown(layer);
        }

        @Override
        public Void dropout(Layer.Dropout layer) {
            return unknown(layer);
        }

        private static Void unknown(Layer l) {
            throw new IllegalStateException("the reference does not know " + l.spec());
        }
    }
}
