package org.aleph.kernel;

import java.util.Arrays;

/**
 * The linear maps of convolutional kernels on primitive arrays (DESIGN.md, "Convolutional
 * networks"; Novak et al. 2019, section 2.2; Arora et al. 2019, section 3).
 *
 * <p>A full spatial covariance of two images of H x W pixels is stored as
 * {@code S[h1][h2][w1][w2]} (row-major), so that for fixed rows (h1, h2) the W x W block is
 * contiguous. A diagonal one ({@code S[p, p]} only) is stored as {@code S[h][w]}.
 *
 * <p>Both the convolution and the pooling maps are separable over the two image axes: the
 * convolution sums {@code S[h1 + d, h2 + d]} over the same offset d on both sides (a sum
 * along diagonals), first over rows, then over columns, which costs kh + kw additions per
 * output entry instead of kh kw; pooling sums each of the four indices over its own window.
 * Each pass adds whole contiguous blocks or runs of a row ({@link AxisWindow#addRow}), so the
 * inner loops vectorise.
 */
final class SpatialPasses {

    private SpatialPasses() {
    }

    /**
     * The window sum of a convolution on a full covariance:
     * {@code dst[o1][o2] = sum_d src[o1 s + d - lo][o2 s + d - lo]} along both axes.
     *
     * @param src input, H H W W; left unchanged
     * @param tmp scratch of at least OH OH W W entries
     * @param dst output, OH OH OW OW
     */
    static void convFull(double[] src, double[] tmp, double[] dst, AxisWindow ah, AxisWindow aw) {
        int h = ah.in;
        int oh = ah.out;
        int w = aw.in;
        int ow = aw.out;
        int block = w * w;
        for (int o1 = 0; o1 < oh; o1++) {
            for (int o2 = 0; o2 < oh; o2++) {
                blockRowSum(src, h, block, ah, o1, o2, tmp, (o1 * oh + o2) * block);
            }
        }
        int outBlock = ow * ow;
        for (int b = 0; b < oh * oh; b++) {
            blockDiagonalSum(tmp, b * block, dst, b * outBlock, aw);
        }
    }

    /**
     * The row part of a convolution's window sum for output block (o1, o2) of a full
     * covariance: {@code dst = sum_d src block (o1 s + d - lo, o2 s + d - lo)} over the offsets
     * whose two rows are inside the image, summed in the order of d in one pass. Shared by the
     * plain and the fused convolution, so both give the same bits.
     */
    static void blockRowSum(double[] src, int h, int block, AxisWindow ah, int o1, int o2, double[] dst, int dOff) {
        int count = 0;
        int a0 = 0;
        int a1 = 0;
        int a2 = 0;
        for (int d = 0; d < ah.window; d++) {
            int i1 = ah.source[d][o1];
            int i2 = ah.source[d][o2];
            if (i1 < 0 || i2 < 0) {
                continue;
            }
            int off = (i1 * h + i2) * block;
            if (count < 3) {
                if (count == 0) {
                    a0 = off;
                } else if (count == 1) {
                    a1 = off;
                } else {
                    a2 = off;
                }
            } else {
                if (count == 3) {
                    threeBlocks(src, a0, a1, a2, dst, dOff, block);
                }
                addBlock(dst, dOff, src, off, block);
            }
            count++;
        }
        switch (count) {
            case 0 -> Arrays.fill(dst, dOff, dOff + block, 0.0);
            case 1 -> System.arraycopy(src, a0, dst, dOff, block);
            case 2 -> {
                for (int e = 0; e < block; e++) {
                    dst[dOff + e] = src[a0 + e] + src[a1 + e];
                }
            }
            case 3 -> threeBlocks(src, a0, a1, a2, dst, dOff, block);
            default -> { } // more than three offsets: summed above
        }
    }

    private static void threeBlocks(double[] src, int a0, int a1, int a2, double[] dst, int dOff, int block) {
        for (int e = 0; e < block; e++) {
            dst[dOff + e] = (src[a0 + e] + src[a1 + e]) + src[a2 + e];
        }
    }

