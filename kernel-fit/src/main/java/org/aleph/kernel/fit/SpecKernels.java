package org.aleph.kernel.fit;

import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;

/**
 * The NNGP of any spec the kernel computer takes (convolutional, pooling, FanOut ... FanIn,
 * Repeat, Dropout, ...), from kernel-api's {@link KernelComputer}: for images of a given
 * {@link ImageShape} (each row one image in NHWC order) the spatial recursion of DESIGN.md
 * "Convolutional networks" (Novak et al. 2019, eq. 7; Arora et al. 2019), for flat vectors
 * the tiled recursion. Fitting and sweeps use it for every network that
 * {@link NngpRecursion#computes} does not; each call computes one whole kernel (there is no
 * state shared between hyperparameter values, unlike the fully connected recursion, which
 * starts every value from the same input Gram).
 */
public final class SpecKernels {

    private SpecKernels() {
    }

    /**
     * K(X1, X2) row-major (n1 x n2), or K(X1, X1) when {@code x2} is null.
     *
     * @param shape   the image shape of the rows, or null for flat vectors
     * @param threads the computer's worker threads
     */
    public static double[] nngp(Network network, Matrix x1, Matrix x2, ImageShape shape, int threads) {
        KernelComputer computer = new KernelComputer(network, Math.max(1, threads));
        KernelResult r = shape == null ? computer.compute(x1, x2) : computer.compute(x1, x2, shape);
        return r.nngp().data();
    }

    /** The upper triangle (i &lt;= j, row by row) of a dense symmetric n x n matrix: the order of a symmetric {@link PairLayout} block. */
    static double[] packUpper(double[] dense, int n) {
        double[] packed = new double[n * (n + 1) / 2];
        int e = 0;
        for (int i = 0; i < n; i++) {
            int len = n - i;
            System.arraycopy(dense, i * n + i, packed, e, len);
            e += len;
        }
        return packed;
    }
}
