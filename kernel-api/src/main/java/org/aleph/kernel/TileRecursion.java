package org.aleph.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aleph.kernel.spi.Activation;

/**
 * The layer-by-layer kernel recursion on one tile of entries (DESIGN.md, "Math
 * conventions"; Lee et al. 2018 for the NNGP, Jacot et al. 2018 and Arora et al. 2019 for
 * the NTK).
 *
 * <p>A tile of {@code tr x tc} pairs keeps its NNGP entries in one array together with the
 * {@code tr} row variances and {@code tc} column variances appended at the end, so that a
 * Dense layer is one affine pass and an activation is <em>one</em> call of
 * {@link Activation#expectations} for pairs and variances alike. The variance entries are
 * computed with exactly the operations of the diagonal pairs, so the diagonal of X against
 * itself equals the propagated variances bit for bit.
 */
final class TileRecursion {

    /**
     * Covariances within 4 ulps of +-sqrt(q11 q22) are taken as exactly +-sqrt(q11 q22), i.e.
     * rho = +-1. In that band the rounding of the input Gram already moves rho as much, and the
     * derivative kernels are not Lipschitz at rho = +-1 (d theta / d rho = -1 / sin theta): for
     * Relu one ulp of rho becomes an error of 2e-9 in the NTK. Snapping makes parallel inputs
     * (every pair of 1-D inputs) exact, as duplicated rows already are.
     */
    static final double SNAP = 1 - 0x1p-51;

    private final List<Layer> layers;
    /** The rule of every join (Branches or Residual object), built once and then only read by the workers. */
    private final java.util.Map<Layer, BranchRule> rules = new java.util.IdentityHashMap<>();
    /**
     * Whether some sum adds the product of two streams' means, so that every activation records
     * the mean {@code E[phi(u)]} of its output per point (otherwise no mean is computed).
     */
    private boolean means;
    /** The declared width of the features entering the first layer (for the standard parameterisation), NaN if unknown. */
    private final double inputWidth;

    TileRecursion(List<Layer> layers) {
        this(layers, Double.NaN);
    }

    /** A recursion whose inputs have {@code inputWidth} features (d for data, H W C or C after a reduction). */
    TileRecursion(List<Layer> layers, double inputWidth) {
        this.layers = layers;
        this.inputWidth = inputWidth;
        collectRules(layers);
    }

    private void rule(Layer at, Layer.Branches b) {
        BranchRule rule = BranchRule.of(b);
        rules.put(at, rule);
        means |= rule.mayNeedMeans();
    }

    private void collectRules(List<Layer> seq) {
        for (Layer l : seq) {
            List<List<Layer>> children = switch (l.kind()) { // a switch expression: every kind is named
                case RESIDUAL -> {
                    rule(l, ((Layer.Residual) l).asBranches());
                    yield List.of(((Layer.Residual) l).branch());
                }
                case BRANCHES -> {
                    rule(l, (Layer.Branches) l);
                    yield ((Layer.Branches) l).branches();
                }
                case REPEAT -> List.of(((Layer.Repeat) l).body());
                case DENSE, NONLINEARITY, LAYER_NORM, CONV, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, DROPOUT -> List.of();
            };
            children.forEach(this::collectRules);
        }
    }

    /** Per-thread scratch arrays for tiles of at most rows x cols pairs. */
    Workspace workspace(int rows, int cols) {
        return new Workspace(rows * cols + rows + cols);
    }

    /** Runs every layer on the loaded tile. */
    void run(Workspace ws) {
        apply(layers, ws, 0, inputWidth);
    }

    /** The output variances of points with input variances q (x.x/d), computed as a tile of no pairs. */
    double[] variances(double[] q) {
        Workspace ws = workspace(0, q.length);
        ws.loadVariances(q);
        apply(layers, ws, 0, inputWidth);
        return Arrays.copyOf(ws.k, q.length);
    }

