package org.aleph.kernel.dynamics;

import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;

/**
 * The three kernel blocks a prediction needs, computed in one call: train-train (n x n),
 * test-train (m x n) and, for uncertainties, test-test (m x m, or its m x 1 diagonal when only
 * variances are wanted and the diagonal is all the posterior needs). Each block holds both the
 * NNGP and the NTK, ready for {@link GpInference} and {@link MseEnsemble}:
 * <pre>{@code
 *   KernelBlocks k = KernelBlocks.compute(new KernelComputer(net), xTrain, xTest, PosteriorKind.NNGP, Uncertainty.VARIANCE);
 *   Prediction p = new GpInference(k.trainTrain(), y, DiagonalRegularizer.relative(1e-4), LinearAlgebra.automatic())
 *           .predict(PosteriorKind.NNGP, k.testTrain(), k.testTest(), Uncertainty.VARIANCE);
 * }</pre>
 * Which test-test block is computed: none for {@link Uncertainty#NONE}; the full kernels for
 * {@link Uncertainty#COVARIANCE}, and for variances of the NTKGP posterior (whose prior is the
 * NTK, whose diagonal the test-train pass does not give); otherwise only the NNGP variances of
 * the test points, which the test-train pass computes anyway (no m x m work).
 *
 * @param trainTrain the kernels of the training points against themselves
 * @param testTrain  the kernels of the test points against the training points
 * @param testTest   the test-test kernels (full or NNGP diagonal), or null for {@link Uncertainty#NONE}
 */
public record KernelBlocks(KernelPair trainTrain, KernelPair testTrain, KernelPair testTest) {

    /** The blocks for flat inputs (one sample per row). */
    public static KernelBlocks compute(KernelComputer computer, Matrix xTrain, Matrix xTest, PosteriorKind kind,
                                       Uncertainty uncertainty) {
        return compute(computer, xTrain, xTest, null, kind, uncertainty);
    }

    /**
     * The blocks for inputs that are images of the given shape (NHWC rows), or flat inputs when
     * {@code shape} is null.
     *
     * @param kind the prediction the blocks are for: it decides which test-test block variances need
     *             (the finite-time {@link MseEnsemble} needs what {@link PosteriorKind#limitOfTraining} gives)
     */
    public static KernelBlocks compute(KernelComputer computer, Matrix xTrain, Matrix xTest, ImageShape shape,
                                       PosteriorKind kind, Uncertainty uncertainty) {
        KernelPair dd = KernelPair.of(run(computer, xTrain, null, shape));
        KernelResult td = run(computer, xTest, xTrain, shape);
        KernelPair tt = null;
        if (uncertainty == Uncertainty.COVARIANCE || (uncertainty == Uncertainty.VARIANCE && kind == PosteriorKind.NTKGP)) {
            tt = KernelPair.of(run(computer, xTest, null, shape));
        } else if (uncertainty == Uncertainty.VARIANCE) {
            tt = KernelPair.diagonals(td.var1(), null);
        }
        return new KernelBlocks(dd, KernelPair.of(td), tt);
    }

    private static KernelResult run(KernelComputer computer, Matrix x1, Matrix x2, ImageShape shape) {
        return shape == null ? computer.compute(x1, x2) : computer.compute(x1, x2, shape);
    }
}
