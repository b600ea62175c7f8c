package org.aleph.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.aleph.kernel.scale.TilePrecision;

/**
 * One tile (I, J), I &lt;= J, of the train-train kernel: rows x cols entries, row-major, as
 * little-endian bytes of the job's precision (float32: 4 bytes an entry, half the memory of
 * float64; the layout of kernel-scale's tile files, so the local engine's product reads them).
 */
final class Tile implements Serializable {

    private static final long serialVersionUID = 2L;

    final int i;
    final int j;
    final int rows;
    final int cols;
    final TilePrecision precision;
    final byte[] data;

    Tile(int i, int j, int rows, int cols, TilePrecision precision, byte[] data) {
        this.i = i;
        this.j = j;
        this.rows = rows;
        this.cols = cols;
        this.precision = precision;
        this.data = data;
    }

    /** The entries in the given precision (float32: each rounded once). */
    static Tile of(int i, int j, int rows, int cols, TilePrecision precision, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * precision.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (precision == TilePrecision.FLOAT64) {
            b.asDoubleBuffer().put(values);
        } else {
            for (int e = 0; e < values.length; e++) {
                b.putFloat(4 * e, (float) values[e]);
            }
        }
        return new Tile(i, j, rows, cols, precision, b.array());
    }

    /** The bytes as a little-endian buffer (a view, not a copy). */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Entry (a, b) as float64, read from {@code view} (this tile's {@link #buffer()}). */
    double get(ByteBuffer view, int a, int b) {
        int e = a * cols + b;
        return precision == TilePrecision.FLOAT64 ? view.getDouble(8 * e) : view.getFloat(4 * e);
    }
}
