package org.aleph.kernel.scale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tile product of {@link TiledKernel} in one pass over each tile, on the JDK's Vector API
 * (module {@code jdk.incubator.vector}, used only when that module is in the boot layer:
 * {@link TiledKernel.Product#vectorApi()}):
 * for tile (I, J) every float32 (or float64) entry is read from the memory map once, widened to
 * float64 into a small cache-resident block, and used for both products,
 * Y_I += K_IJ X_J (per row a and target c a dot product over the block's columns, in vector
 * accumulators reduced once per block) and, off the diagonal, Y_J += K_IJ^T X_I (an axpy over
 * the columns), eight tile rows at a time so that each load of X_J and Y_J serves eight rows.
 * X and Y are held by column (target c at {@code c * n}), so the inner loops run over
 * contiguous memory for every target count k. All sums are in float64 and in a fixed order, so
 * the result is the same bit for bit on every run (on the same CPU's vector width).
 */
final class VectorProduct {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats widened at a time: as many as D holds doubles. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** Tile rows processed together. */
    private static final int ROWS = 8;
    /** Tile columns per pass over the targets (8 rows of 256 doubles = 16 KB, in the L1 cache with X_J, Y_J). */
    private static final int COLS = 256;

    private VectorProduct() {
    }

    /**
     * The sum over a share of the tiles of their two products, into the column-held n x k block
     * {@code yc} (overwritten), from the column-held {@code xc}.
     */
    static void share(List<int[]> share, TileLayout layout, ByteBuffer[][] tiles, TilePrecision precision, double[] xc, int k,
                      double[] yc) {
        int n = layout.n();
        java.util.Arrays.fill(yc, 0, n * k, 0.0);
        int bs = layout.block();
        double[] buf = new double[ROWS * bs];
        for (int[] ij : share) {
            int i = ij[0];
            int j = ij[1];
            ByteBuffer tile = tiles[i][j];
            int si = layout.size(i);
            int sj = layout.size(j);
            int i0 = layout.start(i);
            int j0 = layout.start(j);
            boolean off = i != j;
            for (int a0 = 0; a0 < si; a0 += ROWS) {
                int rows = Math.min(ROWS, si - a0);
                widen(tile, precision, a0 * sj, buf, rows * sj); // the rows are contiguous: one streaming read
                for (int b0 = 0; b0 < sj; b0 += COLS) {
                    int cols = Math.min(COLS, sj - b0);
                    if (rows == ROWS) {
                        block8(buf, b0, sj, cols, xc, yc, n, k, i0 + a0, j0 + b0, off);
                    } else {
                        for (int r = 0; r < rows; r++) {
                            block1(buf, r * sj + b0, cols, xc, yc, n, k, i0 + a0 + r, j0 + b0, off);
                        }
                    }
                }
            }
        }
    }

    /** Entries {@code from .. from + count - 1} of a tile into {@code out}, as float64. */
    private static void widen(ByteBuffer tile, TilePrecision precision, int from, double[] out, int count) {
        if (precision == TilePrecision.FLOAT64) {
            tile.asDoubleBuffer().get(from, out, 0, count);
        } else {
            int e = 0; // straight from the memory map: 8 floats loaded and widened to 8 doubles at a time
            int bound = F.loopBound(count);
            for (; e < bound; e += F.length()) {
                ((DoubleVector) FloatVector.fromByteBuffer(F, tile, 4 * (from + e), ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.F2D, D, 0)).intoArray(out, e);
            }
            for (; e < count; e++) {
                out[e] = tile.getFloat(4 * (from + e));
            }
        }
    }

    /** 8 tile rows (buf rows 0..7, {@code cols} columns) against X_J and, off the diagonal, into Y_J. */
    private static void block8(double[] buf, int at, int stride, int cols, double[] xc, double[] yc, int n, int k, int ia,
                               int jb, boolean off) {
        int lanes = D.length();
        int bound = D.loopBound(cols);
        for (int c = 0; c < k; c++) {
            int xo = c * n + jb;
            int io = c * n + ia;
            double x0 = xc[io + 0];
            double x1 = xc[io + 1];
            double x2 = xc[io + 2];
            double x3 = xc[io + 3];
            double x4 = xc[io + 4];
            double x5 = xc[io + 5];
            double x6 = xc[io + 6];
            double x7 = xc[io + 7];
            DoubleVector a0 = DoubleVector.zero(D);
            DoubleVector a1 = DoubleVector.zero(D);
            DoubleVector a2 = DoubleVector.zero(D);
            DoubleVector a3 = DoubleVector.zero(D);
            DoubleVector a4 = DoubleVector.zero(D);
            DoubleVector a5 = DoubleVector.zero(D);
            DoubleVector a6 = DoubleVector.zero(D);
            DoubleVector a7 = DoubleVector.zero(D);
            int b = 0;
            if (off) {
                DoubleVector v0 = DoubleVector.broadcast(D, x0);
                DoubleVector v1 = DoubleVector.broadcast(D, x1);
                DoubleVector v2 = DoubleVector.broadcast(D, x2);
                DoubleVector v3 = DoubleVector.broadcast(D, x3);
                DoubleVector v4 = DoubleVector.broadcast(D, x4);
                DoubleVector v5 = DoubleVector.broadcast(D, x5);
                DoubleVector v6 = DoubleVector.broadcast(D, x6);
                DoubleVector v7 = DoubleVector.broadcast(D, x7);
                for (; b < bound; b += lanes) {
                    DoubleVector xj = DoubleVector.fromArray(D, xc, xo + b);
                    DoubleVector y = DoubleVector.fromArray(D, yc, xo + b);
                    DoubleVector t0 = DoubleVector.fromArray(D, buf, at + b);
                    a0 = t0.fma(xj, a0);
                    y = t0.fma(v0, y);
                    DoubleVector t1 = DoubleVector.fromArray(D, buf, at + 1 * stride + b);
                    a1 = t1.fma(xj, a1);
                    y = t1.fma(v1, y);
                    DoubleVector t2 = DoubleVector.fromArray(D, buf, at + 2 * stride + b);
                    a2 = t2.fma(xj, a2);
                    y = t2.fma(v2, y);
                    DoubleVector t3 = DoubleVector.fromArray(D, buf, at + 3 * stride + b);
                    a3 = t3.fma(xj, a3);
                    y = t3.fma(v3, y);
                    DoubleVector t4 = DoubleVector.fromArray(D, buf, at + 4 * stride + b);
                    a4 = t4.fma(xj, a4);
                    y = t4.fma(v4, y);
                    DoubleVector t5 = DoubleVector.fromArray(D, buf, at + 5 * stride + b);
                    a5 = t5.fma(xj, a5);
                    y = t5.fma(v5, y);
                    DoubleVector t6 = DoubleVector.fromArray(D, buf, at + 6 * stride + b);
                    a6 = t6.fma(xj, a6);
                    y = t6.fma(v6, y);
                    DoubleVector t7 = DoubleVector.fromArray(D, buf, at + 7 * stride + b);
                    a7 = t7.fma(xj, a7);
                    y = t7.fma(v7, y);
                    y.intoArray(yc, xo + b);
                }
            } else {
                for (; b < bound; b += lanes) {
                    DoubleVector xj = DoubleVector.fromArray(D, xc, xo + b);
                    a0 = DoubleVector.fromArray(D, buf, at + b).fma(xj, a0);
                    a1 = DoubleVector.fromArray(D, buf, at + 1 * stride + b).fma(xj, a1);
                    a2 = DoubleVector.fromArray(D, buf, at + 2 * stride + b).fma(xj, a2);
                    a3 = DoubleVector.fromArray(D, buf, at + 3 * stride + b).fma(xj, a3);
                    a4 = DoubleVector.fromArray(D, buf, at + 4 * stride + b).fma(xj, a4);
                    a5 = DoubleVector.fromArray(D, buf, at + 5 * stride + b).fma(xj, a5);
                    a6 = DoubleVector.fromArray(D, buf, at + 6 * stride + b).fma(xj, a6);
                    a7 = DoubleVector.fromArray(D, buf, at + 7 * stride + b).fma(xj, a7);
                }
            }
            double s0 = a0.reduceLanes(VectorOperators.ADD);
            double s1 = a1.reduceLanes(VectorOperators.ADD);
            double s2 = a2.reduceLanes(VectorOperators.ADD);
            double s3 = a3.reduceLanes(VectorOperators.ADD);
            double s4 = a4.reduceLanes(VectorOperators.ADD);
            double s5 = a5.reduceLanes(VectorOperators.ADD);
            double s6 = a6.reduceLanes(VectorOperators.ADD);
            double s7 = a7.reduceLanes(VectorOperators.ADD);
            for (; b < cols; b++) {
                double xj = xc[xo + b];
                double yb = 0;
                double t0 = buf[at + b];
                s0 += t0 * xj;
                yb += t0 * x0;
                double t1 = buf[at + 1 * stride + b];
                s1 += t1 * xj;
                yb += t1 * x1;
                double t2 = buf[at + 2 * stride + b];
                s2 += t2 * xj;
                yb += t2 * x2;
                double t3 = buf[at + 3 * stride + b];
                s3 += t3 * xj;
                yb += t3 * x3;
                double t4 = buf[at + 4 * stride + b];
                s4 += t4 * xj;
                yb += t4 * x4;
                double t5 = buf[at + 5 * stride + b];
                s5 += t5 * xj;
                yb += t5 * x5;
                double t6 = buf[at + 6 * stride + b];
                s6 += t6 * xj;
                yb += t6 * x6;
                double t7 = buf[at + 7 * stride + b];
                s7 += t7 * xj;
                yb += t7 * x7;
                if (off) {
                    yc[xo + b] += yb;
                }
            }
            yc[io + 0] += s0;
            yc[io + 1] += s1;
            yc[io + 2] += s2;
            yc[io + 3] += s3;
            yc[io + 4] += s4;
            yc[io + 5] += s5;
            yc[io + 6] += s6;
            yc[io + 7] += s7;
        }
    }

    /** One tile row (buf from {@code at}) against X_J and, off the diagonal, into Y_J. */
    private static void block1(double[] buf, int at, int cols, double[] xc, double[] yc, int n, int k, int ia, int jb,
                               boolean off) {
        int lanes = D.length();
        int bound = D.loopBound(cols);
        for (int c = 0; c < k; c++) {
            int xo = c * n + jb;
            int io = c * n + ia;
            double x0 = xc[io];
            DoubleVector v0 = DoubleVector.broadcast(D, x0);
            DoubleVector a0 = DoubleVector.zero(D);
            int b = 0;
            for (; b < bound; b += lanes) {
                DoubleVector xj = DoubleVector.fromArray(D, xc, xo + b);
                DoubleVector t0 = DoubleVector.fromArray(D, buf, at + b);
                a0 = t0.fma(xj, a0);
                if (off) {
                    t0.fma(v0, DoubleVector.fromArray(D, yc, xo + b)).intoArray(yc, xo + b);
                }
            }
            double s0 = a0.reduceLanes(VectorOperators.ADD);
            for (; b < cols; b++) {
                double t0 = buf[at + b];
                s0 += t0 * xc[xo + b];
                if (off) {
                    yc[xo + b] += t0 * x0;
                }
            }
            yc[io] += s0;
        }
    }
}
