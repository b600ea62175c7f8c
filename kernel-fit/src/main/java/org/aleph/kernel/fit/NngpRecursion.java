package org.aleph.kernel.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;

/**
 * The NNGP recursion of a fully connected network (DESIGN.md, "Math conventions") on the
 * entries of a {@link PairLayout}, in place on a {@link KernelState}:
 * <pre>
 *   Dense(W, b):   K &lt;- W^2 K + b^2
 *   activation:    K(x,x') &lt;- E[phi(u) phi(v)],  (u, v) ~ N(0, [[K(x,x), K(x,x')], [K(x,x'), K(x',x')]])
 *   LayerNorm:     K(x,x') &lt;- K(x,x') / sqrt(K(x,x) K(x',x'))
 *   Residual(f):   K &lt;- K + K_f
 * </pre>
 * the same maps as kernel-api's {@code KernelComputer} without the NTK, which the marginal
 * likelihood does not need, and starting from a state the caller keeps: the input Gram is
 * computed once for every hyperparameter value, and a sweep over depth continues from the
 * previous depth. Activations are called on chunks of {@value #CHUNK} triples; the chunks of a
 * layer are shared among the threads of an optional executor.
 */
public final class NngpRecursion {

    /** Entries per call of {@link Activation#expectations}. */
    static final int CHUNK = 2048;

    private final PairLayout layout;
    private final ExecutorService pool;
    private final int tasks;

    /**
     * @param layout  the entries
     * @param pool    the threads that share each layer, or null to work in the caller's thread
     * @param threads how many tasks to cut each layer into (1 without a pool)
     */
    public NngpRecursion(PairLayout layout, ExecutorService pool, int threads) {
        this.layout = layout;
        this.pool = pool;
        this.tasks = pool == null ? 1 : Math.max(1, threads);
    }

    /** The layout this recursion works on. */
    public PairLayout layout() {
        return layout;
    }

    /**
     * Checks that every layer is one this recursion computes (fully connected layers only), for
     * callers that use the recursion directly; fitting and sweeps route the other specs to the
     * kernel computer instead ({@link #computes}).
     *
     * @throws UserErrorException naming the first convolutional or pooling layer and its spec column
     */
    public static void checkFullyConnected(Network network) {
        for (Layer l : network.layers()) {
            checkLayer(network, l);
        }
    }

    private static void checkLayer(Network network, Layer l) {
        boolean fullyConnected = switch (l.kind()) { // a switch expression: the compiler checks that every kind is named
            case RESIDUAL -> {
                List<Layer> branch = ((Layer.Residual) l).branch();
                branch.forEach(b -> checkLayer(network, b));
                yield branch.get(branch.size() - 1).kind() == Layer.Kind.DENSE; // K + K_f is exact only then
            }
            case DENSE, NONLINEARITY, LAYER_NORM -> true;
            case CONV, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, BRANCHES, REPEAT -> false;
            case DROPOUT -> throw new UserErrorException(l.spec() + " at spec column " + Math.max(1, network.column(l))
                    + ": kernel-fit's fully connected recursion does not take Dropout (its kernel scales only the entries of an "
                    + "input with itself); fitting and sweeps compute such specs with the kernel computer");
        };
        if (!fullyConnected) {
            throw new UserErrorException(l.spec() + " at spec column " + Math.max(1, network.column(l))
                    + ": kernel-fit's recursion takes fully connected networks (Dense, activations, LayerNorm, Residual ending in Dense); "
                    + "fitting and sweeps compute the others with the kernel computer");
        }
    }

    /**
     * Whether this recursion computes the network's NNGP: Dense, activations, LayerNorm and
     * Residual branches ending in Dense only. The rest (Conv, pooling, Flatten, FanOut ... FanIn,
     * Repeat, Dropout) is computed by kernel-api's {@code KernelComputer} instead
     * ({@link SpecKernels}).
     */
    public static boolean computes(Network network) {
        return computes(network.layers());
    }

