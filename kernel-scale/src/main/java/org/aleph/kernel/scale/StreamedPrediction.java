package org.aleph.kernel.scale;

import org.aleph.kernel.Matrix;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * The predictions K(test, train) A for m test points, by blocks of test points: each block's
 * kernel against all training points is computed by the recursion, multiplied by A and
 * dropped, so no m x n matrix ever exists. Blocks hold at most {@link #BLOCK_BYTES} of kernels
 * (both kinds, as the recursion computes them together).
 */
final class StreamedPrediction {

    /** The most bytes one test block's kernels (NNGP and NTK) may hold. */
    static final long BLOCK_BYTES = 128L << 20;

    private StreamedPrediction() {
    }

    /** Test rows per block for n training points, at most {@code cap}. */
    static int testBlock(int n, int cap) {
        return (int) Math.max(1, Math.min(cap, BLOCK_BYTES / (16L * n)));
    }

    static Matrix predict(TileBuilder kernels, KernelKind kind, Matrix xTrain, Matrix xTest, double[] a, int k,
                          int cap, LinearAlgebra la, ScaleProgress progress) {
        int n = xTrain.rows();
        int m = xTest.rows();
        int bt = testBlock(n, cap);
        double[] mean = new double[m * k];
        progress.update("predict", 0, m);
        for (int t0 = 0; t0 < m; t0 += bt) {
            int rows = Math.min(bt, m - t0);
            Matrix kt = TileBuilder.pick(kernels.kernels(TileBuilder.rows(xTest, t0, rows), xTrain), kind);
            double[] part = new double[rows * k];
            la.gemm(false, false, rows, k, n, 1.0, kt.data(), a, 0.0, part);
            System.arraycopy(part, 0, mean, t0 * k, part.length);
            progress.update("predict", t0 + rows, m);
        }
        return Matrix.wrap(m, k, mean);
    }
}
