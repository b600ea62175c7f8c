package org.aleph.kernel;

import org.aleph.kernel.spi.Activation;

/**
 * The cross terms a sum of streams adds on a tile of the fully connected recursion
 * ({@link TileRecursion}; docs/layers.md, "Correlation rule"): Stein's term of an identity stream
 * and an activation of it, and the product of the means of independent streams, with the mean of
 * the joined stream.
 */
final class TileJoin {

    private TileJoin() {
    }

    /** The cross terms of independent streams with nonzero means, and the mean of the joined stream. */
    static void means(Layer.Branches layer, BranchRule rule, TileRecursion.Workspace ws, double[][] bm, double[] accK) {
        int m = ws.pairs;
        int tr = ws.rows;
        int tc = ws.cols;
        int n = bm.length;
        if (layer.join() == Layer.FanIn.SUM) {
            for (int b = 0; b < n; b++) {
                for (int c = b + 1; c < n; c++) {
                    if (rule.relation(b, c) != BranchRule.Relation.INDEPENDENT) {
                        continue;
                    }
                    double[] mb = bm[b];
                    double[] mc = bm[c];
                    for (int i = 0; i < tr; i++) {
                        for (int j = 0; j < tc; j++) {
                            accK[i * tc + j] += mb[i] * mc[tr + j] + mc[i] * mb[tr + j];
                        }
                    }
                    for (int e = 0; e < tr + tc; e++) {
                        accK[m + e] += 2 * mb[e] * mc[e];
                    }
                }
            }
        }
        for (int e = 0; e < tr + tc; e++) {
            double v = layer.join() == Layer.FanIn.PROD ? 1 : 0;
            for (double[] mb : bm) {
                v = switch (layer.join()) {
                    case SUM -> v + mb[e];
                    case PROD -> v * mb[e];
                    case CONCAT -> 0; // features with different means: LayerChecks lets no rule use it
                };
            }
            ws.mean[m + e] = v;
        }
    }

    /** Adds {@code E[g phi(g')] + E[phi(g) g']} and the cross-NTKs of an identity stream and a phi stream. */
    static void stein(Activation act, TileRecursion.Workspace ws, double[] k0, double[] t0, double[] accK, double[] accT) {
        int m = ws.pairs;
        int tr = ws.rows;
        int tc = ws.cols;
        double[] dK = ws.q11;
        double[] dT = ws.q22;
        SteinFactors.compute(act, k0, m, ws.length, dK, dT);
        for (int i = 0; i < tr; i++) {
            int base = i * tc;
            for (int j = 0; j < tc; j++) {
                int c = m + tr + j;
                accK[base + j] += k0[base + j] * (dK[m + i] + dK[c]);
                accT[base + j] += t0[base + j] * (dT[m + i] + dT[c]);
            }
        }
        for (int e = m; e < ws.length; e++) {
            accK[e] += 2 * k0[e] * dK[e];
        }
    }
}
