package org.aleph.kernel.scale;

import java.nio.DoubleBuffer;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.bytedeco.javacpp.DoublePointer;

/**
 * The low-rank factor of the preconditioner, L^T held as r rows of n (row j = column j of L),
 * with the few operations the pivoted Cholesky and the Nystrom preconditioner need, all
 * matrix-matrix products: C -= L[cand, :f] L[:, :f]^T for a round of candidates, the Gram
 * L^T L and its eigendecomposition, and the products L^T R and L D with blocks of vectors.
 *
 * <p>Two homes: off the heap on the bundled OpenBLAS ({@link NativeBlas}; the r x n factor is
 * never copied through JNI, only the small blocks are), or a Java array with the given
 * {@link LinearAlgebra} (system LAPACK or EJML). At r = 4000 and n = 60 000 the factor is 1.9 GB.
 */
abstract class FactorStore implements AutoCloseable {

    /** Rows in use (at most those allocated). */
    int r;
    final int n;

    private FactorStore(int r, int n) {
        this.r = r;
        this.n = n;
    }

    /** Whether factors live off the heap: the bundled OpenBLAS is usable and no system BLAS is loaded. */
    static boolean offHeap() {
        return TiledKernel.Product.blas() == TiledKernel.Product.BUNDLED;
    }

    /** An r x n factor of zeros, off the heap when the bundled OpenBLAS is usable. */
    static FactorStore allocate(int r, int n, LinearAlgebra la) {
        return offHeap() ? new OffHeap(r, n) : new Heap(r, n, la);
    }

    /** Uses only the first {@code rows} rows from now on (a factorisation that stopped early). */
    void shrink(int rows) {
        if (rows > r) {
            throw new IllegalArgumentException("cannot grow the factor from " + r + " to " + rows + " rows");
        }
        r = rows;
    }

    /** Entry (j, i) of L^T, i.e. L[i, j]. */
    abstract double get(int j, int i);

    /** Rows {@code from .. from + count - 1} of L^T from the row-major {@code rows}. */
    abstract void setRows(int from, double[] rows, int count);

    /** C (b x n, row-major) -= LC (b x f) times the first f rows of L^T. */
    abstract void subtractProduct(double[] lc, int b, int f, double[] c);

    /**
     * The eigendecomposition of L^T L (r x r) = V diag(lambda) V^T: returns lambda ascending and
     * writes into {@code vectors} (r x r) the eigenvectors as rows (row j = eigenvector j).
     */
    abstract double[] gramEigen(double[] vectors);

    /** C (r x k) = L^T R for R n x k (row-major). */
    abstract double[] project(double[] rhs, int k);

    /** Z (n x k) += L D for D r x k. */
    abstract void addLift(double[] d, int k, double[] z);

    @Override
    public abstract void close();

    /**
     * The factor in a Java array, products by a {@link LinearAlgebra}, except the two thin ones of
     * every iteration (L^T R, L D), which run on the Vector API and every core where the tile
     * product does ({@link VectorFactorProduct}).
     */
    private static final class Heap extends FactorStore {
        private static final boolean VECTOR = TiledKernel.Product.best() == TiledKernel.Product.VECTOR;
        private static final int THREADS = Runtime.getRuntime().availableProcessors();
        private final double[] lt;
        private final LinearAlgebra la;

        Heap(int r, int n, LinearAlgebra la) {
            super(r, n);
            this.lt = new double[Math.multiplyExact(r, n)];
            this.la = la;
        }

        @Override
        double get(int j, int i) {
            return lt[j * n + i];
        }

        @Override
        void setRows(int from, double[] rows, int count) {
            System.arraycopy(rows, 0, lt, from * n, count * n);
        }

        @Override
        void subtractProduct(double[] lc, int b, int f, double[] c) {
            la.gemm(false, false, b, n, f, -1.0, lc, lt, 1.0, c); // only the first f x n of lt is read
        }

        @Override
        double[] gramEigen(double[] vectors) {
            la.gemm(false, true, r, r, n, 1.0, lt, lt, 0.0, vectors);
            return la.symmetricEigen(vectors, r);
        }

        @Override
        double[] project(double[] rhs, int k) {
            if (VECTOR) {
                return VectorFactorProduct.project(lt, r, n, rhs, k, THREADS);
            }
            double[] c = new double[r * k];
            la.gemm(false, false, r, k, n, 1.0, lt, rhs, 0.0, c);
            return c;
        }

        @Override
        void addLift(double[] d, int k, double[] z) {
            if (VECTOR) {
                VectorFactorProduct.addLift(lt, r, n, d, k, z, THREADS);
                return;
            }
            la.gemm(true, false, n, k, r, 1.0, lt, d, 1.0, z);
        }

        @Override
        public void close() {
        }
    }

    /** The factor in native memory, products by OpenBLAS dgemm / dsyrk / dsyevd. */
    private static final class OffHeap extends FactorStore {
        private final DoublePointer lt;
        private final DoubleBuffer view;

        OffHeap(int r, int n) {
            super(r, n);
            this.lt = new DoublePointer(Math.multiplyExact((long) r, (long) n));
            lt.fill(0);
            this.view = lt.asBuffer();
        }

        @Override
        double get(int j, int i) {
            return view.get(j * n + i);
        }

        @Override
        void setRows(int from, double[] rows, int count) {
            lt.position((long) from * n).put(rows, 0, count * n);
            lt.position(0);
        }

        @Override
        void subtractProduct(double[] lc, int b, int f, double[] c) {
            try (DoublePointer a = new DoublePointer(lc); DoublePointer out = new DoublePointer(c)) {
                NativeBlas.gemm(false, false, b, n, f, -1.0, a, f, lt, n, 1.0, out, n);
                out.get(c);
            }
        }

        @Override
        double[] gramEigen(double[] vectors) {
            try (DoublePointer g = new DoublePointer((long) r * r)) {
                NativeBlas.syrk(r, n, lt, n, g);
                double[] lambda = NativeBlas.symmetricEigen(g, r);
                double[] cols = new double[r * r];
                g.get(cols);
                for (int i = 0; i < r; i++) { // columns of dsyevd's output to rows
                    for (int j = 0; j < r; j++) {
                        vectors[j * r + i] = cols[i * r + j];
                    }
                }
                return lambda;
            }
        }

        @Override
        double[] project(double[] rhs, int k) {
            double[] c = new double[r * k];
            try (DoublePointer x = new DoublePointer(rhs); DoublePointer out = new DoublePointer((long) r * k)) {
                NativeBlas.gemm(false, false, r, k, n, 1.0, lt, n, x, k, 0.0, out, k);
                out.get(c);
            }
            return c;
        }

        @Override
        void addLift(double[] d, int k, double[] z) {
            try (DoublePointer dp = new DoublePointer(d); DoublePointer out = new DoublePointer(z)) {
                NativeBlas.gemm(true, false, n, k, r, 1.0, lt, n, dp, k, 1.0, out, k);
                out.get(z);
            }
        }

        @Override
        public void close() {
            lt.close();
        }
    }
}
