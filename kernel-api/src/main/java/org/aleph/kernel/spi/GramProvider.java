package org.aleph.kernel.spi;

/**
 * An optimised matrix product for the input Gram X1 X2^T, found with
 * {@link java.util.ServiceLoader}: a module holding a native BLAS binding provides one, and
 * {@link org.aleph.kernel.KernelComputer} uses the available provider of highest
 * {@link #priority()} instead of its pure-Java tiles. Without a provider (or when its native
 * library is missing) the pure-Java path computes the same products.
 */
public interface GramProvider {

    /** A short name for reports, e.g. {@code OpenBLAS dsyrk/dgemm (netlib JNI)}. Never null. */
    String name();

    /** Larger wins when several providers are present. */
    default int priority() {
        return 0;
    }

    /**
     * Whether this provider can work in this process (its native library loaded). Called once;
     * a provider answering false is ignored.
     */
    boolean available();

    /**
     * Writes the products of rows, out[i * n2 + j] = x1_i . x2_j (no division by d).
     *
     * @param x1  row-major n1 x d
     * @param x2  row-major n2 x d, or null for X1 against itself; then only the entries with
     *            j &gt;= i (the upper triangle in row-major order) need to be written
     * @param out row-major n1 x n2 (n2 = n1 when x2 is null)
     */
    void gram(double[] x1, int n1, double[] x2, int n2, int d, double[] out);
}
