package org.aleph.kernel.finite;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;

/**
 * The width sweep behind {@code aleph verify}: the claims of infinite-width theory measured on
 * real finite networks. At each width n, for each of S networks drawn from the spec (one
 * output, seeds shared across widths so that the widths are compared on common random
 * numbers), on the points X = train + test:
 * <ol>
 *   <li>the readout NNGP and the empirical NTK Theta_0 against the analytic kernels
 *       ({@link KernelComputer}), relative Frobenius error;</li>
 *   <li>{@code steps} steps of full-batch gradient descent on (1/2N) sum (f - y)^2 with
 *       learning rate eta: the largest relative weight change of a layer, the relative change
 *       of the empirical NTK;</li>
 *   <li>the linearised network trained the same way ({@link LinearizedGradientDescent}) and the
 *       infinite-width prediction for the same initial function
 *       {@code f_inf = f0 + Theta_*,train Theta^-1 (I - (I - eta Theta/N)^steps)(y - f0(train))}
 *       ({@link NtkMeanDynamics}, analytic Theta): RMS gaps to the real network on all points,
 *       relative to rms(y).</li>
 * </ol>
 * Comparing with the infinite-width prediction from the network's own f0 (rather than the
 * ensemble mean, which is the same formula with f0 = 0) removes the O(1) randomness of the
 * initial function, so the gap measures only what width changes; using the discrete-step
 * formula removes the gap between gradient descent and gradient flow. Networks run in
 * parallel (one per task), and each result is reduced in seed order: bit-for-bit reproducible.
 *
 * <p>Convolutional specs (Novak et al. 2019; Arora et al. 2019) run on images ({@link Settings#shape()},
 * one NHWC image per row) with {@code width} channels in every hidden Conv and Dense layer; the
 * analytic kernels are kernel-api's CNN-GP and convolutional NTK, and the errors fall like
 * channels^-1/2 as for fully connected networks. Without data of its own a convolutional sweep
 * uses {@link #IMAGE_TRAIN} training and {@link #IMAGE_TEST} test images of shape
 * {@link #IMAGE_SHAPE}, each a point on the sphere |x|^2 = H W C, targets {@code sin(1.5 u . x)}.
 */
public final class Verification {