    /**
     * The column part of a convolution's window sum on one W x W block:
     * {@code dst[o1][o2] = sum_d src[o1 s + d - lo][o2 s + d - lo]}; dst is overwritten.
     */
    static void blockDiagonalSum(double[] src, int sOff, double[] dst, int dOff, AxisWindow aw) {
        int w = aw.in;
        int ow = aw.out;
        if (aw.shifts()) {
            aw.shiftedSum(src, sOff, dst, dOff, w, 1);
            return;
        }
        Arrays.fill(dst, dOff, dOff + ow * ow, 0.0);
        for (int d = 0; d < aw.window; d++) {
            int[] srcCols = aw.source[d];
            for (int o1 = 0; o1 < ow; o1++) {
                int i1 = srcCols[o1];
                if (i1 >= 0) {
                    aw.addRow(dst, dOff + o1 * ow, src, sOff + i1 * w, d);
                }
            }
        }
    }

    /**
     * The window sum of a convolution on a diagonal covariance:
     * {@code dst[o] = sum_d src[o s + d - lo]} over both axes (an unweighted 2-D box filter).
     *
     * @param src input, H W; left unchanged
     * @param tmp scratch of at least OH W entries
     * @param dst output, OH OW
     */
    static void convDiagonal(double[] src, double[] tmp, double[] dst, AxisWindow ah, AxisWindow aw) {
        int oh = ah.out;
        int w = aw.in;
        int ow = aw.out;
        ah.rowSum(src, tmp, w);
        if (aw.shifts()) {
            aw.shiftedSum(tmp, 0, dst, 0, oh, 0);
            return;
        }
        Arrays.fill(dst, 0, oh * ow, 0.0);
        for (int r = 0; r < oh; r++) {
            for (int d = 0; d < aw.window; d++) {
                aw.addRow(dst, r * ow, tmp, r * w, d);
            }
        }
    }

