package org.aleph.kernel.fit;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.aleph.kernel.spi.Activation;

/**
 * Forward-mode (tangent) derivatives of the fully connected NNGP recursion ({@link NngpRecursion})
 * in the logarithms of W_std and b_std, exact when every activation offers
 * {@link Activation#varianceDerivatives}. Alongside K (entries and variances) it carries, for each
 * direction d log theta, the tangents dK and dq, updated layer by layer by the chain rule:
 * <pre>
 *   Dense(W, b):  K' = W^2 K + b^2          dK' = W^2 dK + [2 W^2 K if theta is this W] + [2 b^2 if theta is this b]
 *   activation:   K' = F(q11, q12, q22)     dK' = E[phi' phi'] dq12 + dF/dq11 dq11 + dF/dq22 dq22
 *   LayerNorm:    K' = K / sqrt(q1 q2)      dK' = dK / sqrt(q1 q2) - K' (dq1 / 2 q1 + dq2 / 2 q2)
 *   Residual(f):  K' = K + K_f             dK' = dK + dK_f
 * </pre>
 * The activation's derivative in the covariance is Price's theorem (Price 1958) and is the
 * {@code dnngp} that {@link Activation#expectations} already returns; the variances' own tangent
 * is (E[phi' phi'] + dF/dq11 + dF/dq22) dq at the triple (q, q, q). A tied W_std (or b_std) is the
 * direction that moves every Dense layer's at once.
 */
final class TangentRecursion {

    /**
     * One direction: d / d log W_std ({@code weight}) or d / d log b_std of the weight layer
     * {@code layer} in spec order, or of every weight layer ({@code layer = -1}, tied).
     */
    record Direction(boolean weight, int layer) {
    }

    /** The kernel entries and one tangent array per direction, in layout order. */
    record Result(double[] entries, double[][] tangents) {
    }

    private final NngpRecursion recursion;

    TangentRecursion(NngpRecursion recursion) {
        this.recursion = recursion;
    }

