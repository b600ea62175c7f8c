package org.aleph.kernel;

import java.util.Arrays;

/**
 * The pair-mode body of {@link SpatialStep.ConvolutionThenActivation} on a full covariance
 * {@code S[h1][h2][w1][w2]}: for each block of output rows (o1, o2) the row window sum of K
 * and T goes into a small W x W buffer, the column window sum into the output block, then the
 * affine map of the convolution, and once a chunk of blocks is complete the activation
 * (DESIGN.md, "Convolutional networks"). The additions happen in the same order as
 * {@link SpatialPasses#convFull}, so the result equals the unfused steps bit for bit.
 */
final class FusedConvolution {

    private FusedConvolution() {
    }

    static void apply(SpatialStep.Convolution conv, SpatialStep.Nonlinearity act, SpatialWorkspace ws) {
        AxisWindow ah = conv.rows();
        AxisWindow aw = conv.cols();
        int h = ah.in;
        int oh = ah.out;
        int w = aw.in;
        int ow = aw.out;
        int block = w * w;
        int outBlock = ow * ow;
        double c = conv.c();
        double b2 = conv.b2();
        double[] srcK = ws.k;
        double[] srcT = ws.t;
        double[] dstK = ws.k2;
        double[] dstT = ws.t2;
        double[] bk = ws.tmp;
        double[] bt = ws.blockBuffer(block);
        double[] va = ws.variancesA(act.slot());
        double[] vb = ws.variancesB(act.slot());
        int chunkBlocks = Math.max(1, ws.q11.length / outBlock);
        int pendingStart = 0;
        int blocks = oh * oh;
        for (int b = 0; b < blocks; b++) {
            int o1 = b / oh;
            int o2 = b - o1 * oh;
            Arrays.fill(bk, 0, block, 0.0);
            Arrays.fill(bt, 0, block, 0.0);
            for (int d = 0; d < ah.window; d++) {
                int i1 = ah.source[d][o1];
                int i2 = ah.source[d][o2];
                if (i1 < 0 || i2 < 0) {
                    continue;
                }
                int off = (i1 * h + i2) * block;
                for (int e = 0; e < block; e++) {
                    bk[e] += srcK[off + e];
                    bt[e] += srcT[off + e];
                }
            }
            int db = b * outBlock;
            SpatialPasses.blockDiagonalSum(bk, 0, dstK, db, aw);
            SpatialPasses.blockDiagonalSum(bt, 0, dstT, db, aw);
            for (int e = db; e < db + outBlock; e++) {
                double kn = c * dstK[e] + b2;
                dstK[e] = kn;
                dstT[e] = kn + c * dstT[e];
            }
            if (b + 1 - pendingStart == chunkBlocks || b + 1 == blocks) {
                activate(act, ws, dstK, dstT, va, vb, oh, ow, pendingStart, b + 1);
                pendingStart = b + 1;
            }
        }
        ws.swap();
        ws.dims(oh, ow);
    }

    /** Runs the activation on output blocks [from, to) of the new state. */
    private static void activate(SpatialStep.Nonlinearity act, SpatialWorkspace ws, double[] k, double[] t,
                                 double[] va, double[] vb, int oh, int ow, int from, int to) {
        int outBlock = ow * ow;
        int n = 0;
        for (int b = from; b < to; b++) {
            int o1 = b / oh;
            int o2 = b - o1 * oh;
            int base = b * outBlock;
            for (int r = 0; r < ow; r++) {
                double qa = va[o1 * ow + r];
                int row = base + r * ow;
                int vbRow = o2 * ow;
                for (int j = 0; j < ow; j++) {
                    PixelPairs.fill(ws.q11, ws.q12, ws.q22, n++, qa, k[row + j], vb[vbRow + j]);
                }
            }
        }
        act.activation().expectations(ws.q11, ws.q12, ws.q22, n, ws.outK, ws.outD);
        int start = from * outBlock;
        for (int i = 0; i < n; i++) {
            k[start + i] = ws.outK[i];
            t[start + i] *= ws.outD[i];
        }
    }
}