    /**
     * The window sums of average pooling on a full covariance: each of h1, h2, w1, w2 summed
     * over its own window (the caller divides by (wh ww)^2).
     *
     * @param src input, H H W W; overwritten (used as scratch)
     * @param tmp scratch of at least OH H W W entries
     * @param dst output, OH OH OW OW
     */
    static void poolFull(double[] src, double[] tmp, double[] dst, AxisWindow ah, AxisWindow aw) {
        if (ah.tilesExactly() && aw.tilesExactly()) {
            poolFullTiled(src, tmp, dst, ah, aw);
            return;
        }
        int h = ah.in;
        int oh = ah.out;
        int w = aw.in;
        int ow = aw.out;
        // h1: src [H][H][W][W] -> tmp [OH][H][W][W]
        int slab = h * w * w;
        Arrays.fill(tmp, 0, oh * slab, 0.0);
        for (int d = 0; d < ah.window; d++) {
            for (int o = 0; o < oh; o++) {
                int i = ah.source[d][o];
                if (i >= 0) {
                    addBlock(tmp, o * slab, src, i * slab, slab);
                }
            }
        }
        // h2: tmp [OH][H][W][W] -> src [OH][OH][W][W]
        int block = w * w;
        Arrays.fill(src, 0, oh * oh * block, 0.0);
        for (int r = 0; r < oh; r++) {
            for (int d = 0; d < ah.window; d++) {
                for (int o = 0; o < oh; o++) {
                    int i = ah.source[d][o];
                    if (i >= 0) {
                        addBlock(src, (r * oh + o) * block, tmp, (r * h + i) * block, block);
                    }
                }
            }
        }
        // w1: src [OH][OH][W][W] -> tmp [OH][OH][OW][W]
        int blocks = oh * oh;
        Arrays.fill(tmp, 0, blocks * ow * w, 0.0);
        for (int b = 0; b < blocks; b++) {
            for (int d = 0; d < aw.window; d++) {
                for (int o = 0; o < ow; o++) {
                    int i = aw.source[d][o];
                    if (i >= 0) {
                        addBlock(tmp, (b * ow + o) * w, src, (b * w + i) * w, w);
                    }
                }
            }
        }
        // w2: tmp [OH][OH][OW][W] -> dst [OH][OH][OW][OW]
        int rows = blocks * ow;
        Arrays.fill(dst, 0, rows * ow, 0.0);
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < aw.window; d++) {
                aw.addRow(dst, r * ow, tmp, r * w, d);
            }
        }
    }

    /**
     * {@link #poolFull} when the windows tile both axes exactly (stride = window, VALID, no
     * remainder): along each index, output r sums the consecutive inputs r s .. r s + s - 1,
     * so every pass is {@code dst[R][j] = sum_d src[R s + d][j]} over runs of contiguous
     * entries, and the last one is a single strided loop over the whole array.
     */
    private static void poolFullTiled(double[] src, double[] tmp, double[] dst, AxisWindow ah, AxisWindow aw) {
        int oh = ah.out;
        int w = aw.in;
        int ow = aw.out;
        tiledSum(src, tmp, oh, ah.in * w * w, ah.window);          // h1: [H][H][W][W] -> [OH][H][W][W]
        tiledSum(tmp, src, oh * oh, w * w, ah.window);             // h2: -> [OH][OH][W][W]
        tiledSum(src, tmp, oh * oh * ow, w, aw.window);            // w1: -> [OH][OH][OW][W]
        int s = aw.window;
        int n = oh * oh * ow * ow;                                 // w2: -> [OH][OH][OW][OW]
        for (int e = 0; e < n; e++) {
            double sum = tmp[e * s];
            for (int d = 1; d < s; d++) {
                sum += tmp[e * s + d];
            }
            dst[e] = sum;
        }
    }

    /** dst[R][j] = sum over d &lt; s of src[R s + d][j] for R &lt; rows, j &lt; len, summed in the order of d. */
    private static void tiledSum(double[] src, double[] dst, int rows, int len, int s) {
        for (int r = 0; r < rows; r++) {
            int d0 = r * len;
            int s0 = r * s * len;
            if (s == 2) {
                for (int j = 0; j < len; j++) {
                    dst[d0 + j] = src[s0 + j] + src[s0 + len + j];
                }
                continue;
            }
            System.arraycopy(src, s0, dst, d0, len);
            for (int d = 1; d < s; d++) {
                addBlock(dst, d0, src, s0 + d * len, len);
            }
        }
    }

    /** The mean of every entry of a full covariance (global average pooling). */
    static double meanAll(double[] s, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int e = 0;
        for (; e + 4 <= length; e += 4) { // four partial sums: four independent addition chains
            s0 += s[e];
            s1 += s[e + 1];
            s2 += s[e + 2];
            s3 += s[e + 3];
        }
        for (; e < length; e++) {
            s0 += s[e];
        }
        return ((s0 + s1) + (s2 + s3)) / length;
    }

    /** The mean of the diagonal S[p, p] of a full H H W W covariance (Flatten). */
    static double meanDiagonalOfFull(double[] s, int h, int w) {
        double sum = 0;
        for (int r = 0; r < h; r++) {
            int base = (r * h + r) * w * w;
            for (int c = 0; c < w; c++) {
                sum += s[base + c * w + c];
            }
        }
        return sum / (h * w);
    }

    /** The diagonal S[p, p] of a full H H W W covariance, as H W values. */
    static void diagonalOfFull(double[] s, int h, int w, double[] out) {
        for (int r = 0; r < h; r++) {
            int base = (r * h + r) * w * w;
            for (int c = 0; c < w; c++) {
                out[r * w + c] = s[base + c * w + c];
            }
        }
    }

    private static void addBlock(double[] dst, int dOff, double[] src, int sOff, int length) {
        for (int e = 0; e < length; e++) {
            dst[dOff + e] += src[sOff + e];
        }
    }
}