    /**
     * What to run.
     *
     * @param network      the spec; must end in a Dense layer
     * @param widths       increasing widths, each at least 1
     * @param seeds        networks per width, at least 1
     * @param seed         the base seed
     * @param xTrain       training inputs (N x d)
     * @param yTrain       training targets (N)
     * @param xTest        test inputs (M x d), may have no rows
     * @param learningRate eta, or NaN for the default: half the critical rate, N / lambda_max(Theta)
     * @param steps        gradient-descent steps, at least 0
     * @param threads      worker threads, at least 1
     * @param shape        the image shape of each row of xTrain and xTest, or null for plain vectors;
     *                     required by a convolutional network
     */
    public record Settings(Network network, int[] widths, int seeds, long seed, Matrix xTrain, double[] yTrain,
                           Matrix xTest, double learningRate, int steps, int threads, ImageShape shape) {
        public Settings {
            Objects.requireNonNull(network, "network");
            if (shape == null && network.takesImages()) {
                throw new UserErrorException("network '" + network.spec() + "' is convolutional and needs images; "
                        + "give them as a 4-D .npy (n, H, W, C) or with their image shape");
            }
            if (shape != null && xTrain.cols() != shape.features()) {
                throw new UserErrorException("the training inputs have " + xTrain.cols() + " columns but images of shape " + shape
                        + " have " + shape.features() + " values; give one image per row");
            }
            widths = widths.clone();
            if (widths.length == 0) {
                throw new UserErrorException("the widths are empty; give at least one width, e.g. 64,256,1024");
            }
            for (int w : widths) {
                if (w < 1) {
                    throw new UserErrorException("the widths include " + w + "; every width must be at least 1");
                }
            }
            if (seeds < 1) {
                throw new UserErrorException("the number of seeds is " + seeds + "; it must be at least 1");
            }
            if (steps < 0) {
                throw new UserErrorException("the number of steps is " + steps + "; it must be at least 0");
            }
            if (!Double.isNaN(learningRate) && !(learningRate > 0 && Double.isFinite(learningRate))) {
                throw new UserErrorException("the learning rate is " + learningRate + "; it must be a positive number");
            }
            if (yTrain.length != xTrain.rows()) {
                throw new UserErrorException("there are " + yTrain.length + " targets for " + xTrain.rows()
                        + " training inputs; give one target per input");
            }
            if (xTest.cols() != xTrain.cols()) {
                throw new UserErrorException("the test inputs have " + xTest.cols() + " columns but the training inputs have "
                        + xTrain.cols());
            }
        }

        /** Plain vectors (no image shape): a fully connected network. */
        public Settings(Network network, int[] widths, int seeds, long seed, Matrix xTrain, double[] yTrain,
                        Matrix xTest, double learningRate, int steps, int threads) {
            this(network, widths, seeds, seed, xTrain, yTrain, xTest, learningRate, steps, threads, null);
        }

        /**
         * The built-in data set with the given network and sweep: {@link SphereData} points for a
         * fully connected network, {@link #IMAGE_TRAIN} + {@link #IMAGE_TEST} images of shape
         * {@link #IMAGE_SHAPE} for a convolutional one.
         */
        public static Settings builtIn(Network network, int[] widths, int seeds, long seed, double learningRate, int steps, int threads) {
            if (network.takesImages()) {
                Matrix train = SphereData.points(IMAGE_TRAIN, IMAGE_SHAPE.features(), 1);
                Matrix test = SphereData.points(IMAGE_TEST, IMAGE_SHAPE.features(), 2);
                return new Settings(network, widths, seeds, seed, train, SphereData.targets(train), test, learningRate, steps, threads,
                        IMAGE_SHAPE);
            }
            Matrix train = SphereData.points(SphereData.TRAIN, SphereData.DIM, 1);
            Matrix test = SphereData.points(SphereData.TEST, SphereData.DIM, 2);
            return new Settings(network, widths, seeds, seed, train, SphereData.targets(train), test, learningRate, steps, threads);
        }
    }

    /** The shape of the built-in images for convolutional specs: 6 x 6 pixels, 2 channels. */
    public static final ImageShape IMAGE_SHAPE = new ImageShape(6, 6, 2);
    /** The number of built-in training images. */
    public static final int IMAGE_TRAIN = 4;
    /** The number of built-in test images. */
    public static final int IMAGE_TEST = 2;

    /**
     * An optimistic speed for the refusal of sweeps that would take hours: {@value} operations
     * per thread and second (a core reaches a few 1e9 in long dense products, less in the small products and
     * backpropagation of a sweep),
     * so a sweep refused by {@link #MAX_HOURS} would really take longer.
     */
    static final double ASSUMED_FLOPS_PER_THREAD = 2e9;
    /** Sweeps estimated to run longer than this many hours even at {@link #ASSUMED_FLOPS_PER_THREAD} are refused. */
    static final double MAX_HOURS = 1;

    private Verification() {
    }

