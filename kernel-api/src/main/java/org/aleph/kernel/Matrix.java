package org.aleph.kernel;

import java.util.Arrays;

/**
 * A dense row-major matrix of doubles. The factory methods copy; {@link #wrap} and
 * {@link #data()} share the array so that matrices of hundreds of millions of entries
 * are never copied behind the caller's back.
 */
public final class Matrix {

    private final int rows;
    private final int cols;
    private final double[] data;

    private Matrix(int rows, int cols, double[] data) {
        if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("inconsistent dimensions: " + rows + " x " + cols + " != " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** A matrix sharing the given row-major array (not copied). */
    public static Matrix wrap(int rows, int cols, double[] data) {
        return new Matrix(rows, cols, data);
    }

    /** A matrix of zeros. */
    public static Matrix zeros(int rows, int cols) {
        return new Matrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
    }

    /** A copy of a rectangular array of rows. */
    public static Matrix of(double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        double[] d = new double[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("inconsistent dimensions: row " + i + " has " + rows[i].length + " != " + c);
            }
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new Matrix(r, c, d);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int i, int j) {
        return data[i * cols + j];
    }

    /** The row-major backing array, shared (not copied). */
    public double[] data() {
        return data;
    }

    /** A copy of row i. */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /** A copy as an array of rows. */
    public double[][] toArray() {
        double[][] a = new double[rows][];
        for (int i = 0; i < rows; i++) {
            a[i] = row(i);
        }
        return a;
    }

    @Override
    public String toString() {
        return "Matrix[" + rows + " x " + cols + "]";
    }
}
