package org.aleph.kernel;

/**
 * The input kernel K0 = x . x' / d for one tile, as a register-blocked matrix product
 * over primitive arrays. Each entry is the dot product summed in index order, so the
 * diagonal of X against itself equals {@link #squaredNorms} bit for bit and results do
 * not depend on the tiling or the number of threads.
 */
final class InputGram {

    /** Depth of the k-blocks: a 256 x tile-width panel of X2^T stays in L2. */
    private static final int K_BLOCK = 256;

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

    /** X^T of a row-major n x d array, as a row-major d x n array. */
    static double[] transpose(double[] x, int n, int d) {
        double[] t = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                t[k * n + i] = x[i * d + k];
            }
        }
        return t;
    }

    /**
     * Writes x1_i . x2_j / d for i in [i0, i0+tr), j in [j0, j0+tc) into out[(i-i0)*tc + (j-j0)].
     *
     * @param x1  row-major n1 x d
     * @param x2t row-major d x n2 (X2 transposed)
     */
    static void tile(double[] x1, double[] x2t, int n2, int d, int i0, int tr, int j0, int tc, double[] out) {
        java.util.Arrays.fill(out, 0, tr * tc, 0.0);
        for (int k0 = 0; k0 < d; k0 += K_BLOCK) {
            int k1 = Math.min(d, k0 + K_BLOCK);
            int i = 0;
            for (; i + 4 <= tr; i += 4) {
                int a0 = (i0 + i) * d;
                int a1 = a0 + d;
                int a2 = a1 + d;
                int a3 = a2 + d;
                int c0 = i * tc;
                int c1 = c0 + tc;
                int c2 = c1 + tc;
                int c3 = c2 + tc;
                for (int k = k0; k < k1; k++) {
                    double v0 = x1[a0 + k];
                    double v1 = x1[a1 + k];
                    double v2 = x1[a2 + k];
                    double v3 = x1[a3 + k];
                    int b = k * n2 + j0;
                    for (int j = 0; j < tc; j++) {
                        double w = x2t[b + j];
                        out[c0 + j] += v0 * w;
                        out[c1 + j] += v1 * w;
                        out[c2 + j] += v2 * w;
                        out[c3 + j] += v3 * w;
                    }
                }
            }
            for (; i < tr; i++) {
                int a = (i0 + i) * d;
                int c = i * tc;
                for (int k = k0; k < k1; k++) {
                    double v = x1[a + k];
                    int b = k * n2 + j0;
                    for (int j = 0; j < tc; j++) {
                        out[c + j] += v * x2t[b + j];
                    }
                }
            }
        }
        double inv = d;
        for (int e = 0; e < tr * tc; e++) {
            out[e] /= inv;
        }
    }
}
