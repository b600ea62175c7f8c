package org.aleph.kernel.fit;

import java.util.ArrayList;
import java.util.List;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * Which kernel entries a computation needs, over one list of N points (the rows of one input
 * matrix, e.g. training points followed by validation points): symmetric blocks (the pairs
 * i &lt;= j of a range of points, each pair once) and rectangular blocks (every pair of a row
 * range with a column range). The entries are laid out block after block in one array, and
 * {@link #rows()} / {@link #cols()} give the two points of each entry, so that a layer of the
 * recursion is one pass over primitive arrays.
 *
 * <p>{@link #inputGram} fills the input kernel x . x' / d (DESIGN.md) block by block with one
 * matrix product each ({@link LinearAlgebra#gemm}, native BLAS when present).
 */
public final class PairLayout {

    /** One block of entries: points [rowStart, rowEnd) against [colStart, colEnd), upper triangle only when symmetric. */
    public record Block(int rowStart, int rowEnd, int colStart, int colEnd, boolean symmetric, int offset) {
        /** The number of rows of the block's dense form. */
        public int height() {
            return rowEnd - rowStart;
        }

        /** The number of columns of the block's dense form. */
        public int width() {
            return colEnd - colStart;
        }

        /** The number of entries the block stores. */
        public int size() {
            int h = height();
            return symmetric ? h * (h + 1) / 2 : h * width();
        }
    }

    private final int points;
    private final List<Block> blocks;
    private final int[] rows;
    private final int[] cols;

    private PairLayout(int points, List<Block> blocks) {
        this.points = points;
        this.blocks = List.copyOf(blocks);
        long total = 0;
        for (Block b : blocks) {
            total += b.size();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many kernel entries for one array: " + total);
        }
        rows = new int[(int) total];
        cols = new int[(int) total];
        for (Block b : blocks) {
            int e = b.offset();
            for (int i = b.rowStart(); i < b.rowEnd(); i++) {
                int j0 = b.symmetric() ? i : b.colStart();
                for (int j = j0; j < b.colEnd(); j++) {
                    rows[e] = i;
                    cols[e] = j;
                    e++;
                }
            }
        }
    }

    /**
     * The layout of n training points among themselves (block {@link Joint#symmetric}) and of m
     * other points against them (block {@link Joint#rectangular}), with its input kernel: the
     * pairs a posterior on the other points needs, its input Gram computed once.
     *
     * @param train the n training points, n x d
     * @param other the m other points, m x d (the same d)
     * @param la    the linear algebra for the block products
     */
    public static Joint trainAndOther(Matrix train, Matrix other, LinearAlgebra la) {
        int n = train.rows();
        int m = other.rows();
        int d = train.cols();
        double[] all = new double[(n + m) * d];
        System.arraycopy(train.data(), 0, all, 0, n * d);
        System.arraycopy(other.data(), 0, all, n * d, m * d);
        Builder b = over(n + m);
        int sym = b.symmetric(0, n);
        int rect = b.rectangular(n, n + m, 0, n);
        PairLayout layout = b.build();
        return new Joint(layout, sym, rect, layout.inputGram(Matrix.wrap(n + m, d, all), la));
    }

    /** A layout of training and other points ({@link #trainAndOther}): its two blocks and its input kernel. */
    public record Joint(PairLayout layout, int symmetric, int rectangular, KernelState input) {
    }

    /** A layout builder over N points. */
    public static Builder over(int points) {
        return new Builder(points);
    }

    /** Collects blocks. */
    public static final class Builder {
        private final int points;
        private final List<Block> blocks = new ArrayList<>();
        private int offset;

        private Builder(int points) {
            if (points < 1) {
                throw new IllegalArgumentException("a layout needs at least one point, got " + points);
            }
            this.points = points;
        }

        /** The pairs i &lt;= j of points [start, end); returns this block's index. */
        public int symmetric(int start, int end) {
            return add(new Block(start, end, start, end, true, offset));
        }

        /** Every pair of points [rowStart, rowEnd) x [colStart, colEnd); returns this block's index. */
        public int rectangular(int rowStart, int rowEnd, int colStart, int colEnd) {
            return add(new Block(rowStart, rowEnd, colStart, colEnd, false, offset));
        }

        private int add(Block b) {
            if (b.rowStart() < 0 || b.rowEnd() > points || b.rowStart() >= b.rowEnd()
                    || b.colStart() < 0 || b.colEnd() > points || b.colStart() >= b.colEnd()) {
                throw new IllegalArgumentException("block " + b + " is empty or outside 0.." + points);
            }
            blocks.add(b);
            offset += b.size();
            return blocks.size() - 1;
        }

        /** The layout. */
        public PairLayout build() {
            return new PairLayout(points, blocks);
        }
    }

    /** The number of points N. */
    public int points() {
        return points;
    }

    /** The number of entries stored. */
    public int size() {
        return rows.length;
    }

    /** The blocks in layout order. */
    public List<Block> blocks() {
        return blocks;
    }

    /** The first point of each entry (shared, do not modify). */
    int[] rows() {
        return rows;
    }

    /** The second point of each entry (shared, do not modify). */
    int[] cols() {
        return cols;
    }

    /**
     * The input kernel x_i . x_j / d of every entry, and |x_i|^2 / d of every point.
     *
     * @param x  the N points, N x d
     * @param la the linear algebra for the block products
     */
    public KernelState inputGram(Matrix x, LinearAlgebra la) {
        if (x.rows() != points) {
            throw new IllegalArgumentException("inconsistent dimensions: " + x.rows() + " points != " + points);
        }
        int d = x.cols();
        double[] xs = x.data();
        double[] entries = new double[size()];
        for (Block b : blocks) {
            int h = b.height();
            int w = b.width();
            double[] a = slice(xs, b.rowStart(), b.rowEnd(), d);
            double[] c = b.symmetric() ? a : slice(xs, b.colStart(), b.colEnd(), d);
            double[] g = new double[h * w];
            la.gemm(false, true, h, w, d, 1.0 / d, a, c, 0.0, g);
            int e = b.offset();
            for (int i = 0; i < h; i++) {
                int j0 = b.symmetric() ? i : 0;
                System.arraycopy(g, i * w + j0, entries, e, w - j0);
                e += w - j0;
            }
        }
        double[] variances = new double[points];
        for (int i = 0; i < points; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                double v = xs[i * d + k];
                s += v * v;
            }
            variances[i] = s / d;
        }
        // The diagonal entries of symmetric blocks are the variances themselves (one rounding path).
        for (Block b : blocks) {
            if (b.symmetric()) {
                int e = b.offset();
                int h = b.height();
                for (int i = 0; i < h; i++) {
                    entries[e] = variances[b.rowStart() + i];
                    e += h - i;
                }
            }
        }
        return new KernelState(entries, variances);
    }

    private static double[] slice(double[] x, int start, int end, int d) {
        double[] s = new double[(end - start) * d];
        System.arraycopy(x, start * d, s, 0, s.length);
        return s;
    }

    /** The dense row-major form of one block of {@code entries} (a symmetric block mirrored). */
    public double[] dense(double[] entries, int block) {
        Block b = blocks.get(block);
        int h = b.height();
        int w = b.width();
        double[] out = new double[h * w];
        int e = b.offset();
        for (int i = 0; i < h; i++) {
            if (b.symmetric()) {
                for (int j = i; j < w; j++) {
                    double v = entries[e++];
                    out[i * w + j] = v;
                    out[j * w + i] = v;
                }
            } else {
                System.arraycopy(entries, e, out, i * w, w);
                e += w;
            }
        }
        return out;
    }
}
