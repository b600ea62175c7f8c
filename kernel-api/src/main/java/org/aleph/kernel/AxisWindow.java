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

    /**
     * For a window of stride 1 that keeps the length and pads with zeros (SAME, or a 1-wide
     * window): {@code columnMask[d][e]} is 1 where column {@code e mod L} shifted by
     * {@code d - low} stays inside the image and 0 where it falls outside, for
     * {@code e < maskRows L}, so a window sum over a row-major array of up to maskRows rows
     * becomes one long shifted add per offset; else null.
     */
    final double[][] columnMask;
    private final int maskRows;
    private final Layer.Padding padding;

    AxisWindow(int length, int window, int stride, Layer.Padding padding) {
        this(length, window, stride, padding, 0);
    }

    /** A window whose {@link #shiftedSum} serves arrays of up to {@code maskRows} rows (0: none). */
    AxisWindow(int length, int window, int stride, Layer.Padding padding, int maskRows) {
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
        this.maskRows = maskRows;
        this.padding = padding;
        boolean shifts = maskRows > 0 && stride == 1 && out == length && (padding == Layer.Padding.SAME || window == 1);
        this.columnMask = shifts ? masks() : null;
    }

    private double[][] masks() {
        double[][] m = new double[window][maskRows * in];
        for (int d = 0; d < window; d++) {
            for (int e = 0; e < m[d].length; e++) {
                int i = e % in + d - low;
                m[d][e] = i >= 0 && i < in ? 1.0 : 0.0;
            }
        }
        return m;
    }

    /** Whether the windows tile the axis exactly: stride = window, no padding, L = out * window (AvgPool's common case). */
    boolean tilesExactly() {
        return stride == window && low == 0 && in == out * window;
    }

    /** Whether outputs are the inputs' positions (stride 1, same length, zero padding): window sums are shifted adds. */
    boolean zeroPaddedIdentityGeometry() {
        return stride == 1 && out == in && padding != Layer.Padding.CIRCULAR;
    }

    /**
     * The window sum along the first axis of a row-major {@code L x cols} array:
     * {@code dst[r][j] = sum_d src[r + d - low][j]} over rows inside the image, in the order of
     * d. One long loop per band of rows when {@link #zeroPaddedIdentityGeometry()} and the
     * window is 3 wide and centred, else one row at a time.
     */
    void rowSum(double[] src, double[] dst, int cols) {
        int len = out * cols;
        if (zeroPaddedIdentityGeometry() && window == 3 && low == 1 && in >= 2) {
            for (int e = 0; e < cols; e++) {
                dst[e] = src[e] + src[e + cols];
            }
            for (int e = cols; e < len - cols; e++) {
                dst[e] = (src[e - cols] + src[e]) + src[e + cols];
            }
            for (int e = len - cols; e < len; e++) {
                dst[e] = src[e - cols] + src[e];
            }
            return;
        }
        java.util.Arrays.fill(dst, 0, len, 0.0);
        for (int d = 0; d < window; d++) {
            for (int o = 0; o < out; o++) {
                int i = source[d][o];
                if (i >= 0) {
                    int dOff = o * cols;
                    int sOff = i * cols;
                    for (int j = 0; j < cols; j++) {
                        dst[dOff + j] += src[sOff + j];
                    }
                }
            }
        }
    }

    /**
     * Whether {@link #shiftedSum} applies: stride 1, as many outputs as inputs, zero padding.
     */
    boolean shifts() {
        return columnMask != null;
    }

    /**
     * The window sum along the last axis of a row-major {@code rows x L} array when
     * {@link #shifts()}: {@code dst[r][j] = sum_d src[r + rowStep (d - low)][j + d - low]},
     * positions outside the image contributing 0, as {@code window} long shifted adds (one per
     * offset d, in order) that vectorise. {@code rowStep} is 1 for the diagonal sum of a
     * convolution over an L x L block (the same offset on both axes) and 0 for a plain sum along
     * rows. dst is overwritten.
     */
    void shiftedSum(double[] src, int sOff, double[] dst, int dOff, int rows, int rowStep) {
        if (rows > maskRows) {
            throw new IllegalStateException(rows + " rows but masks for " + maskRows);
        }
        if (window == 3 && low == 1 && rows >= 2 && in >= 2) {
            shiftedSum3(src, sOff, dst, dOff, rows, rowStep);
            return;
        }
        int len = rows * in;
        java.util.Arrays.fill(dst, dOff, dOff + len, 0.0);
        for (int d = 0; d < window; d++) {
            int shift = (d - low) * (rowStep * in + 1);
            int rowShift = rowStep * (d - low);
            int rFrom = Math.max(0, -rowShift);
            int rTo = Math.min(rows, rows - rowShift);
            int from = Math.max(rFrom * in, -shift);
            int to = Math.min(rTo * in, len - shift);
            double[] mask = columnMask[d];
            int ds = dOff;
            int ss = sOff + shift;
            for (int e = from; e < to; e++) {
                dst[ds + e] += mask[e] * src[ss + e];
            }
        }
    }

    /**
     * {@link #shiftedSum} for the common 3-wide centred window in one pass per band of rows,
     * summing the three offsets in the same order ((d0 + d1) + d2) as the general loop.
     */
    private void shiftedSum3(double[] src, int sOff, double[] dst, int dOff, int rows, int rowStep) {
        int len = rows * in;
        int s = rowStep * in + 1;
        double[] m0 = columnMask[0];
        double[] m2 = columnMask[2];
        // entries whose offset -1 (or +1) source lies before (after) the array get only the other terms
        int lo = Math.min(len, Math.max(rowStep * in, s));
        int hi = Math.max(lo, Math.min(len - rowStep * in, len - s));
        for (int e = 0; e < lo; e++) {
            double v = e - s >= 0 ? m0[e] * src[sOff + e - s] + src[sOff + e] : src[sOff + e];
            dst[dOff + e] = e + s < len && e < len - rowStep * in ? v + m2[e] * src[sOff + e + s] : v;
        }
        int base = sOff;
        for (int e = lo; e < hi; e++) { // no masks: the first and last columns are redone below
            dst[dOff + e] = (src[base + e - s] + src[base + e]) + src[base + e + s];
        }
        for (int r = lo / in; r * in < hi; r++) {
            int first = r * in;
            int last = first + in - 1;
            if (first >= lo && first < hi) { // column -1 is outside: the offset -1 term is absent
                dst[dOff + first] = src[base + first] + src[base + first + s];
            }
            if (last >= lo && last < hi) { // column L is outside: the offset +1 term is absent
                dst[dOff + last] = src[base + last - s] + src[base + last];
            }
        }
        for (int e = hi; e < len; e++) {
            double v = e >= rowStep * in && e - s >= 0 ? m0[e] * src[sOff + e - s] + src[sOff + e] : src[sOff + e];
            dst[dOff + e] = e + s < len && e < len - rowStep * in ? v + m2[e] * src[sOff + e + s] : v;
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
