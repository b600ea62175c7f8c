package org.aleph.kernel.finite;

import java.util.List;
import org.aleph.kernel.Layer;
import org.aleph.kernel.spi.Activation;

/**
 * One layer of a finite network with its sizes fixed. Data flow as row-major arrays of n
 * samples, each sample {@code pixels x channels} values in NHWC order (a flat layer has one
 * pixel). Every op has an {@code id} (its position in a depth-first walk) under which a forward
 * pass records what its backward rule needs. Every operation over ops goes through
 * {@link Visitor}, so the compiler checks that no kind is forgotten.
 */
sealed interface Op {

    /** Position in a depth-first walk of the network; indexes the forward trace. */
    int id();

    /** Calls the visitor's method for this op's kind. */
    <R> R accept(Visitor<R> visitor);

    /** One method per op kind. */
    interface Visitor<R> {
        R linear(Linear op);

        R act(Act op);

        R norm(Norm op);

        R fork(Fork op);

        R pool(Pool op);

        R globalPool(GlobalPool op);

        R drop(Drop op);
    }

    /**
     * A Dense layer (flat, or per pixel on an image) or a convolution, all as one product on the
     * im2col rows: {@code z[s, p, o] = c sum_j W[o, j] col[s, p, j] + b_std b[o]} with
     * {@code c = W_std / sqrt(fanIn)}, fanIn = kh kw C_in, one row of {@code col} per output
     * pixel ({@link Window#im2col}). {@code index} counts the linear layers.
     *
     * <p>The forward map is the same in both parameterisations; they differ in the parameters
     * that are trained, hence in the gradients. NTK parameterisation: the standard-normal W and
     * b, gradients {@code c col} and {@code b_std}. Standard parameterisation (neural-tangents'
     * {@code parameterization='standard'}; Sohl-Dickstein et al. 2020): the weights
     * {@code W_std W / sqrt(N_in)} and biases {@code b_std b} themselves, with the layer
     * computing {@code W' col / sqrt(s)}, {@code s = fanIn / N_in} the ratio of the real fan-in
     * to the declared one {@code standardFanIn = N_in}: gradients {@code col / sqrt(s)} and 1
     * (0 without a bias, b_std = 0).
     *
     * @param standardFanIn the declared fan-in N_in (kh kw times the declared input channels) in the
     *                      standard parameterisation, 0 in the NTK parameterisation
     */
    record Linear(int id, int index, Window window, int in, int out, double wStd, double bStd, double standardFanIn)
            implements Op {
        /** A linear op in the NTK parameterisation. */
        Linear(int id, int index, Window window, int in, int out, double wStd, double bStd) {
            this(id, index, window, in, out, wStd, bStd, 0);
        }

        /** kh kw C_in, the length of a weight row. */
        int fanIn() {
            return window.taps() * in;
        }

        double scale() {
            return wStd / Math.sqrt(fanIn());
        }

        /** d z / d (trained weight) per unit of col: {@link #scale()} (NTK) or sqrt(N_in / fanIn) (standard). */
        double weightGradient() {
            return standardFanIn > 0 ? Math.sqrt(standardFanIn / fanIn()) : scale();
        }

        /** d z / d (trained bias): b_std (NTK) or 1 when there is a bias (standard). */
        double biasGradient() {
            return standardFanIn > 0 ? (bStd > 0 ? 1.0 : 0.0) : bStd;
        }

        /** Output pixels per sample (rows of col per sample). */
        int rowsPerSample() {
            return window.outPixels();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.linear(this);
        }
    }

    /** {@code y = phi(z)} entry by entry; {@code size} values per sample. */
    record Act(int id, Activation activation, int size) implements Op {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.act(this);
        }
    }

    /**
     * {@code y = z / sqrt(eps + |z|^2 / channels)} per pixel over its channels (left unchanged
     * when z = 0 and eps = 0), neural-tangents' LayerNorm without the centring (the mean of
     * the channels vanishes in the limit).
     */
    record Norm(int id, int pixels, int channels, double eps) implements Op {
        /** Without eps. */
        Norm(int id, int pixels, int channels) {
            this(id, pixels, channels, 0.0);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.norm(this);
        }
    }

    /**
     * Branches from one input joined entry by entry ({@code SUM}: {@code y = sum_b f_b(z)},
     * {@code PROD}: {@code y = prod_b f_b(z)}) or over channels ({@code CONCAT}: per pixel the
     * channels of branch 1, then those of branch 2, ...). A Residual is {@code [[], f]} with SUM.
     * The forward pass records each branch's output under {@code outIds[b]}.
     *
     * @param pixels   pixels per sample (1 when flat)
     * @param channels each branch's output channels
     */
    record Fork(int id, List<List<Op>> branches, Layer.FanIn join, int[] outIds, int pixels, int[] channels) implements Op {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.fork(this);
        }
    }

    /** Average pooling: the mean of each window of {@code channels}-channel pixels (padding counts as 0). */
    record Pool(int id, Window window, int channels) implements Op {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.pool(this);
        }
    }

    /**
     * Dropout in training mode: {@code y = z m / keep} with m a Bernoulli(keep) mask per sample
     * (input row) and unit, drawn from the network's seed, the op and the row; {@code size}
     * values per sample.
     */
    record Drop(int id, double keep, int size) implements Op {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.drop(this);
        }
    }

    /** Global average pooling: per channel, the mean over all pixels. */
    record GlobalPool(int id, int pixels, int channels) implements Op {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.globalPool(this);
        }
    }
}
