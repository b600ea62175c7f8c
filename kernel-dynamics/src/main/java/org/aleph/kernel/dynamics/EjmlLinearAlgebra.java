package org.aleph.kernel.dynamics;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Pure-Java {@link LinearAlgebra} with EJML 0.46 (its multi-threaded block Cholesky,
 * symmetric QR eigen-solver and concurrent products). Triangular solves with many
 * right-hand sides run here, one right-hand side per task, both substitutions as
 * vectorisable updates along contiguous rows of L and L^T.
 */
final class EjmlLinearAlgebra implements LinearAlgebra {

    @Override
    public String name() {
        return "pure Java (EJML 0.46, multi-threaded)";
    }

    @Override
    public boolean isNative() {
        return false;
    }

    @Override
    public int choleskyInPlace(double[] a, int n) {
        if (n == 0) {
            return 0;
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_MT_DDRM.chol(n, true);
        DMatrixRMaj m = DMatrixRMaj.wrap(n, n, a);
        if (!chol.decompose(m)) {
            return n + 1;
        }
        DMatrixRMaj l = chol.getT(null);
        System.arraycopy(l.data, 0, a, 0, n * n);
        for (int i = 0; i < n; i++) {
            if (!(a[i * n + i] > 0) || !Double.isFinite(a[i * n + i])) {
                return i + 1; // EJML accepts a zero pivot on some paths: a factor must be positive
            }
            Arrays.fill(a, i * n + i + 1, (i + 1) * n, 0.0);
        }
        return 0;
    }

    /** Right-hand sides solved together, so that each row of L is read once per block from cache. */
    static final int RHS_BLOCK = 8;

    @Override
    public void choleskySolveRows(double[] l, int n, double[] b, int k) {
        // Both substitutions in "axpy" form over contiguous rows (which the JIT vectorises): the
        // forward one walks the columns of L, i.e. the rows of L^T, copied once per call.
        double[] lt = RegularizedCholesky.transpose(l, n, n);
        int blocks = (k + RHS_BLOCK - 1) / RHS_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(blk -> {
            int from = blk * RHS_BLOCK;
            solveBlock(l, lt, n, b, from, Math.min(k, from + RHS_BLOCK));
        });
    }

    /** Forward substitution with L (column j of L = row j of L^T), then backward with L^T (row j of L). */
    private static void solveBlock(double[] l, double[] lt, int n, double[] x, int from, int to) {
        for (int j = 0; j < n; j++) {
            int row = j * n;
            double d = lt[row + j];
            for (int r = from; r < to; r++) {
                int off = r * n;
                double xj = x[off + j] / d;
                x[off + j] = xj;
                for (int i = j + 1; i < n; i++) {
                    x[off + i] -= lt[row + i] * xj;
                }
            }
        }
        for (int j = n - 1; j >= 0; j--) {
            int row = j * n;
            double d = l[row + j];
            for (int r = from; r < to; r++) {
                int off = r * n;
                double xj = x[off + j] / d;
                x[off + j] = xj;
                for (int i = 0; i < j; i++) {
                    x[off + i] -= l[row + i] * xj;
                }
            }
        }
    }

    @Override
    public double[] symmetricEigen(double[] a, int n) {
        if (n == 0) {
            return new double[0];
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_MT_DDRM.eig(n, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(n, n, a.clone()))) {
            throw new IllegalStateException("EJML's symmetric eigen-solver did not converge (n = " + n + ")");
        }
        Integer[] order = new Integer[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            values[i] = eig.getEigenvalue(i).real;
        }
        Arrays.sort(order, (p, q) -> Double.compare(values[p], values[q]));
        double[] sorted = new double[n];
        for (int r = 0; r < n; r++) {
            sorted[r] = values[order[r]];
            DMatrixRMaj v = eig.getEigenVector(order[r]);
            System.arraycopy(v.data, 0, a, r * n, n);
        }
        return sorted;
    }

    @Override
    public double largestEigenvalue(double[] a, int n) {
        double[] v = eigenvaluesOnly(a, n);
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        return max;
    }

    /** The eigenvalues (unsorted) without vectors. */
    static double[] eigenvaluesOnly(double[] a, int n) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_MT_DDRM.eig(n, false, true);
        if (!eig.decompose(DMatrixRMaj.wrap(n, n, a.clone()))) {
            throw new IllegalStateException("EJML's symmetric eigen-solver did not converge (n = " + n + ")");
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = eig.getEigenvalue(i).real;
        }
        return v;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, double[] b, double beta, double[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        DMatrixRMaj am = transA ? DMatrixRMaj.wrap(k, m, a) : DMatrixRMaj.wrap(m, k, a);
        DMatrixRMaj bm = transB ? DMatrixRMaj.wrap(n, k, b) : DMatrixRMaj.wrap(k, n, b);
        DMatrixRMaj out = new DMatrixRMaj(m, n);
        if (k > 0) {
            if (transA && transB) {
                CommonOps_MT_DDRM.multTransAB(alpha, am, bm, out);
            } else if (transA) {
                CommonOps_MT_DDRM.multTransA(alpha, am, bm, out);
            } else if (transB) {
                CommonOps_MT_DDRM.multTransB(alpha, am, bm, out);
            } else {
                CommonOps_MT_DDRM.mult(alpha, am, bm, out);
            }
        }
        DMatrixRMaj cm = DMatrixRMaj.wrap(m, n, c);
        if (beta == 0) {
            System.arraycopy(out.data, 0, c, 0, m * n);
        } else {
            if (beta != 1) {
                CommonOps_DDRM.scale(beta, cm);
            }
            CommonOps_DDRM.addEquals(cm, out);
        }
    }
}
