package org.aleph.kernel.fit;

import java.util.concurrent.ExecutorService;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * The NNGP posterior mean on test points for the regression model of a fit (Rasmussen and
 * Williams 2006, eq. 2.23): {@code mean = s K_{*x} (s K + c I)^{-1} Y}, with
 * {@code c = noise} (absolute) or {@code noise * s * mean diag K} (relative, when the scale
 * cancels: {@code K_{*x} (K + noise mean diag K I)^{-1} Y}, the kernel regression of
 * {@code aleph classify} with {@code --diag-reg noise}). Kernels from {@link NngpRecursion} for
 * fully connected networks, else from kernel-api's kernel computer ({@link SpecKernels}).
 */
public final class NngpPosterior {

    private NngpPosterior() {
    }

    /**
     * The posterior mean, m x k (row-major).
     *
     * @param network  the network
     * @param train    training inputs, n x d
     * @param y        training targets, n x k
     * @param test     test inputs, m x d
     * @param scale    the output scale s
     * @param noise    the noise
     * @param relative whether the noise is relative to the mean diagonal of s K
     * @param pool     threads for the recursion (null: the caller's)
     * @param threads  their number
     */
    public static double[] mean(Network network, Matrix train, Matrix y, Matrix test, double scale, double noise, boolean relative,
                                LinearAlgebra la, ExecutorService pool, int threads) {
        return mean(network, train, null, y, test, scale, noise, relative, la, pool, threads);
    }

    /**
     * The posterior mean for any spec the kernel computer takes, m x k (row-major).
     *
     * @param shape the image shape of the rows of {@code train} and {@code test}, or null for flat vectors
     * @see #mean(Network, Matrix, Matrix, Matrix, double, double, boolean, LinearAlgebra, ExecutorService, int)
     */
    public static double[] mean(Network network, Matrix train, ImageShape shape, Matrix y, Matrix test, double scale, double noise,
                                boolean relative, LinearAlgebra la, ExecutorService pool, int threads) {
        if (test.cols() != train.cols()) {
            throw new UserErrorException("the test inputs have " + test.cols() + " features but the training inputs have " + train.cols());
        }
        if (NngpRecursion.computes(network)) {
            return recursionMean(network, train, y, test, scale, noise, relative, la, pool, threads);
        }
        double[] a = SpecKernels.nngp(network, train, null, shape, threads);
        double[] kt = SpecKernels.nngp(network, test, train, shape, threads);
        return solve(a, kt, train.rows(), test.rows(), y, scale, noise, relative, la);
    }

    private static double[] recursionMean(Network network, Matrix train, Matrix y, Matrix test, double scale, double noise,
                                          boolean relative, LinearAlgebra la, ExecutorService pool, int threads) {
        int n = train.rows();
        int m = test.rows();
        int d = train.cols();
        int k = y.cols();
        if (test.cols() != d) {
            throw new UserErrorException("the test inputs have " + test.cols() + " features but the training inputs have " + d);
        }
        PairLayout.Joint joint = PairLayout.trainAndOther(train, test, la);
        KernelState s = joint.input();
        new NngpRecursion(joint.layout(), pool, threads).apply(s, network);
        return solve(joint.layout().dense(s.entries(), joint.symmetric()), joint.layout().dense(s.entries(), joint.rectangular()),
                n, m, y, scale, noise, relative, la);
    }

    /** s K_tx (s K + c I)^-1 Y from the dense train kernel a (overwritten) and the test-train kernel kt. */
    private static double[] solve(double[] a, double[] kt, int n, int m, Matrix y, double scale, double noise, boolean relative,
                                  LinearAlgebra la) {
        int k = y.cols();
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i * n + i];
        }
        double c = relative ? noise * scale * trace / n : noise;
        for (int e = 0; e < a.length; e++) {
            a[e] *= scale;
        }
        for (int i = 0; i < n; i++) {
            a[i * n + i] += c;
        }
        if (la.choleskyInPlace(a, n) != 0) {
            throw new UserErrorException("s K + noise I is not numerically positive definite at noise " + noise
                    + (relative ? " (relative)" : " (absolute)") + "; a larger noise is needed for the posterior mean");
        }
        double[] alpha = transposeSolve(a, n, y, la);
        double[] mean = new double[m * k];
        la.gemm(false, true, m, k, n, scale, kt, alpha, 0.0, mean);
        return mean;
    }

    /** (A)^{-1} Y from A's Cholesky factor, returned as k rows of n (each target column contiguous). */
    static double[] transposeSolve(double[] l, int n, Matrix y, LinearAlgebra la) {
        int k = y.cols();
        double[] rows = new double[k * n];
        double[] yd = y.data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                rows[c * n + i] = yd[i * k + c];
            }
        }
        la.choleskySolveRows(l, n, rows, k);
        return rows;
    }
}
