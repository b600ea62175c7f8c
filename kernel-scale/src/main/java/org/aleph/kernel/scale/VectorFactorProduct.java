package org.aleph.kernel.scale;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two products of the preconditioner's factor with blocks of vectors (FactorStore), on the
 * Vector API and both cores, where jdk.incubator.vector is present: C = L^T R (r x k) and
 * Z += L D (n x k), with L^T the r x n row-major factor. They are thin (k = 10 targets) and
 * read the whole factor (1.44 GB at n = 60 000, r = 3000) twice per conjugate-gradient
 * iteration, which on one OpenBLAS thread cost about as much as the tile product's pass at
 * n = 20 000 (docs/scale.md). Each worker takes fixed rows of L^T (for C) or a fixed range of
 * the n points (for Z), and the sums run in a fixed order, so results repeat bit for bit.
 */
final class VectorFactorProduct {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Rows of L^T processed together. */
    private static final int ROWS = 8;
    /** Points per pass over the targets (8 rows of 512 doubles = 32 KB). */
    private static final int COLS = 512;

    private VectorFactorProduct() {
    }

    /** C (r x k, row-major) = L^T R for the r x n row-major {@code lt} and R n x k (row-major). */
    static double[] project(double[] lt, int r, int n, double[] rhs, int k, int threads) {
        double[] xc = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < k; q++) {
                xc[q * n + i] = rhs[i * k + q];
            }
        }
        double[] c = new double[r * k];
        int blocks = (r + ROWS - 1) / ROWS;
        int workers = Math.max(1, Math.min(threads, blocks));
        Parallel.run(workers, "aleph-factor", id -> {
            for (int blk = id; blk < blocks; blk += workers) {
                int j0 = blk * ROWS;
                int rows = Math.min(ROWS, r - j0);
                for (int b0 = 0; b0 < n; b0 += COLS) {
                    int cols = Math.min(COLS, n - b0);
                    if (rows == ROWS) {
                        dot8(lt, j0 * n + b0, n, cols, xc, b0, n, k, c, j0 * k);
                    } else {
                        for (int q = 0; q < rows; q++) {
                            dot1(lt, (j0 + q) * n + b0, cols, xc, b0, n, k, c, (j0 + q) * k);
                        }
                    }
                }
            }
        });
        return c;
    }

    /** Z (n x k, row-major) += L D for the r x n row-major {@code lt} and D r x k (row-major). */
    static void addLift(double[] lt, int r, int n, double[] d, int k, double[] z, int threads) {
        double[] zc = new double[n * k];
        int workers = Math.max(1, Math.min(threads, (n + COLS - 1) / COLS));
        int per = (n + workers - 1) / workers;
        Parallel.run(workers, "aleph-factor", id -> {
            int from = id * per;
            int to = Math.min(n, from + per);
            for (int j0 = 0; j0 < r; j0 += ROWS) {
                int rows = Math.min(ROWS, r - j0);
                for (int b0 = from; b0 < to; b0 += COLS) {
                    int cols = Math.min(COLS, to - b0);
                    if (rows == ROWS) {
                        axpy8(lt, j0 * n + b0, n, cols, d, j0 * k, k, zc, b0, n);
                    } else {
                        for (int q = 0; q < rows; q++) {
                            axpy1(lt, (j0 + q) * n + b0, cols, d, (j0 + q) * k, k, zc, b0, n);
                        }
                    }
                }
            }
        });
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < k; q++) {
                z[i * k + q] += zc[q * n + i];
            }
        }
    }

    /** out[o + row * k + q] += sum over the cols of t row (at + row * stride) times xc column q (from xo), rows 0..7. */
    private static void dot8(double[] t, int at, int stride, int cols, double[] xc, int xo, int n, int k, double[] out, int o) {
        int lanes = D.length();
        int bound = D.loopBound(cols);
        for (int q = 0; q < k; q++) {
            int xq = q * n + xo;
            DoubleVector a0 = DoubleVector.zero(D);
            DoubleVector a1 = DoubleVector.zero(D);
            DoubleVector a2 = DoubleVector.zero(D);
            DoubleVector a3 = DoubleVector.zero(D);
            DoubleVector a4 = DoubleVector.zero(D);
            DoubleVector a5 = DoubleVector.zero(D);
            DoubleVector a6 = DoubleVector.zero(D);
            DoubleVector a7 = DoubleVector.zero(D);
            int b = 0;
            for (; b < bound; b += lanes) {
                DoubleVector x = DoubleVector.fromArray(D, xc, xq + b);
                a0 = DoubleVector.fromArray(D, t, at + b).fma(x, a0);
                a1 = DoubleVector.fromArray(D, t, at + 1 * stride + b).fma(x, a1);
                a2 = DoubleVector.fromArray(D, t, at + 2 * stride + b).fma(x, a2);
                a3 = DoubleVector.fromArray(D, t, at + 3 * stride + b).fma(x, a3);
                a4 = DoubleVector.fromArray(D, t, at + 4 * stride + b).fma(x, a4);
                a5 = DoubleVector.fromArray(D, t, at + 5 * stride + b).fma(x, a5);
                a6 = DoubleVector.fromArray(D, t, at + 6 * stride + b).fma(x, a6);
                a7 = DoubleVector.fromArray(D, t, at + 7 * stride + b).fma(x, a7);
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
                double x = xc[xq + b];
                s0 += t[at + b] * x;
                s1 += t[at + 1 * stride + b] * x;
                s2 += t[at + 2 * stride + b] * x;
                s3 += t[at + 3 * stride + b] * x;
                s4 += t[at + 4 * stride + b] * x;
                s5 += t[at + 5 * stride + b] * x;
                s6 += t[at + 6 * stride + b] * x;
                s7 += t[at + 7 * stride + b] * x;
            }
            out[o + q] += s0;
            out[o + 1 * k + q] += s1;
            out[o + 2 * k + q] += s2;
            out[o + 3 * k + q] += s3;
            out[o + 4 * k + q] += s4;
            out[o + 5 * k + q] += s5;
            out[o + 6 * k + q] += s6;
            out[o + 7 * k + q] += s7;
        }
    }

    private static void dot1(double[] t, int at, int cols, double[] xc, int xo, int n, int k, double[] out, int o) {
        int lanes = D.length();
        int bound = D.loopBound(cols);
        for (int q = 0; q < k; q++) {
            int xq = q * n + xo;
            DoubleVector a0 = DoubleVector.zero(D);
            int b = 0;
            for (; b < bound; b += lanes) {
                a0 = DoubleVector.fromArray(D, t, at + b).fma(DoubleVector.fromArray(D, xc, xq + b), a0);
            }
            double s0 = a0.reduceLanes(VectorOperators.ADD);
            for (; b < cols; b++) {
                s0 += t[at + b] * xc[xq + b];
            }
            out[o + q] += s0;
        }
    }

    /** zc column q (from zo) += sum over rows 0..7 of d[o + row * k + q] times t row (at + row * stride). */
    private static void axpy8(double[] t, int at, int stride, int cols, double[] d, int o, int k, double[] zc, int zo, int n) {
        int lanes = D.length();
        int bound = D.loopBound(cols);
        for (int q = 0; q < k; q++) {
            int zq = q * n + zo;
            double w0 = d[o + q];
            double w1 = d[o + 1 * k + q];
            double w2 = d[o + 2 * k + q];
            double w3 = d[o + 3 * k + q];
            double w4 = d[o + 4 * k + q];
            double w5 = d[o + 5 * k + q];
            double w6 = d[o + 6 * k + q];
            double w7 = d[o + 7 * k + q];
            DoubleVector v0 = DoubleVector.broadcast(D, w0);
            DoubleVector v1 = DoubleVector.broadcast(D, w1);
            DoubleVector v2 = DoubleVector.broadcast(D, w2);
            DoubleVector v3 = DoubleVector.broadcast(D, w3);
            DoubleVector v4 = DoubleVector.broadcast(D, w4);
            DoubleVector v5 = DoubleVector.broadcast(D, w5);
            DoubleVector v6 = DoubleVector.broadcast(D, w6);
            DoubleVector v7 = DoubleVector.broadcast(D, w7);
            int b = 0;
            for (; b < bound; b += lanes) {
                DoubleVector y = DoubleVector.fromArray(D, zc, zq + b);
                y = DoubleVector.fromArray(D, t, at + b).fma(v0, y);
                y = DoubleVector.fromArray(D, t, at + 1 * stride + b).fma(v1, y);
                y = DoubleVector.fromArray(D, t, at + 2 * stride + b).fma(v2, y);
                y = DoubleVector.fromArray(D, t, at + 3 * stride + b).fma(v3, y);
                y = DoubleVector.fromArray(D, t, at + 4 * stride + b).fma(v4, y);
                y = DoubleVector.fromArray(D, t, at + 5 * stride + b).fma(v5, y);
                y = DoubleVector.fromArray(D, t, at + 6 * stride + b).fma(v6, y);
                y = DoubleVector.fromArray(D, t, at + 7 * stride + b).fma(v7, y);
                y.intoArray(zc, zq + b);
            }
            for (; b < cols; b++) {
                double y = zc[zq + b];
                y += t[at + b] * w0;
                y += t[at + 1 * stride + b] * w1;
                y += t[at + 2 * stride + b] * w2;
                y += t[at + 3 * stride + b] * w3;
                y += t[at + 4 * stride + b] * w4;
                y += t[at + 5 * stride + b] * w5;
                y += t[at + 6 * stride + b] * w6;
                y += t[at + 7 * stride + b] * w7;
                zc[zq + b] = y;
            }
        }
    }

    private static void axpy1(double[] t, int at, int cols, double[] d, int o, int k, double[] zc, int zo, int n) {
        int lanes = D.length();
        int bound = D.loopBound(cols);
        for (int q = 0; q < k; q++) {
            int zq = q * n + zo;
            double w0 = d[o + q];
            DoubleVector v0 = DoubleVector.broadcast(D, w0);
            int b = 0;
            for (; b < bound; b += lanes) {
                DoubleVector.fromArray(D, t, at + b).fma(v0, DoubleVector.fromArray(D, zc, zq + b)).intoArray(zc, zq + b);
            }
            for (; b < cols; b++) {
                zc[zq + b] += t[at + b] * w0;
            }
        }
    }
}