    /** Applies the layers from features of the given declared width (NaN if unknown); returns the width after them. */
    private double apply(List<Layer> seq, Workspace ws, int depth, double width) {
        LayerStep step = new LayerStep(ws, depth, width);
        for (Layer layer : seq) {
            layer.accept(step);
        }
        return step.width;
    }

    /**
     * One layer applied to the tile. Spatial layers cannot reach a tile: {@link LayerChecks}
     * keeps them before the reduction, and {@link SpatialPlan} runs that part per image pair.
     */
    private final class LayerStep implements Layer.Visitor<Void> {
        private final Workspace ws;
        private final int depth;
        /** The declared width of the current features (NaN if unknown). */
        private double width;

        LayerStep(Workspace ws, int depth, double width) {
            this.ws = ws;
            this.depth = depth;
            this.width = width;
        }

        @Override
        public Void dense(Layer.Dense layer) {
            if (layer.parameterization() == Layer.Parameterization.STANDARD) {
                TileRecursion.standardDense(layer, declared(layer, width), ws);
            } else {
                TileRecursion.dense(layer, ws);
            }
            width = layer.width() > 0 ? layer.width() : Double.NaN;
            return null;
        }

        @Override
        public Void dropout(Layer.Dropout layer) {
            TileRecursion.dropout(1.0 / layer.keep(), ws); // the mean of each point is unchanged (E[mask] / keep = 1)
            return null;
        }

        @Override
        public Void nonlinearity(Layer.Nonlinearity layer) {
            if (means && !layer.activation().name().equals("Identity")) {
                SteinFactors.means(layer.activation(), ws.k, ws.pairs, ws.length, ws.mean);
            }
            TileRecursion.nonlinearity(layer.activation(), ws);
            return null;
        }

        @Override
        public Void residual(Layer.Residual layer) {
            width = join(layer.asBranches(), rules.get(layer), ws, depth, width);
            return null;
        }

        @Override
        public Void branches(Layer.Branches layer) {
            width = join(layer, rules.get(layer), ws, depth, width);
            return null;
        }

        @Override
        public Void repeat(Layer.Repeat layer) {
            for (int i = 0; i < layer.times(); i++) {
                width = apply(layer.body(), ws, depth, width);
            }
            return null;
        }

        @Override
        public Void layerNorm(Layer.LayerNorm layer) {
            double eps = layer.eps();
            for (int e = ws.pairs; means && e < ws.length; e++) {
                if (ws.k[e] + eps > 0) {
                    ws.mean[e] /= Math.sqrt(ws.k[e] + eps);
                }
            }
            if (eps == 0) {
                TileRecursion.layerNorm(ws);
            } else {
                TileRecursion.layerNorm(eps, ws);
            }
            return null;
        }

        @Override
        public Void conv(Layer.Conv layer) {
            throw flat(layer);
        }

        @Override
        public Void avgPool(Layer.AvgPool layer) {
            throw flat(layer);
        }

        @Override
        public Void globalAvgPool(Layer.GlobalAvgPool layer) {
            throw flat(layer);
        }

        @Override
        public Void flatten(Layer.Flatten layer) {
            throw flat(layer);
        }

        private IllegalStateException flat(Layer layer) {
            return new IllegalStateException(layer.spec() + " reached the flat recursion; LayerChecks should have refused it");
        }
    }

