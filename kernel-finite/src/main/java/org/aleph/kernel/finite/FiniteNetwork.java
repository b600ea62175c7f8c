package org.aleph.kernel.finite;

import java.util.Objects;
import java.util.SplittableRandom;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;

/**
 * One random network of finite width drawn from a spec in the NTK parameterisation (Jacot,
 * Gabriel &amp; Hongler 2018; DESIGN.md): a Dense layer computes
 * {@code z = W_std * W y / sqrt(fan_in) + b_std * b} with every entry of W and b standard
 * normal. Every hidden Dense layer has {@code width} units, the last top-level Dense layer has
 * {@code outputs} units, and a Dense layer ending a Residual branch has the branch's input
 * width. LayerNorm(eps) divides each sample's features by {@code sqrt(eps + mean square)} (no
 * centring), the finite-width form of the kernel map {@code K / sqrt((eps + K11)(eps + K22))}.
 * Dropout(rate) multiplies each unit by {@code m / keep}, m ~ Bernoulli(keep = 1 - rate) drawn per
 * network (its seed), per input row and per unit, the same mask in every pass (training mode with
 * one mask per input, neural-tangents' Dropout(mode='train') kernel).
 *
 * <p>A Dense or Conv layer in the standard parameterisation computes the same function but
 * trains {@code W_std W / sqrt(N_in)} and {@code b_std b} themselves (Sohl-Dickstein et al. 2020;
 * neural-tangents' {@code parameterization='standard'}, width scaling s = fan_in / N_in, N_in the
 * declared fan-in), so its Jacobian, empirical NTK and gradient steps are those of the standard
 * parameterisation; {@link #parameters()} stays in standard-normal units.
 *
 * <p>Convolutional networks (Novak et al. 2019; Arora et al. 2019; DESIGN.md, "Convolutional
 * networks") read NHWC images ({@link ImageShape}, one image per row): a Conv layer computes
 * {@code z = W_std / sqrt(C_in kh kw) * conv(W, y) + b_std * b} with {@code width} output
 * channels (SAME, VALID or CIRCULAR padding, any stride), a Dense layer on images acts per pixel,
 * AvgPool and GlobalAvgPool average, Flatten makes one vector of H W C values, and LayerNorm
 * normalises each pixel over its channels. Convolutions run as im2col rows times the weights
 * ({@link Window}, {@link DenseKernels}); their weights are shared over the pixels, so the
 * empirical NTK sums over pairs of pixels ({@link Gradients}).
 *
 * <p>As the width grows the output converges to the Gaussian process with the NNGP kernel
 * and the empirical NTK {@link #ntk} to the analytic NTK (Lee et al. 2018; Jacot et al. 2018),
 * which is what {@link Verification} measures.
 *
 * <p>Row r of the weights of Dense or Conv layer l (output channel r) is drawn from its own stream derived from
 * (seed, l, r), the biases from (seed, l, -1): the parameters depend on the seed only, never on
 * the number of threads, and networks of different widths with one seed share their leading
 * weights. Gradients are exact backpropagation ({@link Propagation}), never finite differences.
 *
 * <p>Not thread-safe: {@link #step} changes the parameters. Copy it for concurrent use.
 */
public final class FiniteNetwork {

    private final Network network;
    private final ImageShape shape;
    private final Architecture arch;
    private final int width;
    private final long seed;
    private final double[][] w;
    private final double[][] b;
    private final Workers workers;

    private FiniteNetwork(Network network, ImageShape shape, Architecture arch, int width, long seed, double[][] w, double[][] b,
                          Workers workers) {
        this.network = network;
        this.shape = shape;
        this.arch = arch;
        this.width = width;
        this.seed = seed;
        this.w = w;
        this.b = b;
        this.workers = workers;
    }

    /**
     * Draws a network.
     *
     * @param network the architecture, never null
     * @param inputs  the input dimension d (at least 1)
     * @param width   the width n of every hidden Dense layer (at least 1)
     * @param outputs the width of the last Dense layer (at least 1)
     * @param seed    any long; equal seeds give equal networks
     * @param threads worker threads for sampling and for every product (at least 1)
     * @throws UserErrorException when a size is not positive or the network is convolutional
     */
    public static FiniteNetwork sample(Network network, int inputs, int width, int outputs, long seed, int threads) {
        Objects.requireNonNull(network, "network");
        return sample(network, null, new Architecture(network, inputs, width, outputs), width, seed, threads);
    }

