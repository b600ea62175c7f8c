package org.aleph.kernel.scale;

/**
 * How n training points are cut into row blocks of at most {@code block} points: block I holds
 * the points {@code start(I) .. start(I) + size(I) - 1}. The symmetric train-train kernel is
 * stored as the tiles (I, J) with I &lt;= J only (the upper triangle of blocks; a diagonal tile
 * is stored whole).
 *
 * @param n     the number of points, at least 1
 * @param block the block side, at least 1
 */
public record TileLayout(int n, int block) {

    public TileLayout {
        if (n < 1 || block < 1) {
            throw new IllegalArgumentException("n and block must be at least 1, got " + n + " and " + block);
        }
    }

    /** The number of row blocks, ceil(n / block). */
    public int blocks() {
        return (n + block - 1) / block;
    }

    /** The first point of block {@code i}. */
    public int start(int i) {
        return i * block;
    }

    /** The number of points in block {@code i}. */
    public int size(int i) {
        return Math.min(block, n - i * block);
    }

    /** The block holding point {@code p}. */
    public int blockOf(int p) {
        return p / block;
    }

    /** The number of stored tiles, nb (nb + 1) / 2. */
    public int tiles() {
        int nb = blocks();
        return nb * (nb + 1) / 2;
    }

    /** The bytes of the stored upper triangle of blocks in float64, headers included. */
    public long storedBytes() {
        return storedBytes(TilePrecision.FLOAT64);
    }

    /** The bytes of the stored upper triangle of blocks in the given precision, headers included. */
    public long storedBytes(TilePrecision precision) {
        long bytes = 0;
        for (int i = 0; i < blocks(); i++) {
            for (int j = i; j < blocks(); j++) {
                bytes += TileStore.fileBytes(size(i), size(j), precision);
            }
        }
        return bytes;
    }
}
