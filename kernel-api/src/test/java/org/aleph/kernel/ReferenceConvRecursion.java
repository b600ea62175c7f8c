package org.aleph.kernel;

import java.util.List;
import org.aleph.kernel.spi.Activation;

/**
 * The convolutional kernel recursion written the plain way, one pair of images at a time with
 * four-index arrays S[h1][w1][h2][w2] and the window sums taken directly over both filter axes
 * (not separably), straight from DESIGN.md's "Convolutional networks": the reference the
 * tiled, separable {@link SpatialKernelComputer} is checked against. The images' own variances
 * are propagated alongside as full self-covariances.
 */
final class ReferenceConvRecursion {

    /** The covariances of a pair (ab) and of each image with itself (aa, bb), NNGP and NTK, at one layer. */
    private static final class State {
        double[][][][] ab;
        double[][][][] aa;
        double[][][][] bb;
        double[][][][] t;
        boolean flat;
        double k;
        double kt;
        double qa;
        double qb;
    }

    private ReferenceConvRecursion() {
    }

    /** {NNGP, NTK} of images xa and xb given as [h][w][c]. */
    static double[] pair(Network net, double[][][] xa, double[][][] xb) {
        State s = new State();
        s.ab = gram(xa, xb);
        s.aa = gram(xa, xa);
        s.bb = gram(xb, xb);
        s.t = zeros(s.ab);
        apply(net.layers(), s);
        return new double[] {s.k, s.kt};
    }

    private static void apply(List<Layer> layers, State s) {
        for (Layer l : layers) {
            if (s.flat) {
                flatLayer(l, s);
            } else {
                spatialLayer(l, s);
            }
        }
    }

    private static void spatialLayer(Layer l, State s) {
        l.accept(new Spatial(s));
    }

    /**
     * One layer applied to the four-index state of a pair of images: a {@link Layer.Visitor},
     * so the compiler checks that every layer kind is either implemented or refused.
     */
    private static final class Spatial implements Layer.Visitor<Void> {

        private final State s;

        Spatial(State s) {
            this.s = s;
        }

        private static void ntkOnly(Layer l) {
            throw new IllegalStateException("the reference implements only the NTK parameterisation and LayerNorm without eps: "
                    + l.spec());
        }

        @Override
        public Void dense(Layer.Dense d) {
            if (d.parameterization() != Layer.Parameterization.NTK) {
                ntkOnly(d);
            }
            double w2 = d.wStd() * d.wStd();
            double b2 = d.bStd() * d.bStd();
            s.ab = affine(s.ab, w2, b2);
            s.aa = affine(s.aa, w2, b2);
            s.bb = affine(s.bb, w2, b2);
            s.t = sum(s.ab, affine(s.t, w2, 0));
            return null;
        }

        @Override
        public Void conv(Layer.Conv c) {
            if (c.parameterization() != Layer.Parameterization.NTK) {
                ntkOnly(c);
            }
            double f = c.wStd() * c.wStd() / (c.filterH() * c.filterW());
            double b2 = c.bStd() * c.bStd();
            s.ab = affine(convolve(s.ab, c), f, b2);
            s.aa = affine(convolve(s.aa, c), f, b2);
            s.bb = affine(convolve(s.bb, c), f, b2);
            s.t = sum(s.ab, affine(convolve(s.t, c), f, 0));
            return null;
        }

        @Override
        public Void avgPool(Layer.AvgPool p) {
            s.ab = pool(s.ab, p);
            s.aa = pool(s.aa, p);
            s.bb = pool(s.bb, p);
            s.t = pool(s.t, p);
            return null;
        }

        @Override
        public Void nonlinearity(Layer.Nonlinearity nl) {
            Activation a = nl.activation();
            double[][][][] newAb = zeros(s.ab);
            double[][][][] newT = zeros(s.ab);
            forEach(s.ab, (h1, w1, h2, w2) -> {
                double[] e = expect(a, s.aa[h1][w1][h1][w1], s.ab[h1][w1][h2][w2], s.bb[h2][w2][h2][w2]);
                newAb[h1][w1][h2][w2] = e[0];
                newT[h1][w1][h2][w2] = s.t[h1][w1][h2][w2] * e[1];
            });
            double[][][][] newAa = zeros(s.aa);
            double[][][][] newBb = zeros(s.bb);
            forEach(s.aa, (h1, w1, h2, w2) -> newAa[h1][w1][h2][w2] = expect(a, s.aa[h1][w1][h1][w1], s.aa[h1][w1][h2][w2], s.aa[h2][w2][h2][w2])[0]);
            forEach(s.bb, (h1, w1, h2, w2) -> newBb[h1][w1][h2][w2] = expect(a, s.bb[h1][w1][h1][w1], s.bb[h1][w1][h2][w2], s.bb[h2][w2][h2][w2])[0]);
            s.ab = newAb;
            s.t = newT;
            s.aa = newAa;
            s.bb = newBb;
            return null;
        }