    /**
     * Runs the sweep; progress lines (one per width) go to {@code progress}.
     *
     * @throws UserErrorException when the network does not end in Dense or the data do not fit it
     */
    public static VerificationReport run(Settings s, Consumer<String> progress) {
        Network net = s.network();
        List<Layer> layers = net.layers();
        if (layers.get(layers.size() - 1).kind() != Layer.Kind.DENSE) {
            throw new UserErrorException("network '" + net.spec() + "' ends in " + layers.get(layers.size() - 1).spec()
                    + ", but verify compares the readout of a network that ends in a Dense layer; add Dense(1, 0) at the end");
        }
        checkMemory(s);
        double[] widthWork = work(s);
        double total = 0;
        for (double w : widthWork) {
            total += w;
        }
        double hours = total / (ASSUMED_FLOPS_PER_THREAD * s.threads()) / 3600;
        if (hours > MAX_HOURS) {
            throw new UserErrorException(String.format(java.util.Locale.ROOT, "this sweep needs about %.3g floating-point operations, "
                    + "%.0f hours or more on %d thread%s even at %.0e per thread and second; use smaller widths, fewer seeds or steps",
                    total, hours, s.threads(), s.threads() == 1 ? "" : "s", ASSUMED_FLOPS_PER_THREAD));
        }
        double doneWork = 0;
        Matrix all = stack(s.xTrain(), s.xTest());
        int nTrain = s.xTrain().rows();
        int m = all.rows();
        KernelComputer computer = new KernelComputer(net, s.threads());
        KernelResult analytic = s.shape() == null ? computer.compute(all, null) : computer.compute(all, null, s.shape());
        Matrix kInf = analytic.nngp();
        Matrix tInf = analytic.ntk();
        Matrix tTrain = block(tInf, 0, nTrain, 0, nTrain);
        double critical = NtkMeanDynamics.criticalLearningRate(tTrain);
        double lr = Double.isNaN(s.learningRate()) ? critical / 2 : s.learningRate();
        if (lr > critical * (1 + 1e-12) && s.steps() > 0) {
            throw new UserErrorException(String.format(java.util.Locale.ROOT, "the learning rate %.6g exceeds the largest stable learning rate "
                    + "2N / lambda_max = %.6g of the analytic NTK on the training points: gradient descent diverges (the error along the "
                    + "top eigenvector grows by a factor %.3g per step); give a learning rate below %.6g (the default is half of it)",
                    lr, critical, Math.abs(1 - 2 * lr / critical), critical));
        }
        NtkMeanDynamics infinite = new NtkMeanDynamics(tTrain, lr);
        Matrix tAllTrain = block(tInf, 0, m, 0, nTrain);
        double yScale = rms(s.yTrain());
        if (!(yScale > 0)) {
            throw new UserErrorException("every training target is 0; the gaps are measured relative to rms(y), so give non-zero targets");
        }

        int[] widths = s.widths();
        Map<Quantity, double[]> values = new EnumMap<>(Quantity.class);
        Map<Quantity, double[]> errors = new EnumMap<>(Quantity.class);
        for (Quantity q : Quantity.values()) {
            values.put(q, new double[widths.length]);
            errors.put(q, new double[widths.length]);
        }
        double[] seconds = new double[widths.length];
        Workers workers = Workers.of(s.threads());
        for (int wi = 0; wi < widths.length; wi++) {
            int width = widths[wi];
            long start = System.nanoTime();
            double[][] perSeed = new double[s.seeds()][];
            long work = (long) s.steps() * 3 * m * width * width + (long) width * width * 8;
            workers.run(s.seeds(), work * s.seeds(), i -> perSeed[i] = measure(s, all, nTrain, width,
                    MonteCarloKernels.sampleSeed(s.seed(), i), kInf, tInf, tAllTrain, infinite, lr, yScale));
            for (Quantity q : Quantity.values()) {
                for (double[] r : perSeed) {
                    if (!Double.isFinite(r[q.ordinal()])) {
                        throw new UserErrorException(String.format(java.util.Locale.ROOT, "at width %d the finite network's training "
                                + "diverged (%s is not finite after %d steps of lr %.6g, below the infinite-width limit %.6g): the finite "
                                + "NTK is larger than the analytic one at this width; give a smaller learning rate or larger widths",
                                width, q.header().trim(), s.steps(), lr, critical));
                    }
                }
                double sum = 0;
                for (double[] r : perSeed) {
                    sum += r[q.ordinal()];
                }
                double mean = sum / s.seeds();
                double ss = 0;
                for (double[] r : perSeed) {
                    ss += (r[q.ordinal()] - mean) * (r[q.ordinal()] - mean);
                }
                values.get(q)[wi] = mean;
                errors.get(q)[wi] = s.seeds() > 1 ? Math.sqrt(ss / (s.seeds() - 1.0) / s.seeds()) : Double.NaN;
            }
            seconds[wi] = (System.nanoTime() - start) / 1e9;
            if (progress != null) {
                doneWork += widthWork[wi];
                double spent = 0;
                for (int k = 0; k <= wi; k++) {
                    spent += seconds[k];
                }
                double left = spent * (total - doneWork) / Math.max(doneWork, 1);
                progress.accept(String.format(java.util.Locale.ROOT, "width %d: %d networks in %.1f s%s", width, s.seeds(), seconds[wi],
                        wi + 1 < widths.length ? String.format(java.util.Locale.ROOT, " (about %.0f s left)", left) : ""));
            }
        }
        return new VerificationReport(net.spec(), widths, values, errors, seconds, s.seeds(), s.steps(), lr, nTrain, s.xTest().rows());
    }

