package org.aleph.spark;

import java.io.Serializable;

/** One tile (I, J), I &lt;= J, of the train-train kernel: rows x cols, row-major. */
final class Tile implements Serializable {

    private static final long serialVersionUID = 1L;

    final int i;
    final int j;
    final int rows;
    final int cols;
    final double[] data;

    Tile(int i, int j, int rows, int cols, double[] data) {
        this.i = i;
        this.j = j;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }
}
