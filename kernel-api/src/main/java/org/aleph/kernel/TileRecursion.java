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
    /** The declared width of the features entering the first layer (for the standard parameterisation), NaN if unknown. */
    private final double inputWidth;

    TileRecursion(List<Layer> layers) {
        this(layers, Double.NaN);
    }

    /** A recursion whose inputs have {@code inputWidth} features (d for data, H W C or C after a reduction). */
    TileRecursion(List<Layer> layers, double inputWidth) {
        this.layers = layers;
        this.inputWidth = inputWidth;
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

    private void apply(List<Layer> seq, Workspace ws, int depth, double width) {
        LayerStep step = new LayerStep(ws, depth, width);
        for (Layer layer : seq) {
            layer.accept(step);
        }
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
                if (!(width > 0)) {
                    throw new IllegalStateException(layer.spec() + " has no declared input width; LayerChecks should have refused it");
                }
                TileRecursion.standardDense(layer, width, ws);
            } else {
                TileRecursion.dense(layer, ws);
            }
            width = layer.width() > 0 ? layer.width() : Double.NaN;
            return null;
        }

        @Override
        public Void dropout(Layer.Dropout layer) {
            TileRecursion.dropout(1.0 / layer.keep(), ws);
            return null;
        }

        @Override
        public Void nonlinearity(Layer.Nonlinearity layer) {
            TileRecursion.nonlinearity(layer.activation(), ws);
            return null;
        }

        @Override
        public Void residual(Layer.Residual layer) {
            double[][] saved = ws.saved(depth);
            System.arraycopy(ws.k, 0, saved[0], 0, ws.length);
            System.arraycopy(ws.t, 0, saved[1], 0, ws.pairs);
            apply(layer.branch(), ws, depth + 1, width);
            for (int e = 0; e < ws.length; e++) {
                ws.k[e] += saved[0][e];
            }
            for (int e = 0; e < ws.pairs; e++) {
                ws.t[e] += saved[1][e];
            }
            return null;
        }

        @Override
        public Void layerNorm(Layer.LayerNorm layer) {
            if (layer.eps() == 0) {
                TileRecursion.layerNorm(ws);
            } else {
                TileRecursion.layerNorm(layer.eps(), ws);
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

    private static void dense(Layer.Dense layer, Workspace ws) {
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
     * Dense in the standard parameterisation (neural-tangents' stax.Dense kernel_fn,
     * parameterization='standard'): {@code T <- N_in K + W_std^2 T + [b_std > 0]} with the
     * incoming K, then {@code K <- W_std^2 K + b_std^2}.
     */
    private static void standardDense(Layer.Dense layer, double inputWidth, Workspace ws) {
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
     * buffers, and saved copies for each level of Residual nesting.
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
        }

        double[] nngp() {
            return k;
        }

        double[] ntk() {
            return t;
        }

        double[][] saved(int depth) {
            while (savedByDepth.size() <= depth) {
                savedByDepth.add(new double[][] {new double[capacity], new double[capacity]});
            }
            return savedByDepth.get(depth);
        }
    }
}
