package org.aleph.kernel;

/**
 * The geometry of a sliding window along one image axis: input length L, window k, stride
 * s, padding. Output position o and window offset d read input position {@code o s + d - lo}
 * (wrapped modulo L for CIRCULAR padding, absent outside the image otherwise; DESIGN.md,
 * "Convolutional networks").
 *
 * <p>For each offset d the valid outputs are precomputed as runs ({@link #runs}): maximal
 * ranges of consecutive outputs whose inputs advance by exactly s, so the hot loops add
 * contiguous (or evenly strided) slices of primitive arrays without a test per entry.
 */
final class AxisWindow {

    final int in;
    final int out;
    final int window;
    final int stride;
    final int low;
    /** runs[d] = {oStart, oEnd, iStart, oStart, oEnd, iStart, ...}: outputs [oStart, oEnd) read iStart + (o - oStart) s. */
    final int[][] runs;
    /** source[d][o] = the input read by output o at offset d, or -1 outside the image. */
    final int[][] source;

    AxisWindow(int length, int window, int stride, Layer.Padding padding) {
        this.in = length;
        this.window = window;
        this.stride = stride;
        this.out = padding.outputSize(length, window, stride);
        this.low = padding.low(length, window, stride);
        this.runs = new int[window][];
        this.source = new int[window][];
        boolean circular = padding == Layer.Padding.CIRCULAR;
        for (int d = 0; d < window; d++) {
            int[] src = new int[out];
            int[] r = new int[3 * out];
            int count = 0;
            for (int o = 0; o < out; o++) {
                int i = o * stride + d - low;
                if (circular) {
                    i = Math.floorMod(i, length);
                } else if (i < 0 || i >= length) {
                    i = -1;
                }
                src[o] = i;
                if (i < 0) {
                    continue;
                }
                if (count > 0 && r[count - 2] == o && r[count - 1] + (o - r[count - 3]) * stride == i) {
                    r[count - 2] = o + 1;
                } else {
                    r[count] = o;
                    r[count + 1] = o + 1;
                    r[count + 2] = i;
                    count += 3;
                }
            }
            source[d] = src;
            runs[d] = java.util.Arrays.copyOf(r, count);
        }
    }

    /**
     * {@code dst[dOff + o] += src[sOff + i]} for every output o that reads input i at offset
     * d; positions of this axis are consecutive in both arrays.
     */
    void addRow(double[] dst, int dOff, double[] src, int sOff, int d) {
        int[] r = runs[d];
        for (int q = 0; q < r.length; q += 3) {
            int o0 = r[q];
            int o1 = r[q + 1];
            int i0 = sOff + r[q + 2] - o0 * stride;
            if (stride == 1) {
                for (int o = o0; o < o1; o++) {
                    dst[dOff + o] += src[i0 + o];
                }
            } else {
                for (int o = o0; o < o1; o++) {
                    dst[dOff + o] += src[i0 + o * stride];
                }
            }
        }
    }
}