    private static double[] measure(Settings s, Matrix all, int nTrain, int width, long seed, Matrix kInf, Matrix tInf,
                                    Matrix tAllTrain, NtkMeanDynamics infinite, double lr, double yScale) {
        int m = all.rows();
        FiniteNetwork net0 = s.shape() == null ? FiniteNetwork.sample(s.network(), all.cols(), width, 1, seed, s.threads())
                : FiniteNetwork.sample(s.network(), s.shape(), width, 1, seed, s.threads());
        double[] f0 = net0.apply(all).data();
        Matrix theta0 = net0.ntk(all);
        double[] r = new double[Quantity.values().length];
        r[Quantity.NNGP_ERROR.ordinal()] = relative(net0.readoutNngp(all), kInf);
        r[Quantity.NTK_ERROR.ordinal()] = relative(theta0, tInf);

        FiniteNetwork trained = net0.copy();
        for (int k = 0; k < s.steps(); k++) {
            trained.step(s.xTrain(), s.yTrain(), lr);
        }
        double[] fT = trained.apply(all).data();
        r[Quantity.NTK_CHANGE.ordinal()] = relative(trained.ntk(all), theta0);
        double maxChange = 0;
        for (double c : trained.relativeWeightChanges(net0)) {
            maxChange = Math.max(maxChange, c);
        }
        r[Quantity.WEIGHT_CHANGE.ordinal()] = maxChange;

        double[] f0Train = java.util.Arrays.copyOf(f0, nTrain);
        double[] fLin = LinearizedGradientDescent.predict(block(theta0, 0, nTrain, 0, nTrain), block(theta0, 0, m, 0, nTrain),
                f0Train, f0, s.yTrain(), lr, new int[] {s.steps()})[0];
        double[] residual = new double[nTrain];
        for (int i = 0; i < nTrain; i++) {
            residual[i] = s.yTrain()[i] - f0[i];
        }
        double[] fInf = infinite.gradientDescent(tAllTrain, residual, s.steps());
        for (int i = 0; i < m; i++) {
            fInf[i] += f0[i];
        }
        r[Quantity.LINEARIZATION_GAP.ordinal()] = rmsDifference(fT, fLin) / yScale;
        r[Quantity.INFINITE_GAP.ordinal()] = rmsDifference(fT, fInf) / yScale;
        return r;
    }

