package org.aleph.kernel.scale;

/**
 * Preconditioned conjugate gradients (Hestenes and Stiefel 1952; preconditioned form as in
 * Saad, "Iterative Methods for Sparse Linear Systems", algorithm 9.1) for A X = B with k
 * right-hand sides at once: every iteration makes one product of A with an n x k block (one
 * pass over the kernel's tiles for all targets) and one application of the preconditioner to a
 * block, while the scalars (step and direction update) are kept per column, so each column
 * follows exactly the single-vector recurrence. A column stops when its residual
 * |b - A x| / |b| falls to the tolerance; the solve stops when every column has, after
 * {@code maxIterations}, or when the largest residual has not fallen by 10% over
 * {@code stall} iterations. The final residuals are recomputed from A X (not the recurrence).
 */
final class BlockPcg {

    /** A linear map on n x k row-major blocks: y = A x, y overwritten. */
    @FunctionalInterface
    interface Operator {
        void apply(double[] x, int k, double[] y);
    }

    /**
     * The outcome.
     *
     * @param x          the solution, n x k row-major
     * @param iterations the iterations made
     * @param residuals  the final relative residuals |b_c - A x_c| / |b_c| per column, from A X
     * @param converged  whether every recurrence residual reached the tolerance
     */
    record Solution(double[] x, int iterations, double[] residuals, boolean converged) {
        /** The largest final relative residual. */
        double maxResidual() {
            double m = 0;
            for (double r : residuals) {
                m = Math.max(m, r);
            }
            return m;
        }
    }

    private BlockPcg() {
    }

    static Solution solve(Operator a, Operator preconditioner, double[] b, int n, int k, double tolerance,
                          int maxIterations, int stall, ScaleProgress progress) {
        double[] x = new double[n * k];
        double[] r = b.clone();
        double[] z = new double[n * k];
        double[] q = new double[n * k];
        double[] bNorm = norms(b, n, k);
        boolean[] active = new boolean[k];
        int left = 0;
        for (int c = 0; c < k; c++) {
            active[c] = bNorm[c] > 0;
            left += active[c] ? 1 : 0;
        }
        preconditioner.apply(r, k, z);
        double[] p = z.clone();
        double[] rz = dots(r, z, n, k);
        double best = Double.POSITIVE_INFINITY;
        int bestAt = 0;
        int it = 0;
        while (left > 0 && it < maxIterations && it - bestAt <= stall) {
            it++;
            a.apply(p, k, q);
            double[] pq = dots(p, q, n, k);
            double[] alpha = new double[k];
            for (int c = 0; c < k; c++) {
                alpha[c] = active[c] && pq[c] > 0 ? rz[c] / pq[c] : 0;
            }
            for (int i = 0; i < n; i++) {
                int o = i * k;
                for (int c = 0; c < k; c++) {
                    x[o + c] += alpha[c] * p[o + c];
                    r[o + c] -= alpha[c] * q[o + c];
                }
            }
            double[] rn = norms(r, n, k);
            double worst = 0;
            for (int c = 0; c < k; c++) {
                if (!active[c]) {
                    continue;
                }
                double rel = rn[c] / bNorm[c];
                worst = Math.max(worst, rel);
                if (rel <= tolerance || !(pq[c] > 0)) {
                    active[c] = false;
                    left--;
                }
            }
            progress.iteration(it, worst);
            if (worst < 0.9 * best) {
                best = worst;
                bestAt = it;
            }
            if (left == 0) {
                break;
            }
            preconditioner.apply(r, k, z);
            double[] rzNew = dots(r, z, n, k);
            for (int c = 0; c < k; c++) {
                double beta = active[c] ? rzNew[c] / rz[c] : 0;
                rz[c] = rzNew[c];
                for (int i = 0; i < n; i++) {
                    int e = i * k + c;
                    p[e] = active[c] ? z[e] + beta * p[e] : 0;
                }
            }
        }
        a.apply(x, k, q);
        for (int e = 0; e < q.length; e++) {
            q[e] = b[e] - q[e];
        }
        double[] rn = norms(q, n, k);
        double[] rel = new double[k];
        for (int c = 0; c < k; c++) {
            rel[c] = bNorm[c] > 0 ? rn[c] / bNorm[c] : 0;
        }
        return new Solution(x, it, rel, left == 0);
    }

    private static double[] norms(double[] v, int n, int k) {
        double[] s = dots(v, v, n, k);
        for (int c = 0; c < k; c++) {
            s[c] = Math.sqrt(s[c]);
        }
        return s;
    }

    private static double[] dots(double[] u, double[] v, int n, int k) {
        double[] s = new double[k];
        for (int i = 0; i < n; i++) {
            int o = i * k;
            for (int c = 0; c < k; c++) {
                s[c] += u[o + c] * v[o + c];
            }
        }
        return s;
    }
}
