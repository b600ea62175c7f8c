package org.aleph.kernel.scale;

/**
 * A symmetric positive semi-definite n x n kernel that is never held as one array, seen through
 * what the solver needs: its diagonal, some of its rows (for the pivoted Cholesky) and its
 * products with blocks of vectors. {@link TiledRegression#solve} works on any implementation:
 * the memory-mapped tiles of this module, or tiles cached on a cluster (kernel-spark).
 */
public interface KernelOperator {

    /** The order n. */
    int n();

    /** The diagonal K_ii (may be shared; not modified by callers). */
    double[] diagonal();

    /** The rows K(p, :) of the given points into {@code out}, row q at {@code out[q * n]}. */
    void rows(int[] points, double[] out);

    /** Y = (K + shift I) X for X n x k (row-major); Y is overwritten. */
    void multiply(double[] x, int k, double shift, double[] y);
}
