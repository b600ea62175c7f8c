package org.aleph.kernel.scale;

import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * The preconditioner P = L L^T + s I for K + s I, where L (n x r) is a partial pivoted
 * Cholesky factor of K, i.e. the Nystrom approximation of K on the r pivot points (Gardner et
 * al. 2018, "GPyTorch: Blackbox matrix-matrix Gaussian process inference", section 4; Frangella,
 * Tropp and Udell 2023, "Randomized Nystrom preconditioning"). With the thin decomposition
 * L = U S V^T (U n x r orthonormal, from the eigendecomposition of the r x r matrix
 * L^T L = V S^2 V^T, U = L V S^-1):
 * <pre>
 *   P^-1 = U diag(1 / (s_j^2 + s)) U^T + (I - U U^T) / s,
 * </pre>
 * applied to a block of k vectors in O(n r k). Directions of L with s_j^2 below 1e-12 of the
 * largest are dropped (they carry no information and would spoil the orthonormality of U).
 */
final class NystromPreconditioner {

    private final int n;
    private final int rank;
    /** rank x n, row j = column j of U. */
    private final double[] ut;
    /** 1 / (s_j^2 + shift) - 1 / shift. */
    private final double[] weights;
    private final double shift;
    private final LinearAlgebra la;

    NystromPreconditioner(PivotedCholesky l, double shift, LinearAlgebra la) {
        if (!(shift > 0)) {
            throw new IllegalArgumentException("the preconditioner needs a positive shift, got " + shift);
        }
        this.n = l.n;
        this.shift = shift;
        this.la = la;
        int r = l.rank;
        if (r == 0) {
            this.rank = 0;
            this.ut = new double[0];
            this.weights = new double[0];
            return;
        }
        double[] g = new double[r * r];
        la.gemm(false, true, r, r, n, 1.0, l.lt, l.lt, 0.0, g); // L^T L
        double[] lambda = la.symmetricEigen(g, r);             // ascending; row j of g = eigenvector j
        double top = lambda[r - 1];
        int first = 0;
        while (first < r && !(lambda[first] > 1e-12 * top)) {
            first++;
        }
        int kept = r - first;
        double[] w = new double[kept * r];
        double[] wt = new double[kept];
        for (int j = 0; j < kept; j++) {
            double s2 = lambda[first + j];
            double inv = 1.0 / Math.sqrt(s2);
            for (int c = 0; c < r; c++) {
                w[j * r + c] = g[(first + j) * r + c] * inv;
            }
            wt[j] = 1.0 / (s2 + shift) - 1.0 / shift;
        }
        this.rank = kept;
        this.ut = new double[Math.multiplyExact(kept, n)];
        la.gemm(false, false, kept, n, r, 1.0, w, l.lt, 0.0, ut); // U^T = S^-1 V^T L^T
        this.weights = wt;
    }

    /** The rank of the low-rank part actually used. */
    int rank() {
        return rank;
    }

    /** Z = P^-1 R for R n x k (row-major); Z is overwritten. */
    void apply(double[] r, int k, double[] z) {
        double inv = 1.0 / shift;
        for (int e = 0; e < z.length; e++) {
            z[e] = r[e] * inv;
        }
        if (rank == 0) {
            return;
        }
        double[] c = new double[rank * k];
        la.gemm(false, false, rank, k, n, 1.0, ut, r, 0.0, c); // U^T R
        for (int j = 0; j < rank; j++) {
            for (int q = 0; q < k; q++) {
                c[j * k + q] *= weights[j];
            }
        }
        la.gemm(true, false, n, k, rank, 1.0, ut, c, 1.0, z);  // + U diag(w) U^T R
    }
}
