package org.aleph.kernel;

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
        double[] va;
        double[] vb;
        if (ws.selfMode()) {
            va = diagonal(conv, ws, bk);
            ws.record(act.slot(), va);
            vb = va;
        } else {
            va = ws.variancesA(act.slot());
            vb = ws.variancesB(act.slot());
        }
        int chunkBlocks = Math.max(1, ws.q11.length / outBlock);
        int pendingStart = 0;
        int blocks = oh * oh;
        for (int b = 0; b < blocks; b++) {
            int o1 = b / oh;
            int o2 = b - o1 * oh;
            SpatialPasses.blockRowSum(srcK, h, block, ah, o1, o2, bk, 0);
            SpatialPasses.blockRowSum(srcT, h, block, ah, o1, o2, bt, 0);
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

    /**
     * Self mode: the diagonal S'[p, p] of the convolved state, from the diagonal blocks (o, o)
     * alone, with exactly the operations the full pass applies to them.
     */
    private static double[] diagonal(SpatialStep.Convolution conv, SpatialWorkspace ws, double[] rowBuffer) {
        AxisWindow ah = conv.rows();
        AxisWindow aw = conv.cols();
        int w = aw.in;
        int ow = aw.out;
        double[] block = new double[ow * ow];
        double[] v = new double[ah.out * ow];
        for (int o = 0; o < ah.out; o++) {
            SpatialPasses.blockRowSum(ws.k, ah.in, w * w, ah, o, o, rowBuffer, 0);
            SpatialPasses.blockDiagonalSum(rowBuffer, 0, block, 0, aw);
            for (int j = 0; j < ow; j++) {
                v[o * ow + j] = conv.c() * block[j * ow + j] + conv.b2();
            }
        }
        return v;
    }

    /** Runs the activation on output blocks [from, to) of the new state. */
    private static void activate(SpatialStep.Nonlinearity act, SpatialWorkspace ws, double[] k, double[] t,
                                 double[] va, double[] vb, int oh, int ow, int from, int to) {
        int outBlock = ow * ow;
        int n = 0;
        double[] q11 = ws.q11;
        double[] q12 = ws.q12;
        double[] q22 = ws.q22;
        for (int b = from; b < to; b++) {
            int o1 = b / oh;
            int o2 = b - o1 * oh;
            for (int r = 0; r < ow; r++) {
                java.util.Arrays.fill(q11, n, n + ow, va[o1 * ow + r]);
                System.arraycopy(vb, o2 * ow, q22, n, ow);
                n += ow;
            }
        }
        PixelPairs.clampedCovariances(q11, q22, k, from * outBlock, q12, n);
        act.activation().expectations(ws.q11, ws.q12, ws.q22, n, ws.outK, ws.outD);
        int start = from * outBlock;
        for (int i = 0; i < n; i++) {
            k[start + i] = ws.outK[i];
            t[start + i] *= ws.outD[i];
        }
    }
}
