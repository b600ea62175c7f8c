package org.aleph.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The functions shipped to Spark executors. The network travels as its spec text and is parsed
 * on the executor with the activations found there by ServiceLoader (plug-in jars must be on the
 * executors' class path); the inputs travel as broadcast arrays.
 */
final class TileFunctions {

    private TileFunctions() {
    }

    /** The job's fixed data, shipped once per task. */
    static final class Job implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final String spec;
        final int[] shape; // H, W, C or null
        final Broadcast<double[]> x;
        final int n;
        final int d;
        final int block;
        final boolean ntk;
        /** Round the tile entries to float32, as the local engine stores them (kernel-scale's TilePrecision). */
        final boolean float32;

        Job(String spec, ImageShape shape, Broadcast<double[]> x, int n, int d, int block, boolean ntk) {
            this(spec, shape, x, n, d, block, ntk, false);
        }

        Job(String spec, ImageShape shape, Broadcast<double[]> x, int n, int d, int block, boolean ntk, boolean float32) {
            this.float32 = float32;
            this.spec = spec;
            this.shape = shape == null ? null : new int[] {shape.height(), shape.width(), shape.channels()};
            this.x = x;
            this.n = n;
            this.d = d;
            this.block = block;
            this.ntk = ntk;
        }

        int size(int b) {
            return Math.min(block, n - b * block);
        }

        Matrix rows(double[] all, int start, int count) {
            return Matrix.wrap(count, d, Arrays.copyOfRange(all, start * d, (start + count) * d));
        }

        /** The kernel of a against b (null: a against itself), of the job's kind, with one thread (Spark runs tasks in parallel). */
        double[] kernel(Matrix a, Matrix b) {
            KernelComputer c = new KernelComputer(Network.parse(spec), 1);
            KernelResult r = shape == null ? c.compute(a, b) : c.compute(a, b, new ImageShape(shape[0], shape[1], shape[2]));
            return (ntk ? r.ntk() : r.nngp()).data();
        }
    }

    /** (I, J) to its tile. */
    static final class Compute implements Function<int[], Tile> {
        private static final long serialVersionUID = 1L;
        private final Job job;

        Compute(Job job) {
            this.job = job;
        }

        @Override
        public Tile call(int[] ij) {
            double[] x = job.x.value();
            int ri = job.size(ij[0]);
            int rj = job.size(ij[1]);
            Matrix a = job.rows(x, ij[0] * job.block, ri);
            Matrix b = ij[0] == ij[1] ? null : job.rows(x, ij[1] * job.block, rj);
            double[] v = job.kernel(a, b);
            if (job.float32) { // the train tiles only, as the local engine stores them; predictions stay float64
                for (int e = 0; e < v.length; e++) {
                    v[e] = (float) v[e];
                }
            }
            return new Tile(ij[0], ij[1], ri, rj, v);
        }
    }

    /** The partial products of one partition's tiles with X (n x k): an n x k array. */
    static final class Product implements FlatMapFunction<Iterator<Tile>, double[]> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<double[]> x;
        private final int n;
        private final int k;
        private final int block;

        Product(Broadcast<double[]> x, int n, int k, int block) {
            this.x = x;
            this.n = n;
            this.k = k;
            this.block = block;
        }

        @Override
        public Iterator<double[]> call(Iterator<Tile> tiles) {
            double[] xv = x.value();
            double[] y = new double[n * k];
            while (tiles.hasNext()) {
                Tile t = tiles.next();
                int i0 = t.i * block;
                int j0 = t.j * block;
                boolean off = t.i != t.j;
                for (int a = 0; a < t.rows; a++) {
                    int yi = (i0 + a) * k;
                    for (int b = 0; b < t.cols; b++) {
                        double v = t.data[a * t.cols + b];
                        int xj = (j0 + b) * k;
                        for (int c = 0; c < k; c++) {
                            y[yi + c] += v * xv[xj + c];
                        }
                        if (off) {
                            for (int c = 0; c < k; c++) {
                                y[xj + c] += v * xv[yi + c];
                            }
                        }
                    }
                }
            }
            return List.of(y).iterator();
        }
    }

    /** Elementwise sum (into the first array). */
    static final class Add implements Function2<double[], double[], double[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public double[] call(double[] a, double[] b) {
            for (int e = 0; e < a.length; e++) {
                a[e] += b[e];
            }
            return a;
        }
    }

    /**
     * The pieces of the rows of some points held by a tile: {q, offset, values...} as
     * (q, offset) in the first two entries of each array, then the values of row q at
     * columns offset .. offset + length - 1.
     */
    static final class RowPieces implements FlatMapFunction<Tile, double[]> {
        private static final long serialVersionUID = 1L;
        private final int[] points;
        private final int block;

        RowPieces(int[] points, int block) {
            this.points = points;
            this.block = block;
        }

        @Override
        public Iterator<double[]> call(Tile t) {
            List<double[]> out = new ArrayList<>();
            for (int q = 0; q < points.length; q++) {
                int p = points[q];
                int bp = p / block;
                int a = p - bp * block;
                if (bp == t.i) { // row a of the tile: columns of block J
                    double[] piece = new double[2 + t.cols];
                    piece[0] = q;
                    piece[1] = t.j * block;
                    System.arraycopy(t.data, a * t.cols, piece, 2, t.cols);
                    out.add(piece);
                }
                if (bp == t.j && t.i != t.j) { // column a of the tile: row p at the columns of block I
                    double[] piece = new double[2 + t.rows];
                    piece[0] = q;
                    piece[1] = t.i * block;
                    for (int r = 0; r < t.rows; r++) {
                        piece[2 + r] = t.data[r * t.cols + a];
                    }
                    out.add(piece);
                }
            }
            return out.iterator();
        }
    }

    /** The diagonal of a diagonal tile as {start, values...}; other tiles give nothing. */
    static final class DiagonalPiece implements FlatMapFunction<Tile, double[]> {
        private static final long serialVersionUID = 1L;
        private final int block;

        DiagonalPiece(int block) {
            this.block = block;
        }

        @Override
        public Iterator<double[]> call(Tile t) {
            if (t.i != t.j) {
                return java.util.Collections.emptyIterator();
            }
            double[] piece = new double[1 + t.rows];
            piece[0] = t.i * block;
            for (int a = 0; a < t.rows; a++) {
                piece[1 + a] = t.data[a * t.cols + a];
            }
            return List.of(piece).iterator();
        }
    }

    /** A block of test points to its predictions K(test block, train) A, as {start, values...}. */
    static final class Predict implements Function<int[], double[]> {
        private static final long serialVersionUID = 1L;
        private final Job job;
        private final Broadcast<double[]> test;
        private final Broadcast<double[]> a;
        private final int k;

        Predict(Job job, Broadcast<double[]> test, Broadcast<double[]> a, int k) {
            this.job = job;
            this.test = test;
            this.a = a;
            this.k = k;
        }

        @Override
        public double[] call(int[] range) {
            int start = range[0];
            int rows = range[1];
            double[] kt = job.kernel(job.rows(test.value(), start, rows), Matrix.wrap(job.n, job.d, job.x.value()));
            double[] av = a.value();
            double[] out = new double[1 + rows * k];
            out[0] = start;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < job.n; j++) {
                    double v = kt[r * job.n + j];
                    for (int c = 0; c < k; c++) {
                        out[1 + r * k + c] += v * av[j * k + c];
                    }
                }
            }
            return out;
        }
    }
}
