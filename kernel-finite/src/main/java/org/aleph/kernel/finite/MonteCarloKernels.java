package org.aleph.kernel.finite;

import java.util.Objects;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;

/**
 * Monte Carlo kernels over independent random networks of one width (sample i drawn with
 * seed {@link #sampleSeed(long, int) sampleSeed(seed, i)}):
 * <ul>
 *   <li>{@link #nngp}: the mean of {@code f(x) f(x')} over networks (and over their k outputs,
 *       each an exchangeable sample) — the NNGP kernel as width grows (Neal 1996; Lee et al.
 *       2018; Matthews et al. 2018);</li>
 *   <li>{@link #readoutNngp}: the mean of each network's {@link FiniteNetwork#readoutNngp},
 *       the same expectation with the last layer integrated out exactly;</li>
 *   <li>{@link #ntk}: the mean of the empirical NTK of one-output networks — the NTK as width
 *       grows (Jacot et al. 2018).</li>
 * </ul>
 * Convolutional specs take images (one per row, NHWC) through the overloads with an
 * {@link ImageShape}: the same estimators then converge to the CNN-GP and the convolutional NTK
 * (Novak et al. 2019; Arora et al. 2019).
 *
 * <p>Networks are drawn and evaluated in parallel (one task per network; each task's result is
 * kept and the mean and standard error are summed afterwards in the order of i), so results
 * are bit-for-bit the same for any number of threads.
 */
public final class MonteCarloKernels {

    /** The kind of per-network kernel sample. */
    private enum Kind { OUTPUT_PRODUCT, READOUT, NTK }

    private MonteCarloKernels() {
    }

    /** The seed of network i of a Monte Carlo run with the given seed. */
    public static long sampleSeed(long seed, int i) {
        return Seeds.derive(seed, -7, i);
    }

    /** The mean of f_a(x) f_a(x') over {@code samples} networks and their {@code outputs} outputs. */
    public static KernelEstimate nngp(Network network, Matrix x, int width, int outputs, int samples, long seed, int threads) {
        return estimate(Kind.OUTPUT_PRODUCT, network, null, x, width, outputs, samples, seed, threads);
    }

    /** {@link #nngp(Network, Matrix, int, int, int, long, int)} for images of the given shape, one per row. */
    public static KernelEstimate nngp(Network network, ImageShape shape, Matrix x, int width, int outputs, int samples, long seed,
                                      int threads) {
        return estimate(Kind.OUTPUT_PRODUCT, network, Objects.requireNonNull(shape, "shape"), x, width, outputs, samples, seed, threads);
    }

    /** The mean over {@code samples} networks of the readout-conditional NNGP. */
    public static KernelEstimate readoutNngp(Network network, Matrix x, int width, int samples, long seed, int threads) {
        return estimate(Kind.READOUT, network, null, x, width, 1, samples, seed, threads);
    }

    /** {@link #readoutNngp(Network, Matrix, int, int, long, int)} for images of the given shape, one per row. */
    public static KernelEstimate readoutNngp(Network network, ImageShape shape, Matrix x, int width, int samples, long seed, int threads) {
        return estimate(Kind.READOUT, network, Objects.requireNonNull(shape, "shape"), x, width, 1, samples, seed, threads);
    }

    /** The mean over {@code samples} one-output networks of the empirical NTK. */
    public static KernelEstimate ntk(Network network, Matrix x, int width, int samples, long seed, int threads) {
        return estimate(Kind.NTK, network, null, x, width, 1, samples, seed, threads);
    }

    /** {@link #ntk(Network, Matrix, int, int, long, int)} for images of the given shape, one per row. */
    public static KernelEstimate ntk(Network network, ImageShape shape, Matrix x, int width, int samples, long seed, int threads) {
        return estimate(Kind.NTK, network, Objects.requireNonNull(shape, "shape"), x, width, 1, samples, seed, threads);
    }

    private static KernelEstimate estimate(Kind kind, Network network, ImageShape shape, Matrix x, int width, int outputs,
                                           int samples, long seed, int threads) {
        Objects.requireNonNull(network, "network");
        if (samples < 2) {
            throw new UserErrorException("a Monte Carlo kernel needs at least 2 networks for its standard error, got " + samples);
        }
        int n = x.rows();
        double[][] perSample = new double[samples][];
        Workers workers = Workers.of(threads);
        long work = (long) width * width * n * 4 + (long) width * x.cols() * n;
        workers.run(samples, work * samples, i -> {
            long s = sampleSeed(seed, i);
            FiniteNetwork net = shape == null ? FiniteNetwork.sample(network, x.cols(), width, outputs, s, threads)
                    : FiniteNetwork.sample(network, shape, width, outputs, s, threads);
            perSample[i] = switch (kind) {
                case OUTPUT_PRODUCT -> outputProducts(net.apply(x), n, outputs);
                case READOUT -> net.readoutNngp(x).data();
                case NTK -> net.ntk(x).data();
            };
        });
        int m = perSample[0].length;
        double[] mean = new double[m];
        for (double[] s : perSample) {
            for (int e = 0; e < m; e++) {
                mean[e] += s[e];
            }
        }
        for (int e = 0; e < m; e++) {
            mean[e] /= samples;
        }
        double[] se = new double[m];
        for (double[] s : perSample) {
            for (int e = 0; e < m; e++) {
                double d = s[e] - mean[e];
                se[e] += d * d;
            }
        }
        for (int e = 0; e < m; e++) {
            se[e] = Math.sqrt(se[e] / (samples - 1.0) / samples);
        }
        int side = (int) Math.round(Math.sqrt(m));
        return new KernelEstimate(Matrix.wrap(side, side, mean), Matrix.wrap(side, side, se), samples);
    }

    private static double[] outputProducts(Matrix f, int n, int k) {
        double[] out = new double[n * n];
        double[] d = f.data();
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < n; t++) {
                double sum = 0;
                for (int a = 0; a < k; a++) {
                    sum += d[s * k + a] * d[t * k + a];
                }
                out[s * n + t] = sum / k;
            }
        }
        return out;
    }
}
