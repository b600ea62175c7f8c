package org.aleph.kernel.finite;

import org.aleph.kernel.Layer;

/**
 * The geometry of a sliding window (a convolution filter or a pooling window) over NHWC
 * images of {@code inH x inW} pixels, following kernel-api's {@link Layer.Padding}: window tap
 * (dh, dw) of output pixel (oh, ow) reads input pixel {@code (oh sh + dh - lowH, ow sw + dw - lowW)};
 * SAME and VALID read zeros outside the image, CIRCULAR wraps modulo the size (DESIGN.md,
 * "Convolutional networks"; Novak et al. 2019). The source pixel of every (output pixel, tap)
 * is tabulated once, so im2col, its adjoint and pooling are plain array loops.
 */
final class Window {

    final int inH;
    final int inW;
    final int outH;
    final int outW;
    final int kh;
    final int kw;
    /** source[o * taps + t]: the input pixel read by tap t of output pixel o, or -1 for padding. */
    private final int[] source;
    private final boolean identity;

    Window(int inH, int inW, int kh, int kw, int sh, int sw, Layer.Padding padding) {
        this.inH = inH;
        this.inW = inW;
        this.kh = kh;
        this.kw = kw;
        this.outH = padding.outputSize(inH, kh, sh);
        this.outW = padding.outputSize(inW, kw, sw);
        int lowH = padding.low(inH, kh, sh);
        int lowW = padding.low(inW, kw, sw);
        boolean circular = padding == Layer.Padding.CIRCULAR;
        this.source = new int[Math.multiplyExact(Math.max(outH, 0) * Math.max(outW, 0), kh * kw)];
        int e = 0;
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                for (int dh = 0; dh < kh; dh++) {
                    int ih = oh * sh + dh - lowH;
                    for (int dw = 0; dw < kw; dw++) {
                        int iw = ow * sw + dw - lowW;
                        int h = circular ? Math.floorMod(ih, inH) : ih;
                        int w = circular ? Math.floorMod(iw, inW) : iw;
                        source[e++] = h < 0 || h >= inH || w < 0 || w >= inW ? -1 : h * inW + w;
                    }
                }
            }
        }
        this.identity = kh == 1 && kw == 1 && outH == inH && outW == inW && isIdentityTable();
    }

    /** The 1 x 1 window on a 1 x 1 image: a flat Dense layer. */
    static Window flat() {
        return pointwise(1, 1);
    }

    /** The 1 x 1 window with stride 1 on an h x w image: a Dense layer applied per pixel. */
    static Window pointwise(int h, int w) {
        return new Window(h, w, 1, 1, 1, 1, Layer.Padding.SAME);
    }

    private boolean isIdentityTable() {
        for (int i = 0; i < source.length; i++) {
            if (source[i] != i) {
                return false;
            }
        }
        return true;
    }

    int taps() {
        return kh * kw;
    }

    int inPixels() {
        return inH * inW;
    }

    int outPixels() {
        return outH * outW;
    }

    /** Whether im2col is the identity (a 1 x 1 window with stride 1 and no change of size). */
    boolean isIdentity() {
        return identity;
    }

    /**
     * The im2col rows of n images with c channels: row {@code s P_out + o} holds, tap by tap,
     * the c channels of the pixel each tap reads (zeros for padding). Returns y itself when the
     * window is the identity.
     */
    double[] im2col(double[] y, int n, int c, Workers workers) {
        if (identity) {
            return y;
        }
        int taps = taps();
        int outP = outPixels();
        int inP = inPixels();
        int row = taps * c;
        double[] col = new double[Math.multiplyExact(n * outP, row)];
        workers.run(n, (long) n * outP * row, s -> {
            for (int o = 0; o < outP; o++) {
                int base = (s * outP + o) * row;
                for (int t = 0; t < taps; t++) {
                    int src = source[o * taps + t];
                    if (src >= 0) {
                        System.arraycopy(y, (s * inP + src) * c, col, base + t * c, c);
                    }
                }
            }
        });
        return col;
    }

    /** The adjoint of {@link #im2col}: adds every row entry back onto the pixel it was read from. */
    double[] col2im(double[] col, int n, int c, Workers workers) {
        if (identity) {
            return col;
        }
        int taps = taps();
        int outP = outPixels();
        int inP = inPixels();
        int row = taps * c;
        double[] dy = new double[n * inP * c];
        workers.run(n, (long) n * outP * row, s -> {
            for (int o = 0; o < outP; o++) {
                int base = (s * outP + o) * row;
                for (int t = 0; t < taps; t++) {
                    int src = source[o * taps + t];
                    if (src >= 0) {
                        int d = (s * inP + src) * c;
                        int b = base + t * c;
                        for (int ch = 0; ch < c; ch++) {
                            dy[d + ch] += col[b + ch];
                        }
                    }
                }
            }
        });
        return dy;
    }

    /** Average pooling: each output pixel the sum of its window divided by the window area. */
    double[] pool(double[] y, int n, int c) {
        int taps = taps();
        int outP = outPixels();
        int inP = inPixels();
        double inv = 1.0 / taps;
        double[] z = new double[n * outP * c];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < outP; o++) {
                int d = (s * outP + o) * c;
                for (int t = 0; t < taps; t++) {
                    int src = source[o * taps + t];
                    if (src >= 0) {
                        int b = (s * inP + src) * c;
                        for (int ch = 0; ch < c; ch++) {
                            z[d + ch] += y[b + ch];
                        }
                    }
                }
                for (int ch = d; ch < d + c; ch++) {
                    z[ch] *= inv;
                }
            }
        }
        return z;
    }

    /** The adjoint of {@link #pool}. */
    double[] poolBackward(double[] dz, int n, int c) {
        int taps = taps();
        int outP = outPixels();
        int inP = inPixels();
        double inv = 1.0 / taps;
        double[] dy = new double[n * inP * c];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < outP; o++) {
                int b = (s * outP + o) * c;
                for (int t = 0; t < taps; t++) {
                    int src = source[o * taps + t];
                    if (src >= 0) {
                        int d = (s * inP + src) * c;
                        for (int ch = 0; ch < c; ch++) {
                            dy[d + ch] += inv * dz[b + ch];
                        }
                    }
                }
            }
        }
        return dy;
    }

    @Override
    public String toString() {
        return inH + "x" + inW + " -> " + outH + "x" + outW + " by a " + kh + "x" + kw + " window";
    }
}