    /**
     * The floating-point operations of each width of the sweep, roughly: per network, the
     * forward and backward passes of every step on the training points (6 P N) and the
     * empirical NTK before and after training and the readout NNGP (about 3 P M^2 / width for
     * the Jacobian products, bounded below by 2 P M^2 / width), with P parameters, N training
     * and M = N + test samples.
     */
    private static double[] work(Settings s) {
        double[] w = new double[s.widths().length];
        long samples = s.xTrain().rows() + s.xTest().rows();
        for (int i = 0; i < w.length; i++) {
            int width = s.widths()[i];
            Architecture arch = s.shape() == null ? new Architecture(s.network(), s.xTrain().cols(), width, 1)
                    : new Architecture(s.network(), s.shape(), width, 1);
            double p = arch.parameterCount();
            // plus drawing the P weights (a Gaussian costs about as much as 100 operations)
            w[i] = s.seeds() * p * (100 + 6.0 * s.steps() * s.xTrain().rows() + 6.0 * samples + 3.0 * samples * samples);
        }
        return w;
    }

    /**
     * Refuses up front a sweep whose widest networks cannot fit in the heap: each network that
     * runs at once holds its initial and its trained parameters (8 bytes each) plus per-sample
     * activations and gradients.
     */
    private static void checkMemory(Settings s) {
        int widest = s.widths()[s.widths().length - 1];
        if (s.shape() != null) {
            // compiles the spec for the images first: a layer that does not fit is a SpecException naming its column
            KernelComputer.memoryEstimate(s.network(), s.shape(), 1, 1, 1);
        }
        Architecture arch = s.shape() == null ? new Architecture(s.network(), s.xTrain().cols(), widest, 1)
                : new Architecture(s.network(), s.shape(), widest, 1);
        long params = arch.parameterCount();
        long samples = s.xTrain().rows() + s.xTest().rows();
        long perSample = 0;
        for (Op.Linear d : arch.linear) {
            // the trace and gradients of a layer: its im2col rows and a few copies of its output
            perSample += (long) d.rowsPerSample() * (d.fanIn() + 8L * d.out());
        }
        // each network also holds its empirical NTK before and after training and its readout NNGP (samples^2 each)
        long perNetwork = 16 * params + 8L * samples * Math.max(perSample, 8L * widest * s.network().layers().size())
                + 24L * samples * samples;
        long concurrent = Math.min(s.seeds(), s.threads());
        // the analytic NNGP and NTK of every sample against every other
        long analytic = KernelComputer.memoryEstimate(s.network(), s.shape(), samples, samples, s.threads());
        long need = concurrent * perNetwork + analytic;
        long max = Runtime.getRuntime().maxMemory();
        if (need > max * 0.8) {
            throw new UserErrorException(String.format(java.util.Locale.ROOT,
                    "width %d with %d samples needs about %.1f GiB for %d networks at once but the heap holds %.1f GiB; "
                    + "use smaller widths, fewer rows, one thread, or a larger heap (e.g. -Xmx%dg)",
                    widest, samples, need / 1073741824.0, concurrent, max / 1073741824.0, (long) Math.ceil(need / 0.8 / 1073741824.0) + 1));
        }
    }

    /** |a - b|_F / |b|_F. */
    static double relative(Matrix a, Matrix b) {
        double num = 0;
        double den = 0;
        double[] x = a.data();
        double[] y = b.data();
        for (int e = 0; e < x.length; e++) {
            double d = x[e] - y[e];
            num += d * d;
            den += y[e] * y[e];
        }
        return Math.sqrt(num / den);
    }

    private static double rms(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s / a.length);
    }

    private static double rmsDifference(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s / a.length);
    }

    static Matrix block(Matrix a, int r0, int r1, int c0, int c1) {
        double[] out = new double[(r1 - r0) * (c1 - c0)];
        for (int i = r0; i < r1; i++) {
            System.arraycopy(a.data(), i * a.cols() + c0, out, (i - r0) * (c1 - c0), c1 - c0);
        }
        return Matrix.wrap(r1 - r0, c1 - c0, out);
    }

    private static Matrix stack(Matrix a, Matrix b) {
        double[] out = new double[a.data().length + b.data().length];
        System.arraycopy(a.data(), 0, out, 0, a.data().length);
        System.arraycopy(b.data(), 0, out, a.data().length, b.data().length);
        return Matrix.wrap(a.rows() + b.rows(), a.cols(), out);
    }
}
