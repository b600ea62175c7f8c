package org.aleph.kernel.dynamics;

import org.aleph.kernel.Matrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * Independent reference formulas with Hipparchus matrices, written straight from the papers
 * (no eigenbasis tricks, no Cholesky): LU inverses and the matrix exponential of a symmetric
 * matrix from Hipparchus's own eigen-solver.
 */
final class Reference {

    private Reference() {
    }

    static RealMatrix r(Matrix m) {
        return MatrixUtils.createRealMatrix(m.toArray());
    }

    static double[] flat(RealMatrix a) {
        double[] out = new double[a.getRowDimension() * a.getColumnDimension()];
        for (int i = 0; i < a.getRowDimension(); i++) {
            for (int j = 0; j < a.getColumnDimension(); j++) {
                out[i * a.getColumnDimension() + j] = a.getEntry(i, j);
            }
        }
        return out;
    }

    static RealMatrix regularized(RealMatrix k, double reg) {
        int n = k.getRowDimension();
        return k.add(MatrixUtils.createRealIdentityMatrix(n).scalarMultiply(reg));
    }

    static RealMatrix inverse(RealMatrix a) {
        return new LUDecomposition(a).getSolver().getInverse();
    }

    /** exp(-s A) for a symmetric A (negative eigenvalues of A clamped at 0, like the code under test). */
    static RealMatrix expNeg(RealMatrix a, double s) {
        EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(a);
        double[] l = e.getEigenvalues().clone();
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.exp(-Math.max(l[i], 0) * s);
        }
        return e.getV().multiply(MatrixUtils.createRealDiagonalMatrix(l)).multiply(e.getVT());
    }

    /**
     * Lee et al. 2019 eq. 16: mean and covariance of the ensemble on test points, written out:
     * T = Theta_*x Theta^{-1} (I - exp(-Theta s)); mean = T y; cov = K_** + T K T^T - T K_x* - K_*x T^T.
     */
    static RealMatrix[] ensemble(RealMatrix thetaDd, RealMatrix thetaTd, RealMatrix kDd, RealMatrix kTd, RealMatrix kTt,
                                 RealMatrix y, double s) {
        int n = thetaDd.getRowDimension();
        RealMatrix iMinusE = MatrixUtils.createRealIdentityMatrix(n).subtract(expNeg(thetaDd, s));
        RealMatrix t = thetaTd.multiply(inverse(thetaDd)).multiply(iMinusE);
        RealMatrix mean = t.multiply(y);
        RealMatrix cov = kTt.add(t.multiply(kDd).multiply(t.transpose()))
                .subtract(t.multiply(kTd.transpose())).subtract(kTd.multiply(t.transpose()));
        return new RealMatrix[] {mean, cov};
    }

    /** The smallest eigenvalue of a symmetric matrix (Hipparchus). */
    static double minEigenvalue(double[] a, int n) {
        RealMatrix m = MatrixUtils.createRealMatrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m.setEntry(i, j, 0.5 * (a[i * n + j] + a[j * n + i]));
            }
        }
        double min = Double.POSITIVE_INFINITY;
        for (double v : new EigenDecompositionSymmetric(m).getEigenvalues()) {
            min = Math.min(min, v);
        }
        return min;
    }
}