    /**
     * Runs every branch from the saved input and joins the streams (docs/layers.md; {@link BranchRule}):
     * a sum adds each stream's kernels with its {@link BranchRule#sumWeight} and the Stein cross terms
     * {@code K0(x,x') (dK(x) + dK(x'))}, {@code T0(x,x') (dT(x) + dT(x'))}; a product keeps
     * {@code P = prod K_i} and {@code S = sum_i T_i prod_(j != i) K_j} as {@code S <- S K + P T},
     * {@code P <- P K}; a concatenation averages. When means are tracked, a sum also adds
     * {@code m_i(x) m_j(x') + m_j(x) m_i(x')} for every independent pair (zero unless both streams
     * have a nonzero mean, which {@link LayerChecks} allows only when they are known), and the
     * joined stream's mean is the sum (product) of the streams' means.
     */
    private double join(Layer.Branches layer, BranchRule rule, Workspace ws, int depth, double width) {
        double[][] saved = ws.saved(depth);
        double[] k0 = saved[0];
        double[] t0 = saved[1];
        double[] accK = saved[2];
        double[] accT = saved[3];
        int len = ws.length;
        int m = ws.pairs;
        System.arraycopy(ws.k, 0, k0, 0, len);
        System.arraycopy(ws.t, 0, t0, 0, m);
        List<List<Layer>> branches = layer.branches();
        double inv = 1.0 / branches.size();
        double[] mean0 = means ? Arrays.copyOfRange(ws.mean, m, len) : null;
        double[][] branchMeans = means ? new double[branches.size()][] : null;
        double[] widths = new double[branches.size()];
        for (int b = 0; b < branches.size(); b++) {
            if (b > 0) {
                System.arraycopy(k0, 0, ws.k, 0, len);
                System.arraycopy(t0, 0, ws.t, 0, m);
                if (means) {
                    System.arraycopy(mean0, 0, ws.mean, m, len - m);
                }
            }
            widths[b] = apply(branches.get(b), ws, depth + 1, width);
            if (means) {
                branchMeans[b] = Arrays.copyOfRange(ws.mean, m, len);
            }
            double[] k = ws.k;
            double[] t = ws.t;
            switch (layer.join()) {
                case SUM -> {
                    double w = rule.sumWeight(b);
                    for (int e = 0; e < len; e++) {
                        accK[e] = b == 0 ? w * k[e] : accK[e] + w * k[e];
                    }
                    for (int e = 0; e < m; e++) {
                        accT[e] = b == 0 ? w * t[e] : accT[e] + w * t[e];
                    }
                }
                case PROD -> {
                    for (int e = 0; e < m; e++) {
                        accT[e] = b == 0 ? t[e] : accT[e] * k[e] + accK[e] * t[e];
                    }
                    for (int e = 0; e < len; e++) {
                        accK[e] = b == 0 ? k[e] : accK[e] * k[e];
                    }
                }
                case CONCAT -> {
                    for (int e = 0; e < len; e++) {
                        accK[e] = b == 0 ? inv * k[e] : accK[e] + inv * k[e];
                    }
                    for (int e = 0; e < m; e++) {
                        accT[e] = b == 0 ? inv * t[e] : accT[e] + inv * t[e];
                    }
                }
            }
        }
        if (layer.join() == Layer.FanIn.SUM) {
            for (Activation act : rule.steinTerms()) {
                TileJoin.stein(act, ws, k0, t0, accK, accT);
            }
        }
        if (means) {
            TileJoin.means(layer, rule, ws, branchMeans, accK);
        }
        System.arraycopy(accK, 0, ws.k, 0, len);
        System.arraycopy(accT, 0, ws.t, 0, m);
        return BranchRule.joinedWidth(layer.join(), widths);
    }

    private static void dense(Layer.Dense layer, Workspace ws) {
        Arrays.fill(ws.mean, ws.pairs, ws.length, 0.0); // fresh zero-mean weights
        double w2 = layer.wStd() * layer.wStd();
        double b2 = layer.bStd() * layer.bStd();
        double[] k = ws.k;
        double[] t = ws.t;
        for (int e = 0; e < ws.length; e++) {
            k[e] = w2 * k[e] + b2;
        }
        for (int e = 0; e < ws.pairs; e++) {
            t[e] = k[e] + w2 * t[e];
        }
    }

    /**
     * The declared input width a standard layer reads. {@link LayerChecks} refuses an undeclared one
     * before the data are seen; what is left are the streams of a join whose declared widths differ
     * from the data's, known only now.
     */
    private static double declared(Layer layer, double width) {
        if (!(width > 0)) {
            throw new UserErrorException(layer.spec() + ": in the standard parameterisation the NTK reads the declared "
                    + "width of the layer's input, but the streams joined before it have different widths (one of them "
                    + "the data's); declare equal widths with width=N");
        }
        return width;
    }