    /**
     * Draws a network that reads images of the given shape, one per row in NHWC order (a
     * fully connected spec reads them as vectors of H W C features). Every hidden Conv and
     * Dense layer has {@code width} channels.
     *
     * @param network the architecture, never null
     * @param shape   the image shape (H, W, C), never null
     * @param width   the channels of every hidden Conv and Dense layer (at least 1)
     * @param outputs the width of the last top-level Dense layer (at least 1)
     * @param seed    any long; equal seeds give equal networks
     * @param threads worker threads for sampling and for every product (at least 1)
     * @throws UserErrorException when a size is not positive or a layer does not fit the images
     */
    public static FiniteNetwork sample(Network network, ImageShape shape, int width, int outputs, long seed, int threads) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(shape, "shape");
        return sample(network, shape, new Architecture(network, shape, width, outputs), width, seed, threads);
    }

    private static FiniteNetwork sample(Network network, ImageShape shape, Architecture arch, int width, long seed, int threads) {
        Workers workers = Workers.of(threads);
        double[][] w = new double[arch.linear.size()][];
        double[][] b = new double[arch.linear.size()][];
        for (Op.Linear d : arch.linear) {
            int l = d.index();
            int in = d.fanIn();
            double[] wl = new double[Math.multiplyExact(d.out(), in)];
            workers.run(d.out(), 8L * in * d.out(), r -> {
                SplittableRandom rng = Seeds.stream(seed, l, r);
                for (int k = r * in; k < (r + 1) * in; k++) {
                    wl[k] = rng.nextGaussian();
                }
            });
            double[] bl = new double[d.out()];
            SplittableRandom rng = Seeds.stream(seed, l, -1);
            for (int o = 0; o < bl.length; o++) {
                bl[o] = rng.nextGaussian();
            }
            w[l] = wl;
            b[l] = bl;
        }
        return new FiniteNetwork(network, shape, arch, width, seed, w, b, workers);
    }

    /** An independent copy with the same parameters. */
    public FiniteNetwork copy() {
        double[][] w2 = new double[w.length][];
        double[][] b2 = new double[b.length][];
        for (int l = 0; l < w.length; l++) {
            w2[l] = w[l].clone();
            b2[l] = b[l].clone();
        }
        return new FiniteNetwork(network, shape, arch, width, seed, w2, b2, workers);
    }

    /** The spec this network was drawn from. */
    public Network network() {
        return network;
    }

    /** The image shape this network reads, or null when it was drawn for plain vectors. */
    public ImageShape imageShape() {
        return shape;
    }

    /** The input dimension d (H W C for images). */
    public int inputs() {
        return arch.inputs;
    }

    /** The number of outputs k. */
    public int outputs() {
        return arch.outputs;
    }

    /** The hidden width n. */
    public int width() {
        return width;
    }

    /** The seed it was drawn with. */
    public long seed() {
        return seed;
    }

    /** The number of parameters (weights and biases of every Dense and Conv layer). */
    public long parameterCount() {
        return arch.parameterCount();
    }

    /** The outputs f(x) for the rows of x (n x d, or n images in NHWC order), as an n x k matrix. */
    public Matrix apply(Matrix x) {
        check(x);
        double[] f = propagation().forward(arch.ops, x.data(), x.rows(), null);
        return Matrix.wrap(x.rows(), arch.outputs, f);
    }

    /**
     * Every parameter in one array: for each Dense or Conv layer in order its weights
     * (row-major, out x in, a Conv row ordered (dh, dw, c_in)) and then its biases, in standard-normal units (before W_std and b_std).
     */
    public double[] parameters() {
        double[] p = new double[Math.toIntExact(parameterCount())];
        int o = 0;
        for (int l = 0; l < w.length; l++) {
            System.arraycopy(w[l], 0, p, o, w[l].length);
            o += w[l].length;
            System.arraycopy(b[l], 0, p, o, b[l].length);
            o += b[l].length;
        }
        return p;
    }

    /** Replaces every parameter, in the order of {@link #parameters()}. */
    public void setParameters(double[] p) {
        if (p.length != parameterCount()) {
            throw new IllegalArgumentException("inconsistent dimensions: " + p.length + " != " + parameterCount());
        }
        int o = 0;
        for (int l = 0; l < w.length; l++) {
            System.arraycopy(p, o, w[l], 0, w[l].length);
            o += w[l].length;
            System.arraycopy(p, o, b[l], 0, b[l].length);
            o += b[l].length;
        }
    }

    /**
     * The Jacobian of the outputs with respect to {@link #parameters()}: row {@code s k + a}
     * holds d f_a(x_s) / dp. It has (n k) x P entries, so it is meant for small networks;
     * {@link #ntk} never forms it.
     */
    public Matrix jacobian(Matrix x) {
        check(x);
        int n = x.rows();
        int p = Math.toIntExact(parameterCount());
        return Matrix.wrap(n * arch.outputs, p, Gradients.jacobian(arch, propagation(), x.data(), n, p));
    }

    /**
     * The empirical NTK {@code Theta[(s,a),(t,b)] = sum_p df_a(x_s)/dp df_b(x_t)/dp} over every
     * parameter, an (n k) x (n k) matrix indexed by {@code s k + a}. Computed without the
     * Jacobian: a Dense layer with input Y and output gradient D contributes
     * {@code (c^2 Y Y^T + b_std^2) o (D D^T)} (o the entry-wise product), a Conv layer the same
     * summed over pairs of output pixels, summed over layers in order.
     */
    public Matrix ntk(Matrix x) {
        check(x);
        int m = x.rows() * arch.outputs;
        return Matrix.wrap(m, m, Gradients.ntk(arch, propagation(), x.data(), x.rows(), workers));
    }

    /**
     * The NNGP of this one network given its hidden layers: the covariance of the output over
     * the last layer's weights and biases, {@code W_std^2 y(x) . y(x') / fan_in + b_std^2} with y
     * the features entering the last Dense layer (a Rao-Blackwellised Monte Carlo sample of the
     * NNGP: its mean over seeds equals the mean of f(x) f(x'), with less variance).
     *
     * @throws UserErrorException when the network does not end in a Dense layer
     */
    public Matrix readoutNngp(Matrix x) {
        check(x);
        Op.Linear last = arch.readout;
        if (last == null) {
            throw new UserErrorException("network '" + network.spec() + "' does not end in a Dense layer, "
                    + "so its readout NNGP is undefined; end the spec with Dense(...)");
        }
        int n = x.rows();
        double[][] trace = new double[arch.opCount][];
        propagation().forward(arch.ops, x.data(), n, trace);
        double[] y = trace[last.id()];
        double[] g = DenseKernels.cross(y, n, y, n, last.fanIn());
        double c2 = last.scale() * last.scale();
        double b2 = last.bStd() * last.bStd();
        for (int e = 0; e < g.length; e++) {
            g[e] = c2 * g[e] + b2;
        }
        return Matrix.wrap(n, n, g);
    }

    /**
     * One step of full-batch gradient descent on the mean squared error
     * {@code L = (1/2N) sum_(s,a) (f_a(x_s) - y_(s,a))^2}, N = n k the number of targets:
     * {@code p <- p - lr dL/dp}.
     *
     * @param x       training inputs (n x d)
     * @param targets training targets, row-major n x k
     * @param lr      the learning rate eta
     * @return the loss before the step
     */
    public double step(Matrix x, double[] targets, double lr) {
        check(x);
        int n = x.rows();
        int k = arch.outputs;
        if (targets.length != n * k) {
            throw new UserErrorException("there are " + targets.length + " targets for " + n + " inputs and "
                    + k + " outputs; give one target per input and output");
        }
        Propagation prop = propagation();
        double[][] trace = new double[arch.opCount][];
        double[] f = prop.forward(arch.ops, x.data(), n, trace);
        int count = n * k;
        double loss = 0;
        double[] delta = new double[count];
        for (int e = 0; e < count; e++) {
            double r = f[e] - targets[e];
            loss += r * r;
            delta[e] = r / count;
        }
        // Gradient descent on the trained parameters (standard-normal W, b in the NTK parameterisation; W_std W / sqrt(N_in)
        // and b_std b in the standard one), expressed on the standard-normal units stored here: lr g^2 / (d stored / d trained).
        prop.backward(arch.ops, delta, n, trace, (op, d, col) -> DenseKernels.update(w[op.index()], b[op.index()], op.out(),
                op.fanIn(), d, col, n * op.rowsPerSample(), lr * op.weightGradient() * op.weightGradient() / op.scale(),
                op.bStd() > 0 ? lr * op.biasGradient() * op.biasGradient() / op.bStd() : 0.0, workers));
        return loss / (2.0 * count);
    }

    /**
     * {@code |W_l - W0_l|_F / |W0_l|_F} for every Dense and Conv layer l (weights only), against the
     * network this one was trained from.
     */
    public double[] relativeWeightChanges(FiniteNetwork initial) {
        if (initial.arch.linear.size() != arch.linear.size() || initial.width != width) {
            throw new IllegalArgumentException("networks of different shapes");
        }
        double[] r = new double[w.length];
        for (int l = 0; l < w.length; l++) {
            double num = 0;
            double den = 0;
            for (int e = 0; e < w[l].length; e++) {
                double d = w[l][e] - initial.w[l][e];
                num += d * d;
                den += initial.w[l][e] * initial.w[l][e];
            }
            r[l] = den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
        }
        return r;
    }

    private Propagation propagation() {
        return new Propagation(w, b, workers, seed);
    }

    private void check(Matrix x) {
        Objects.requireNonNull(x, "x");
        if (x.cols() != arch.inputs) {
            throw new UserErrorException("the inputs have " + x.cols() + " columns but the network was drawn for "
                    + (shape == null ? arch.inputs + " input features" : shape + " images (" + arch.inputs + " values each)"));
        }
        if (x.rows() == 0) {
            throw new UserErrorException("there are no inputs; give at least one row");
        }
    }
}