    /** Whether every activation of these (fully connected) layers offers its variance derivatives. */
    static boolean offered(List<Layer> layers) {
        double[] none = new double[0];
        for (Layer l : layers) {
            boolean ok = switch (l.kind()) {
                case NONLINEARITY -> ((Layer.Nonlinearity) l).activation().varianceDerivatives(none, none, none, 0, none, none);
                case RESIDUAL -> offered(((Layer.Residual) l).branch());
                case DENSE, LAYER_NORM, CONV, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, BRANCHES, REPEAT, DROPOUT -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** K and its state of tangents. */
    private record State(KernelState value, double[][] dk, double[][] dv) {
        State copy() {
            double[][] k = new double[dk.length][];
            double[][] v = new double[dv.length][];
            for (int p = 0; p < dk.length; p++) {
                k[p] = dk[p].clone();
                v[p] = dv[p].clone();
            }
            return new State(value.copy(), k, v);
        }
    }

    /**
     * The network's kernel from the input state and its derivatives in the directions, or null
     * when an activation declined to give its variance derivatives at some entry (a zero variance
     * for Relu): the caller then falls back to finite differences.
     */
    Result apply(KernelState input, Network network, List<Direction> directions) {
        int p = directions.size();
        KernelState value = input.copy();
        State s = new State(value, new double[p][value.entries().length], new double[p][value.variances().length]);
        AtomicBoolean refused = new AtomicBoolean();
        apply(s, network.layers(), directions, new int[] {0}, refused);
        return refused.get() ? null : new Result(s.value.entries(), s.dk);
    }

    private void apply(State s, List<Layer> layers, List<Direction> dirs, int[] nextWeight, AtomicBoolean refused) {
        for (Layer l : layers) {
            if (refused.get()) {
                return;
            }
            switch (l.kind()) {
                case DENSE -> {
                    Layer.Dense d = (Layer.Dense) l;
                    dense(s, d.wStd() * d.wStd(), d.bStd() * d.bStd(), nextWeight[0]++, dirs);
                }
                case NONLINEARITY -> activation(s, ((Layer.Nonlinearity) l).activation(), refused);
                case LAYER_NORM -> normalise(s, ((Layer.LayerNorm) l).eps());
                case RESIDUAL -> {
                    State branch = s.copy();
                    apply(branch, ((Layer.Residual) l).branch(), dirs, nextWeight, refused);
                    add(s, branch);
                }
                default -> throw new IllegalStateException(l.spec() + ": not a fully connected layer"); // callers check NngpRecursion.computes
            }
        }
    }

    private void dense(State s, double w2, double b2, int layer, List<Direction> dirs) {
        int p = dirs.size();
        double[] wTerm = new double[p];
        double[] bTerm = new double[p];
        for (int d = 0; d < p; d++) {
            Direction dir = dirs.get(d);
            boolean here = dir.layer() < 0 || dir.layer() == layer;
            wTerm[d] = here && dir.weight() ? 2 * w2 : 0; // d(W^2)/d log W = 2 W^2, times K
            bTerm[d] = here && !dir.weight() ? 2 * b2 : 0; // d(b^2)/d log b = 2 b^2
        }
        double[] k = s.value.entries();
        recursion.parallel(k.length, (from, to) -> denseRange(k, s.dk, w2, b2, wTerm, bTerm, from, to));
        denseRange(s.value.variances(), s.dv, w2, b2, wTerm, bTerm, 0, s.value.variances().length);
    }

    private static void denseRange(double[] k, double[][] dk, double w2, double b2, double[] wTerm, double[] bTerm, int from, int to) {
        for (int d = 0; d < dk.length; d++) {
            double[] t = dk[d];
            double wt = wTerm[d];
            double bt = bTerm[d];
            for (int e = from; e < to; e++) {
                t[e] = w2 * t[e] + wt * k[e] + bt;
            }
        }
        for (int e = from; e < to; e++) {
            k[e] = w2 * k[e] + b2;
        }
    }

    private void activation(State s, Activation act, AtomicBoolean refused) {
        double[] k = s.value.entries();
        double[] v = s.value.variances();
        int[] rows = recursion.layout().rows();
        int[] cols = recursion.layout().cols();
        int chunk = NngpRecursion.CHUNK;
        recursion.parallel(k.length, (from, to) -> {
            double[] q11 = new double[chunk];
            double[] q12 = new double[chunk];
            double[] q22 = new double[chunk];
            double[] out = new double[chunk];
            double[] price = new double[chunk];
            double[] d11 = new double[chunk];
            double[] d22 = new double[chunk];
            for (int c = from; c < to && !refused.get(); c += chunk) {
                int m = Math.min(chunk, to - c);
                for (int t = 0; t < m; t++) {
                    double a = v[rows[c + t]];
                    double b = v[cols[c + t]];
                    double q = k[c + t];
                    double bound = Math.sqrt(a * b); // keep the triple a covariance, as NngpRecursion does
                    q11[t] = a;
                    q22[t] = b;
                    q12[t] = q > bound ? bound : (q < -bound ? -bound : q);
                }
                act.expectations(q11, q12, q22, m, out, price);
                if (!act.varianceDerivatives(q11, q12, q22, m, d11, d22)) {
                    refused.set(true);
                    return;
                }
                for (int d = 0; d < s.dk.length; d++) {
                    double[] t = s.dk[d];
                    double[] tv = s.dv[d];
                    for (int i = 0; i < m; i++) {
                        t[c + i] = price[i] * t[c + i] + d11[i] * tv[rows[c + i]] + d22[i] * tv[cols[c + i]];
                    }
                }
                System.arraycopy(out, 0, k, c, m);
            }
        });
        if (refused.get()) {
            return;
        }
        int n = v.length;
        double[] vout = new double[n];
        double[] price = new double[n];
        double[] d11 = new double[n];
        double[] d22 = new double[n];
        act.expectations(v, v, v, n, vout, price);
        if (!act.varianceDerivatives(v, v, v, n, d11, d22)) {
            refused.set(true);
            return;
        }
        for (double[] tv : s.dv) {
            for (int i = 0; i < n; i++) {
                tv[i] *= price[i] + d11[i] + d22[i];
            }
        }
        System.arraycopy(vout, 0, v, 0, n);
    }

    /** LayerNorm: K / (sqrt(q1 + eps) sqrt(q2 + eps)), variances q / (q + eps) (eps = 0: zero variances kept). */
    private void normalise(State s, double eps) {
        double[] k = s.value.entries();
        double[] v = s.value.variances();
        int[] rows = recursion.layout().rows();
        int[] cols = recursion.layout().cols();
        recursion.parallel(k.length, (from, to) -> {
            for (int e = from; e < to; e++) {
                double a = v[rows[e]] + eps;
                double b = v[cols[e]] + eps;
                double den = Math.sqrt(a) * Math.sqrt(b);
                if (eps == 0 && !(den > 0)) {
                    continue; // NngpRecursion keeps such entries, and so their tangents
                }
                double kn = k[e] / den;
                for (int d = 0; d < s.dk.length; d++) {
                    double[] tv = s.dv[d];
                    s.dk[d][e] = s.dk[d][e] / den - kn * (tv[rows[e]] / (2 * a) + tv[cols[e]] / (2 * b));
                }
                k[e] = kn;
            }
        });
        for (int i = 0; i < v.length; i++) {
            double a = v[i] + eps;
            if (eps == 0) {
                if (v[i] > 0) {
                    v[i] = 1;
                    for (double[] tv : s.dv) {
                        tv[i] = 0;
                    }
                }
            } else {
                for (double[] tv : s.dv) {
                    tv[i] *= eps / (a * a);
                }
                v[i] /= Math.sqrt(a) * Math.sqrt(a);
            }
        }
    }

    private static void add(State s, State t) {
        addInto(s.value.entries(), t.value.entries());
        addInto(s.value.variances(), t.value.variances());
        for (int d = 0; d < s.dk.length; d++) {
            addInto(s.dk[d], t.dk[d]);
            addInto(s.dv[d], t.dv[d]);
        }
    }

    private static void addInto(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }
}