    private static boolean computes(List<Layer> layers) {
        for (Layer l : layers) {
            boolean ok = switch (l.kind()) { // a switch expression: the compiler checks that every kind is named
                case DENSE, NONLINEARITY, LAYER_NORM -> true;
                case RESIDUAL -> {
                    List<Layer> branch = ((Layer.Residual) l).branch();
                    yield computes(branch) && branch.get(branch.size() - 1).kind() == Layer.Kind.DENSE;
                }
                case CONV, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, BRANCHES, REPEAT, DROPOUT -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Applies every layer of the network to the state, in place. */
    public void apply(KernelState state, Network network) {
        apply(state, network.layers());
    }

    /** Applies the layers in order to the state, in place. */
    public void apply(KernelState state, List<Layer> layers) {
        for (Layer l : layers) {
            apply(state, l);
        }
    }

    /** Applies one layer to the state, in place. */
    public void apply(KernelState state, Layer layer) {
        layer.accept(new Layer.Visitor<Void>() {
            @Override
            public Void dense(Layer.Dense d) {
                NngpRecursion.this.dense(state, d.wStd() * d.wStd(), d.bStd() * d.bStd());
                return null;
            }

            @Override
            public Void nonlinearity(Layer.Nonlinearity n) {
                activation(state, n.activation());
                return null;
            }

            @Override
            public Void residual(Layer.Residual r) {
                KernelState branch = state.copy();
                NngpRecursion.this.apply(branch, r.branch());
                add(state, branch);
                return null;
            }

            @Override
            public Void layerNorm(Layer.LayerNorm n) {
                if (n.eps() == 0) {
                    normalise(state);
                } else {
                    normalise(state, n.eps());
                }
                return null;
            }

            @Override
            public Void dropout(Layer.Dropout d) {
                throw new UserErrorException(d.spec() + ": kernel-fit's fully connected recursion does not take Dropout");
            }

            @Override
            public Void conv(Layer.Conv c) {
                throw unsupported(c);
            }

            @Override
            public Void avgPool(Layer.AvgPool p) {
                throw unsupported(p);
            }

            @Override
            public Void globalAvgPool(Layer.GlobalAvgPool p) {
                throw unsupported(p);
            }

            @Override
            public Void flatten(Layer.Flatten f) {
                throw unsupported(f);
            }

            @Override
            public Void branches(Layer.Branches b) {
                throw unsupported(b);
            }

            @Override
            public Void repeat(Layer.Repeat r) {
                throw unsupported(r);
            }
        });
    }

    private static UserErrorException unsupported(Layer l) {
        return new UserErrorException(l.spec() + ": kernel-fit's recursion takes fully connected networks only (the kernel computer takes the rest)");
    }

    /** K &lt;- w2 K + b2 on every entry and variance. */
    public void dense(KernelState s, double w2, double b2) {
        double[] k = s.entries();
        parallel(k.length, (from, to) -> {
            for (int e = from; e < to; e++) {
                k[e] = w2 * k[e] + b2;
            }
        });
        double[] v = s.variances();
        for (int i = 0; i < v.length; i++) {
            v[i] = w2 * v[i] + b2;
        }
    }

    /** The activation's NNGP map on every entry, then on the variances. */
    public void activation(KernelState s, Activation act) {
        double[] k = s.entries();
        double[] v = s.variances();
        int[] rows = layout.rows();
        int[] cols = layout.cols();
        parallel(k.length, (from, to) -> {
            double[] q11 = new double[CHUNK];
            double[] q12 = new double[CHUNK];
            double[] q22 = new double[CHUNK];
            double[] out = new double[CHUNK];
            for (int c = from; c < to; c += CHUNK) {
                int m = Math.min(CHUNK, to - c);
                for (int t = 0; t < m; t++) {
                    double a = v[rows[c + t]];
                    double b = v[cols[c + t]];
                    double q = k[c + t];
                    // Keep the triple a covariance: |q12| <= sqrt(q11 q22), as the SPI requires.
                    double bound = Math.sqrt(a * b);
                    q11[t] = a;
                    q22[t] = b;
                    q12[t] = q > bound ? bound : (q < -bound ? -bound : q);
                }
                act.expectations(q11, q12, q22, m, out, null);
                System.arraycopy(out, 0, k, c, m);
            }
        });
        double[] vout = new double[v.length];
        act.expectations(v, v, v, v.length, vout, null);
        System.arraycopy(vout, 0, v, 0, v.length);
    }

    /** LayerNorm over features: K(x,x') / sqrt(K(x,x) K(x',x')), variances 1 (zero variances kept). */
    public void normalise(KernelState s) {
        double[] k = s.entries();
        double[] v = s.variances();
        int[] rows = layout.rows();
        int[] cols = layout.cols();
        parallel(k.length, (from, to) -> {
            for (int e = from; e < to; e++) {
                double d = Math.sqrt(v[rows[e]]) * Math.sqrt(v[cols[e]]);
                if (d > 0) {
                    k[e] /= d;
                }
            }
        });
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0) {
                v[i] = 1;
            }
        }
    }

    /**
     * LayerNorm with neural-tangents' eps: K(x,x') / (sqrt(eps + K(x,x)) sqrt(eps + K(x',x'))),
     * variances q / (eps + q).
     */
    public void normalise(KernelState s, double eps) {
        double[] k = s.entries();
        double[] v = s.variances();
        int[] rows = layout.rows();
        int[] cols = layout.cols();
        parallel(k.length, (from, to) -> {
            for (int e = from; e < to; e++) {
                k[e] /= Math.sqrt(v[rows[e]] + eps) * Math.sqrt(v[cols[e]] + eps);
            }
        });
        for (int i = 0; i < v.length; i++) {
            v[i] /= Math.sqrt(v[i] + eps) * Math.sqrt(v[i] + eps);
        }
    }

    private static void add(KernelState s, KernelState t) {
        double[] k = s.entries();
        double[] kt = t.entries();
        for (int e = 0; e < k.length; e++) {
            k[e] += kt[e];
        }
        double[] v = s.variances();
        double[] vt = t.variances();
        for (int i = 0; i < v.length; i++) {
            v[i] += vt[i];
        }
    }

    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** Runs body over [0, n) cut into chunk-aligned ranges shared by the pool's threads (also for {@link TangentRecursion}). */
    void parallel(int n, Range body) {
        if (tasks == 1 || n < 4 * CHUNK) {
            body.run(0, n);
            return;
        }
        int per = ((n + tasks - 1) / tasks + CHUNK - 1) / CHUNK * CHUNK;
        List<Future<?>> futures = new ArrayList<>();
        for (int from = 0; from < n; from += per) {
            int f = from;
            int t = Math.min(n, from + per);
            futures.add(pool.submit(() -> body.run(f, t)));
        }
        try {
            for (Future<?> fu : futures) {
                fu.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
