package org.aleph.kernel;

/**
 * The input kernel K0 = x . x' / d for one tile: dot products of rows, register-blocked two
 * rows by two columns over primitive arrays. Every entry is its dot product summed in index
 * order, so the diagonal of X against itself equals {@link #squaredNorms} bit for bit and the
 * result depends neither on the tiling nor on the number of threads.
 */
final class InputGram {

    private InputGram() {
    }

    /** |x_i|^2 / d for every row of a row-major n x d array. */
    static double[] squaredNorms(double[] x, int n, int d) {
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int base = i * d;
            for (int k = 0; k < d; k++) {
                s += x[base + k] * x[base + k];
            }
            q[i] = s / d;
        }
        return q;
    }

    /** The name of the pure-Java products, for reports. */
    static final String NAME = "pure Java (register-blocked dot products)";

    /**
     * Writes x1_i . x2_j / d for i in [i0, i0+tr), j in [j0, j0+tc) into out[(i-i0)*tc + (j-j0)].
     *
     * @param x1 row-major n1 x d
     * @param x2 row-major n2 x d
     */
    static void tile(double[] x1, double[] x2, int d, int i0, int tr, int j0, int tc, double[] out) {
        block(x1, x2, d, i0, tr, j0, tc, out, 0, tc, d);
    }

    /**
     * The whole Gram as {@link org.aleph.kernel.spi.GramProvider#gram} defines it, in pure
     * Java: out[i n2 + j] = x1_i . x2_j (not divided by d), only j &gt;= i when x2 is null;
     * blocks of {@link KernelComputer#TILE} rows and columns handed out to {@code threads}
     * threads. Each entry is summed in index order, as {@link #tile} sums it.
     */
    static void products(double[] x1, int n1, double[] x2, int n2, int d, double[] out, int threads) {
        boolean symmetric = x2 == null;
        double[] b = symmetric ? x1 : x2;
        int t = KernelComputer.TILE;
        int rowBlocks = (n1 + t - 1) / t;
        int colBlocks = (n2 + t - 1) / t;
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable worker = () -> {
            for (int k = next.getAndIncrement(); k < rowBlocks * colBlocks; k = next.getAndIncrement()) {
                int i0 = k / colBlocks * t;
                int j0 = k % colBlocks * t;
                if (symmetric && j0 + t <= i0) {
                    continue; // wholly below the diagonal
                }
                block(x1, b, d, i0, Math.min(t, n1 - i0), j0, Math.min(t, n2 - j0), out, i0 * n2 + j0, n2, 1.0);
            }
        };
        KernelComputer.runWorkers(worker, Math.max(1, Math.min(threads, rowBlocks * colBlocks)));
    }

    /**
     * Writes x1_i . x2_j / divisor for i in [i0, i0+tr), j in [j0, j0+tc) into
     * out[offset + (i-i0)*ld + (j-j0)], two rows by two columns at a time.
     */
    private static void block(double[] x1, double[] x2, int d, int i0, int tr, int j0, int tc,
                              double[] out, int offset, int ld, double divisor) {
        double dd = divisor;
        int i = 0;
        for (; i + 2 <= tr; i += 2) {
            int a0 = (i0 + i) * d;
            int a1 = a0 + d;
            int c0 = offset + i * ld;
            int c1 = c0 + ld;
            int j = 0;
            for (; j + 2 <= tc; j += 2) {
                int b0 = (j0 + j) * d;
                int b1 = b0 + d;
                double s00 = 0;
                double s01 = 0;
                double s10 = 0;
                double s11 = 0;
                for (int k = 0; k < d; k++) {
                    double p = x1[a0 + k];
                    double q = x1[a1 + k];
                    double u = x2[b0 + k];
                    double v = x2[b1 + k];
                    s00 += p * u;
                    s01 += p * v;
                    s10 += q * u;
                    s11 += q * v;
                }
                out[c0 + j] = s00 / dd;
                out[c0 + j + 1] = s01 / dd;
                out[c1 + j] = s10 / dd;
                out[c1 + j + 1] = s11 / dd;
            }
            if (j < tc) {
                out[c0 + j] = dot(x1, a0, x2, (j0 + j) * d, d) / dd;
                out[c1 + j] = dot(x1, a1, x2, (j0 + j) * d, d) / dd;
            }
        }
        if (i < tr) {
            int a = (i0 + i) * d;
            int c = offset + i * ld;
            for (int j = 0; j < tc; j++) {
                out[c + j] = dot(x1, a, x2, (j0 + j) * d, d) / dd;
            }
        }
    }

    /**
     * Copies the block [i0, i0+tr) x [j0, j0+tc) of a full row-major Gram (products not yet
     * divided by d) into out, divided by d. On a diagonal block of a symmetric Gram only the
     * upper triangle is trusted and mirrored.
     */
    static void copyTile(double[] full, int n2, int d, int i0, int tr, int j0, int tc, boolean diagonal, double[] out) {
        double dd = d;
        for (int i = 0; i < tr; i++) {
            int src = (i0 + i) * n2 + j0;
            int dst = i * tc;
            for (int j = diagonal ? i : 0; j < tc; j++) {
                out[dst + j] = full[src + j] / dd;
            }
        }
        if (diagonal) {
            for (int i = 0; i < tr; i++) {
                for (int j = 0; j < i; j++) {
                    out[i * tc + j] = out[j * tc + i];
                }
            }
        }
    }

    private static double dot(double[] x, int a, double[] y, int b, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += x[a + k] * y[b + k];
        }
        return s;
    }
}
