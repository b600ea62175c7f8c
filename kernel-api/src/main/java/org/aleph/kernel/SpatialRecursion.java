package org.aleph.kernel;

/**
 * The kernel recursion for one pair of images through the spatial part of a network (a
 * {@link SpatialPlan}), ending in its reduction: input covariance
 * {@code S0[p, p'] = sum_c x_a[p, c] x_b[p', c] / C} (only p = p' when the plan is
 * diagonal), T0 = 0, then every {@link SpatialStep}, then Flatten (the mean of S[p, p]) or
 * GlobalAvgPool (the mean of all S[p, p']) for both kernels (DESIGN.md; Novak et al. 2019;
 * Arora et al. 2019).
 */
final class SpatialRecursion {

    private final SpatialPlan plan;

    SpatialRecursion(SpatialPlan plan) {
        this.plan = plan;
    }

    /** A workspace for one thread. */
    SpatialWorkspace workspace() {
        return new SpatialWorkspace(plan.capacity, plan.full, plan.shape.width());
    }

    /**
     * Image a against itself: records every per-pixel variance into {@code record} (length
     * {@link SpatialPlan#slots}) and returns the reduced NNGP K(a, a).
     */
    double self(double[] x, int a, double[][] record, SpatialWorkspace ws) {
        ws.selfMode(record);
        double[] out = new double[2];
        run(x, a, x, a, ws, out);
        return out[0];
    }

    /** Images a of xa and b of xb, with their records; writes the reduced NNGP and NTK into out[0], out[1]. */
    void pair(double[] xa, int a, double[][] recordA, double[] xb, int b, double[][] recordB, SpatialWorkspace ws, double[] out) {
        pair(xa, a, recordA, xb, b, recordB, ws, out, false);
    }

    /**
     * As {@link #pair(double[], int, double[][], double[], int, double[][], SpatialWorkspace, double[])};
     * {@code sameImage} says that a and b are one input (X against itself), whose same-pixel
     * entries Dropout scales as in the image's own run.
     */
    void pair(double[] xa, int a, double[][] recordA, double[] xb, int b, double[][] recordB, SpatialWorkspace ws, double[] out,
              boolean sameImage) {
        ws.pairMode(recordA, recordB);
        ws.sameImage = sameImage;
        run(xa, a, xb, b, ws, out);
    }

    private void run(double[] xa, int a, double[] xb, int b, SpatialWorkspace ws, double[] out) {
        load(xa, a, xb, b, ws);
        for (SpatialStep step : plan.steps) {
            step.apply(ws);
        }
        if (plan.reduction == SpatialPlan.Reduction.GLOBAL_AVG_POOL) {
            out[0] = SpatialPasses.meanAll(ws.k, ws.length);
            out[1] = SpatialPasses.meanAll(ws.t, ws.length);
        } else if (plan.full) {
            out[0] = SpatialPasses.meanDiagonalOfFull(ws.k, ws.h, ws.w);
            out[1] = SpatialPasses.meanDiagonalOfFull(ws.t, ws.h, ws.w);
        } else {
            out[0] = SpatialPasses.meanAll(ws.k, ws.length);
            out[1] = SpatialPasses.meanAll(ws.t, ws.length);
        }
    }

    private void load(double[] xa, int a, double[] xb, int b, SpatialWorkspace ws) {
        ImageShape s = plan.shape;
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        int p = h * w;
        int offA = a * s.features();
        int offB = b * s.features();
        double inv = c;
        ws.dims(h, w);
        double[] k = ws.k;
        if (plan.full) {
            for (int h1 = 0; h1 < h; h1++) {
                for (int h2 = 0; h2 < h; h2++) {
                    int base = (h1 * h + h2) * w * w;
                    int rowB = offB + h2 * w * c;
                    for (int w1 = 0; w1 < w; w1++) {
                        int pa = offA + (h1 * w + w1) * c;
                        int row = base + w1 * w;
                        if (c == 1) {
                            double xav = xa[pa];
                            for (int w2 = 0; w2 < w; w2++) {
                                k[row + w2] = xav * xb[rowB + w2];
                            }
                            continue;
                        }
                        // channels summed in order into the row, then divided: sum_c x_a[p, c] x_b[p', c] / C
                        java.util.Arrays.fill(k, row, row + w, 0.0);
                        for (int ch = 0; ch < c; ch++) {
                            double xav = xa[pa + ch];
                            for (int w2 = 0; w2 < w; w2++) {
                                k[row + w2] += xav * xb[rowB + w2 * c + ch];
                            }
                        }
                        for (int w2 = 0; w2 < w; w2++) {
                            k[row + w2] /= inv;
                        }
                    }
                }
            }
        } else if (c == 1) {
            for (int q = 0; q < p; q++) {
                k[q] = xa[offA + q] * xb[offB + q];
            }
        } else {
            for (int q = 0; q < p; q++) {
                double sum = 0;
                for (int ch = 0; ch < c; ch++) {
                    sum += xa[offA + q * c + ch] * xb[offB + q * c + ch];
                }
                k[q] = sum / inv;
            }
        }
        java.util.Arrays.fill(ws.t, 0, ws.length, 0.0);
    }
}
