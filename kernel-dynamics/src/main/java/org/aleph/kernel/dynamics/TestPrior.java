package org.aleph.kernel.dynamics;

import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/** A test-test prior kernel block: the full m x m matrix, or only its diagonal. */
final class TestPrior {

    final double[] full;
    final double[] diagonal;

    private TestPrior(double[] full, double[] diagonal) {
        this.full = full;
        this.diagonal = diagonal;
    }

    /** Copies what is needed: the full matrix when {@code needFull}, the diagonal otherwise. */
    static TestPrior of(Matrix kernel, int m, boolean needFull, String what) {
        if (kernel == null) {
            throw new UserErrorException(what + " is needed for the predictive " + (needFull ? "covariance" : "variance")
                    + " but was not given.");
        }
        Checks.finite(kernel, what);
        if (kernel.rows() == m && kernel.cols() == m) {
            double[] d = kernel.data();
            double[] diag = new double[m];
            for (int i = 0; i < m; i++) {
                diag[i] = d[i * m + i];
            }
            return new TestPrior(needFull ? d.clone() : null, diag);
        }
        if (!needFull && kernel.rows() == m && kernel.cols() == 1) {
            return new TestPrior(null, kernel.data().clone());
        }
        throw new UserErrorException(what + " must be " + m + " x " + m + (needFull ? "" : " (or its diagonal, " + m + " x 1)")
                + ", got " + kernel.rows() + " x " + kernel.cols() + ".");
    }
}
