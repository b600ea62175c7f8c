package org.aleph.spark;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.scale.HeapTileProduct;
import org.aleph.kernel.scale.TileLayout;
import org.aleph.kernel.scale.TilePrecision;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
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

        TilePrecision precision() {
            return float32 ? TilePrecision.FLOAT32 : TilePrecision.FLOAT64;
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
            // the train tiles only in the job's precision, as the local engine stores them; predictions stay float64
            return Tile.of(ij[0], ij[1], ri, rj, job.precision(), job.kernel(a, b));
        }
    }

    /**
     * The partial product of one partition's tiles with X (n x k, by column: target c at c n),
     * by kernel-scale's {@link HeapTileProduct} (the local engine's fused pass where the Vector API
     * is present on the executor): one n x k array by column.
     */
    static final class Product implements FlatMapFunction<Iterator<Tile>, double[]> {
        private static final long serialVersionUID = 2L;
        private final Broadcast<double[]> xc;
        private final int n;
        private final int k;
        private final int block;

        Product(Broadcast<double[]> xc, int n, int k, int block) {
            this.xc = xc;
            this.n = n;
            this.k = k;
            this.block = block;
        }

        @Override
        public Iterator<double[]> call(Iterator<Tile> tiles) {
            List<int[]> ij = new ArrayList<>();
            List<ByteBuffer> buffers = new ArrayList<>();
            TilePrecision precision = TilePrecision.FLOAT32;
            while (tiles.hasNext()) {
                Tile t = tiles.next();
                ij.add(new int[] {t.i, t.j});
                buffers.add(t.buffer());
                precision = t.precision;
            }
            double[] yc = new double[n * k];
            HeapTileProduct.product(new TileLayout(n, block), precision, ij, buffers, xc.value(), k, yc);
            return List.of(yc).iterator();
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
            ByteBuffer view = t.buffer();
            List<double[]> out = new ArrayList<>();
            for (int q = 0; q < points.length; q++) {
                int p = points[q];
                int bp = p / block;
                int a = p - bp * block;
                if (bp == t.i) { // row a of the tile: columns of block J
                    double[] piece = new double[2 + t.cols];
                    piece[0] = q;
                    piece[1] = t.j * block;
                    for (int b = 0; b < t.cols; b++) {
                        piece[2 + b] = t.get(view, a, b);
                    }
                    out.add(piece);
                }
                if (bp == t.j && t.i != t.j) { // column a of the tile: row p at the columns of block I
                    double[] piece = new double[2 + t.rows];
                    piece[0] = q;
                    piece[1] = t.i * block;
                    for (int r = 0; r < t.rows; r++) {
                        piece[2 + r] = t.get(view, r, a);
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
            ByteBuffer view = t.buffer();
            for (int a = 0; a < t.rows; a++) {
                piece[1 + a] = t.get(view, a, a);
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
