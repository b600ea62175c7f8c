package org.aleph.kernel.scale;

import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * The preconditioner P = L L^T + s I for K + s I, where L (n x r) is a partial pivoted
 * Cholesky factor of K, i.e. the Nystrom approximation of K on the r pivot points (Gardner et
 * al. 2018, "GPyTorch: Blackbox matrix-matrix Gaussian process inference", section 4; Frangella,
 * Tropp and Udell 2023, "Randomized Nystrom preconditioning"). With the thin decomposition
 * L = U S V^T (from the eigendecomposition of the r x r matrix L^T L = V S^2 V^T, U = L V S^-1):
 * <pre>
 *   P^-1 = U diag(1 / (s_j^2 + s)) U^T + (I - U U^T) / s
 *        = I / s + L V diag(m_j) V^T L^T,   m_j = (1 / (s_j^2 + s) - 1 / s) / s_j^2 = -1 / (s (s_j^2 + s)),
 * </pre>
 * applied to a block of k vectors in O(n r k) as two products with the factor L itself (U is
 * never formed: no second r x n matrix, and m_j stays bounded by 1 / s^2 however small s_j is).
 * Directions of L with s_j^2 below 1e-12 of the largest are dropped (they carry no information).
 * The factor stays where {@link PivotedCholesky} put it (off the heap on the bundled OpenBLAS).
 */
final class NystromPreconditioner {

    private final int rank;
    private final int r;
    /** kept x r, row j = eigenvector j of L^T L (a kept direction). */
    private final double[] v;
    /** m_j of the kept directions. */
    private final double[] weights;
    private final double shift;
    private final FactorStore factor;
    private final LinearAlgebra la;

    /** With the r x r products on {@link LinearAlgebra#automatic()}. */
    NystromPreconditioner(PivotedCholesky l, double shift) {
        this(l, shift, LinearAlgebra.automatic());
    }

    NystromPreconditioner(PivotedCholesky l, double shift, LinearAlgebra la) {
        this.la = la;
        if (!(shift > 0)) {
            throw new IllegalArgumentException("the preconditioner needs a positive shift, got " + shift);
        }
        this.shift = shift;
        this.factor = l.factor;
        this.r = l.rank;
        if (r == 0) {
            this.rank = 0;
            this.v = new double[0];
            this.weights = new double[0];
            return;
        }
        double[] g = new double[r * r];
        double[] lambda = factor.gramEigen(g); // ascending; row j of g = eigenvector j
        double top = lambda[r - 1];
        int first = 0;
        while (first < r && !(lambda[first] > 1e-12 * top)) {
            first++;
        }
        int kept = r - first;
        this.v = java.util.Arrays.copyOfRange(g, first * r, r * r);
        this.weights = new double[kept];
        for (int j = 0; j < kept; j++) {
            weights[j] = -1.0 / (shift * (lambda[first + j] + shift));
        }
        this.rank = kept;
    }

    /** The rank of the low-rank part actually used. */
    int rank() {
        return rank;
    }

    /** Z = P^-1 R for R n x k (row-major); Z is overwritten. */
    void apply(double[] rhs, int k, double[] z) {
        double inv = 1.0 / shift;
        for (int e = 0; e < z.length; e++) {
            z[e] = rhs[e] * inv;
        }
        if (rank == 0) {
            return;
        }
        double[] c = factor.project(rhs, k);  // L^T R, r x k
        double[] w = new double[rank * k];      // diag(m) V^T L^T R
        la.gemm(false, false, rank, k, r, 1.0, v, c, 0.0, w);
        for (int j = 0; j < rank; j++) {
            for (int q = 0; q < k; q++) {
                w[j * k + q] *= weights[j];
            }
        }
        double[] d = new double[r * k];         // V diag(m) V^T L^T R
        la.gemm(true, false, r, k, rank, 1.0, v, w, 0.0, d);
        factor.addLift(d, k, z);
    }
}