    /**
     * Dense in the standard parameterisation (neural-tangents' stax.Dense kernel_fn,
     * parameterization='standard'): {@code T <- N_in K + W_std^2 T + [b_std > 0]} with the
     * incoming K, then {@code K <- W_std^2 K + b_std^2}.
     */
    private static void standardDense(Layer.Dense layer, double inputWidth, Workspace ws) {
        Arrays.fill(ws.mean, ws.pairs, ws.length, 0.0); // fresh zero-mean weights
        double w2 = layer.wStd() * layer.wStd();
        double b2 = layer.bStd() * layer.bStd();
        double bias = layer.bStd() > 0 ? 1.0 : 0.0;
        double[] k = ws.k;
        double[] t = ws.t;
        for (int e = 0; e < ws.pairs; e++) {
            t[e] = inputWidth * k[e] + w2 * t[e] + bias;
        }
        for (int e = 0; e < ws.length; e++) {
            k[e] = w2 * k[e] + b2;
        }
    }

    /**
     * Dropout in training mode (neural-tangents' stax.Dropout kernel_fn_train): the entries of
     * an input with itself, the variances and (for X against itself) the diagonal pairs, times
     * 1/keep in both kernels; the other entries unchanged.
     */
    private static void dropout(double factor, Workspace ws) {
        double[] k = ws.k;
        double[] t = ws.t;
        for (int e = ws.pairs; e < ws.length; e++) {
            k[e] *= factor;
        }
        if (ws.sameInputs) {
            for (int i = 0; i < Math.min(ws.rows, ws.cols); i++) {
                k[i * ws.cols + i] *= factor;
                t[i * ws.cols + i] *= factor;
            }
        }
    }

    private static void nonlinearity(Activation act, Workspace ws) {
        int m = ws.pairs;
        int tr = ws.rows;
        int tc = ws.cols;
        double[] k = ws.k;
        double[] q11 = ws.q11;
        double[] q22 = ws.q22;
        double[] q12 = ws.q12;
        for (int i = 0; i < tr; i++) {
            double qr = k[m + i];
            int base = i * tc;
            for (int j = 0; j < tc; j++) {
                double qc = k[m + tr + j];
                double kij = k[base + j];
                double bound = Math.sqrt(qr * qc);
                q11[base + j] = qr;
                q22[base + j] = qc;
                q12[base + j] = kij >= bound * SNAP ? bound : (kij <= -bound * SNAP ? -bound : kij);
            }
        }
        for (int e = m; e < ws.length; e++) {
            q11[e] = k[e];
            q12[e] = k[e];
            q22[e] = k[e];
        }
        act.expectations(q11, q12, q22, ws.length, ws.outK, ws.outD);
        double[] t = ws.t;
        double[] d = ws.outD;
        for (int e = 0; e < m; e++) {
            t[e] *= d[e];
        }
        double[] swap = ws.k;
        ws.k = ws.outK;
        ws.outK = swap;
    }

    private static void layerNorm(Workspace ws) {
        int m = ws.pairs;
        int tr = ws.rows;
        int tc = ws.cols;
        double[] k = ws.k;
        double[] t = ws.t;
        for (int i = 0; i < tr; i++) {
            double qr = k[m + i];
            int base = i * tc;
            for (int j = 0; j < tc; j++) {
                double s = Math.sqrt(qr * k[m + tr + j]);
                if (s > 0) {
                    k[base + j] /= s;
                    t[base + j] /= s;
                }
            }
        }
        for (int e = m; e < ws.length; e++) {
            if (k[e] > 0) {
                k[e] = 1.0;
            }
        }
    }