        @Override
        public Void residual(Layer.Residual r) {
            State branch = new State();
            branch.ab = s.ab;
            branch.aa = s.aa;
            branch.bb = s.bb;
            branch.t = s.t;
            apply(r.branch(), branch);
            s.ab = sum(s.ab, branch.ab);
            s.aa = sum(s.aa, branch.aa);
            s.bb = sum(s.bb, branch.bb);
            s.t = sum(s.t, branch.t);
            return null;
        }

        @Override
        public Void layerNorm(Layer.LayerNorm n0) {
            if (n0.eps() != 0) {
                ntkOnly(n0);
            }
            double[][][][] ab = zeros(s.ab);
            double[][][][] t = zeros(s.ab);
            forEach(s.ab, (h1, w1, h2, w2) -> {
                double n = Math.sqrt(s.aa[h1][w1][h1][w1] * s.bb[h2][w2][h2][w2]);
                ab[h1][w1][h2][w2] = n > 0 ? s.ab[h1][w1][h2][w2] / n : s.ab[h1][w1][h2][w2];
                t[h1][w1][h2][w2] = n > 0 ? s.t[h1][w1][h2][w2] / n : s.t[h1][w1][h2][w2];
            });
            s.aa = normSelf(s.aa);
            s.bb = normSelf(s.bb);
            s.ab = ab;
            s.t = t;
            return null;
        }

        @Override
        public Void globalAvgPool(Layer.GlobalAvgPool layer) {
            s.k = meanAll(s.ab);
            s.kt = meanAll(s.t);
            s.qa = meanAll(s.aa);
            s.qb = meanAll(s.bb);
            s.flat = true;
            return null;
        }

        @Override
        public Void flatten(Layer.Flatten layer) {
            s.k = meanDiag(s.ab);
            s.kt = meanDiag(s.t);
            s.qa = meanDiag(s.aa);
            s.qb = meanDiag(s.bb);
            s.flat = true;
            return null;
        }

        @Override
        public Void branches(Layer.Branches layer) {
            return unknown(layer);
        }

        @Override
        public Void repeat(Layer.Repeat layer) {
            return unknown(layer);
        }

        @Override
        public Void dropout(Layer.Dropout layer) {
            return unknown(layer);
        }

        private static Void unknown(Layer l) {
            throw new IllegalStateException("reference does not know " + l);
        }
    }

    private static void flatLayer(Layer l, State s) {
        ReferenceRecursion.State f = new ReferenceRecursion.State();
        f.k = s.k;
        f.t = s.kt;
        f.q1 = s.qa;
        f.q2 = s.qb;
        ReferenceRecursion.apply(List.of(l), f);
        s.k = f.k;
        s.kt = f.t;
        s.qa = f.q1;
        s.qb = f.q2;
    }

    private static double[] expect(Activation a, double q11, double q12, double q22) {
        double bound = Math.sqrt(q11 * q22); // the recursion's convention: within 4 ulps of the bound is rho = +-1
        double c = q12 >= bound * TileRecursion.SNAP ? bound : (q12 <= -bound * TileRecursion.SNAP ? -bound : q12);
        double[] k = new double[1];
        double[] d = new double[1];
        a.expectations(new double[] {q11}, new double[] {c}, new double[] {q22}, 1, k, d);
        return new double[] {k[0], d[0]};
    }

    /** The input position that output o reads at window offset d along an axis, or -1 outside (DESIGN.md). */
    static int source(int o, int d, int length, int window, int stride, Layer.Padding padding) {
        if (padding == Layer.Padding.VALID) {
            return o * stride + d;
        }
        int out = (length + stride - 1) / stride;
        int lo = Math.max((out - 1) * stride + window - length, 0) / 2;
        int i = o * stride + d - lo;
        if (padding == Layer.Padding.CIRCULAR) {
            return ((i % length) + length) % length;
        }
        return i < 0 || i >= length ? -1 : i;
    }

    static int outSize(int length, int window, int stride, Layer.Padding padding) {
        return padding == Layer.Padding.VALID ? (length - window) / stride + 1 : (length + stride - 1) / stride;
    }

