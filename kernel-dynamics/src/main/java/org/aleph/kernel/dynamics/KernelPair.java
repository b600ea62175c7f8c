package org.aleph.kernel.dynamics;

import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;

/**
 * The NNGP kernel K and the NTK Theta of one block of points (train-train, test-train or
 * test-test). Either may be null when the requested prediction does not need it. A test-test
 * block may hold only the diagonal, as an m x 1 matrix, when only variances are wanted.
 *
 * @param nngp the NNGP kernel, or null
 * @param ntk  the neural tangent kernel, or null
 */
public record KernelPair(Matrix nngp, Matrix ntk) {

    /** Both kernels of a result of the recursion (shared, not copied). */
    public static KernelPair of(KernelResult result) {
        return new KernelPair(result.nngp(), result.ntk());
    }

    /** The test-test diagonals only: NNGP variances and the NTK diagonal, each as m x 1. */
    public static KernelPair diagonals(double[] nngpDiagonal, double[] ntkDiagonal) {
        return new KernelPair(
                nngpDiagonal == null ? null : Matrix.wrap(nngpDiagonal.length, 1, nngpDiagonal.clone()),
                ntkDiagonal == null ? null : Matrix.wrap(ntkDiagonal.length, 1, ntkDiagonal.clone()));
    }

    /** The kernel of the given kind. */
    Matrix get(KernelKind kind) {
        return kind == KernelKind.NNGP ? nngp : ntk;
    }
}