    /**
     * LayerNorm with neural-tangents' eps: {@code K / sqrt((eps + K11)(eps + K22))}, T the same,
     * and the variances {@code q / sqrt((eps + q)(eps + q))} (the same operations as a diagonal pair).
     */
    private static void layerNorm(double eps, Workspace ws) {
        int m = ws.pairs;
        int tr = ws.rows;
        int tc = ws.cols;
        double[] k = ws.k;
        double[] t = ws.t;
        for (int i = 0; i < tr; i++) {
            double qr = k[m + i] + eps;
            int base = i * tc;
            for (int j = 0; j < tc; j++) {
                double s = Math.sqrt(qr * (k[m + tr + j] + eps));
                k[base + j] /= s;
                t[base + j] /= s;
            }
        }
        for (int e = m; e < ws.length; e++) {
            double q = k[e] + eps;
            k[e] /= Math.sqrt(q * q);
        }
    }

    /**
     * Scratch arrays of one worker: the tile's NNGP entries followed by its row and column
     * variances ({@link #k}), its NTK entries ({@link #t}), the activation's input and output
     * buffers, and for each level of branch nesting the saved input and the join's accumulators.
     */
    static final class Workspace {
        private final int capacity;
        int rows;
        int cols;
        int pairs;
        int length;
        /** Whether pair (i, i) of the tile is an input with itself (a diagonal tile of X against itself); set after loading. */
        boolean sameInputs;
        double[] k;
        double[] t;
        double[] q11;
        double[] q12;
        double[] q22;
        double[] outK;
        double[] outD;
        /**
         * The mean of the current stream at each point (the variance entries; 0 for the raw data and
         * after fresh weights), tracked only when a sum needs it.
         */
        final double[] mean;
        private final List<double[][]> savedByDepth = new ArrayList<>();

        Workspace(int capacity) {
            this.capacity = capacity;
            k = new double[capacity];
            t = new double[capacity];
            q11 = new double[capacity];
            q12 = new double[capacity];
            q22 = new double[capacity];
            outK = new double[capacity];
            outD = new double[capacity];
            mean = new double[capacity];
        }

        /** Loads a tile: its Gram block (tr x tc, row-major) and the input variances of its rows and columns. */
        void load(double[] gram, double[] qRows, int i0, int tr, double[] qCols, int j0, int tc) {
            rows = tr;
            cols = tc;
            pairs = tr * tc;
            length = pairs + tr + tc;
            sameInputs = false;
            if (length > capacity) {
                throw new IllegalStateException("tile larger than workspace");
            }
            System.arraycopy(gram, 0, k, 0, pairs);
            System.arraycopy(qRows, i0, k, pairs, tr);
            System.arraycopy(qCols, j0, k, pairs + tr, tc);
            Arrays.fill(t, 0, pairs, 0.0);
            Arrays.fill(mean, 0, length, 0.0);
        }

        /**
         * Loads a tile whose NNGP and NTK entries come from earlier layers (the reduced
         * spatial kernels of a convolutional network), with the variances of its rows and columns.
         */
        void load(double[] kTile, double[] tTile, double[] qRows, int i0, int tr, double[] qCols, int j0, int tc) {
            load(kTile, qRows, i0, tr, qCols, j0, tc);
            System.arraycopy(tTile, 0, t, 0, pairs);
        }

        /** Loads a tile of no pairs whose columns carry the given variances. */
        void loadVariances(double[] q) {
            rows = 0;
            cols = q.length;
            pairs = 0;
            length = q.length;
            sameInputs = false;
            System.arraycopy(q, 0, k, 0, q.length);
            Arrays.fill(mean, 0, length, 0.0);
        }

        double[] nngp() {
            return k;
        }

        double[] ntk() {
            return t;
        }

        double[][] saved(int depth) {
            while (savedByDepth.size() <= depth) {
                savedByDepth.add(new double[][] {new double[capacity], new double[capacity], new double[capacity], new double[capacity]});
            }
            return savedByDepth.get(depth);
        }
    }
}