    private static double[][][][] convolve(double[][][][] s, Layer.Conv c) {
        int h = s.length;
        int w = s[0].length;
        int oh = outSize(h, c.filterH(), c.strideH(), c.padding());
        int ow = outSize(w, c.filterW(), c.strideW(), c.padding());
        double[][][][] r = new double[oh][ow][oh][ow];
        for (int a = 0; a < oh; a++) {
            for (int b = 0; b < ow; b++) {
                for (int e = 0; e < oh; e++) {
                    for (int f = 0; f < ow; f++) {
                        double sum = 0;
                        for (int dh = 0; dh < c.filterH(); dh++) {
                            for (int dw = 0; dw < c.filterW(); dw++) {
                                int i1 = source(a, dh, h, c.filterH(), c.strideH(), c.padding());
                                int j1 = source(b, dw, w, c.filterW(), c.strideW(), c.padding());
                                int i2 = source(e, dh, h, c.filterH(), c.strideH(), c.padding());
                                int j2 = source(f, dw, w, c.filterW(), c.strideW(), c.padding());
                                if (i1 >= 0 && j1 >= 0 && i2 >= 0 && j2 >= 0) {
                                    sum += s[i1][j1][i2][j2];
                                }
                            }
                        }
                        r[a][b][e][f] = sum;
                    }
                }
            }
        }
        return r;
    }

    private static double[][][][] pool(double[][][][] s, Layer.AvgPool p) {
        int h = s.length;
        int w = s[0].length;
        int oh = outSize(h, p.windowH(), p.strideH(), p.padding());
        int ow = outSize(w, p.windowW(), p.strideW(), p.padding());
        double area = p.windowH() * p.windowW();
        double[][][][] r = new double[oh][ow][oh][ow];
        for (int a = 0; a < oh; a++) {
            for (int b = 0; b < ow; b++) {
                for (int e = 0; e < oh; e++) {
                    for (int f = 0; f < ow; f++) {
                        double sum = 0;
                        for (int d1 = 0; d1 < p.windowH(); d1++) {
                            for (int d2 = 0; d2 < p.windowW(); d2++) {
                                for (int d3 = 0; d3 < p.windowH(); d3++) {
                                    for (int d4 = 0; d4 < p.windowW(); d4++) {
                                        int i1 = source(a, d1, h, p.windowH(), p.strideH(), p.padding());
                                        int j1 = source(b, d2, w, p.windowW(), p.strideW(), p.padding());
                                        int i2 = source(e, d3, h, p.windowH(), p.strideH(), p.padding());
                                        int j2 = source(f, d4, w, p.windowW(), p.strideW(), p.padding());
                                        if (i1 >= 0 && j1 >= 0 && i2 >= 0 && j2 >= 0) {
                                            sum += s[i1][j1][i2][j2];
                                        }
                                    }
                                }
                            }
                        }
                        r[a][b][e][f] = sum / (area * area);
                    }
                }
            }
        }
        return r;
    }

    private static double[][][][] gram(double[][][] xa, double[][][] xb) {
        int h = xa.length;
        int w = xa[0].length;
        int c = xa[0][0].length;
        double[][][][] s = new double[h][w][h][w];
        forEach(s, (h1, w1, h2, w2) -> {
            double sum = 0;
            for (int ch = 0; ch < c; ch++) {
                sum += xa[h1][w1][ch] * xb[h2][w2][ch];
            }
            s[h1][w1][h2][w2] = sum / c;
        });
        return s;
    }

    private static double[][][][] normSelf(double[][][][] s) {
        double[][][][] r = zeros(s);
        forEach(s, (h1, w1, h2, w2) -> {
            double n = Math.sqrt(s[h1][w1][h1][w1] * s[h2][w2][h2][w2]);
            r[h1][w1][h2][w2] = n > 0 ? s[h1][w1][h2][w2] / n : s[h1][w1][h2][w2];
        });
        return r;
    }

    private interface Index4 {
        void at(int h1, int w1, int h2, int w2);
    }

    private static void forEach(double[][][][] s, Index4 f) {
        for (int a = 0; a < s.length; a++) {
            for (int b = 0; b < s[0].length; b++) {
                for (int c = 0; c < s.length; c++) {
                    for (int d = 0; d < s[0].length; d++) {
                        f.at(a, b, c, d);
                    }
                }
            }
        }
    }

    private static double[][][][] zeros(double[][][][] like) {
        return new double[like.length][like[0].length][like.length][like[0].length];
    }

    private static double[][][][] affine(double[][][][] s, double w2, double b2) {
        double[][][][] r = zeros(s);
        forEach(s, (a, b, c, d) -> r[a][b][c][d] = w2 * s[a][b][c][d] + b2);
        return r;
    }

    private static double[][][][] sum(double[][][][] x, double[][][][] y) {
        double[][][][] r = zeros(x);
        forEach(x, (a, b, c, d) -> r[a][b][c][d] = x[a][b][c][d] + y[a][b][c][d]);
        return r;
    }

    private static double meanAll(double[][][][] s) {
        double[] sum = {0};
        forEach(s, (a, b, c, d) -> sum[0] += s[a][b][c][d]);
        return sum[0] / Math.pow(s.length * s[0].length, 2);
    }

    private static double meanDiag(double[][][][] s) {
        double sum = 0;
        for (int a = 0; a < s.length; a++) {
            for (int b = 0; b < s[0].length; b++) {
                sum += s[a][b][a][b];
            }
        }
        return sum / (s.length * s[0].length);
    }
}
