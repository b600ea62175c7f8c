package org.aleph.kernel;

/**
 * Walks the entries of a spatial covariance in storage order and hands them to a consumer in
 * chunks, with the activation's input triples filled in: {@code q11} the variance of the first
 * image's pixel, {@code q22} of the second's, {@code q12} the covariance clamped to
 * {@code [-sqrt(q11 q22), sqrt(q11 q22)]} and snapped to the bound within 4 ulps, exactly as
 * the fully connected recursion does ({@link TileRecursion#SNAP}).
 */
final class PixelPairs {

    /** Receives the chunk [start, start + n) of the state; the triples are in the workspace's q arrays. */
    @FunctionalInterface
    interface ChunkConsumer {
        void accept(int start, int n);
    }

    private PixelPairs() {
    }

    static void forEachChunk(SpatialWorkspace ws, double[] va, double[] vb, ChunkConsumer consumer) {
        int h = ws.h;
        int w = ws.w;
        double[] k = ws.k;
        double[] q11 = ws.q11;
        double[] q12 = ws.q12;
        double[] q22 = ws.q22;
        int chunk = q11.length;
        if (!ws.full) {
            for (int start = 0; start < ws.length; start += chunk) {
                int n = Math.min(chunk, ws.length - start);
                System.arraycopy(va, start, q11, 0, n);
                System.arraycopy(vb, start, q22, 0, n);
                clampedCovariances(q11, q22, k, start, q12, n);
                consumer.accept(start, n);
            }
            return;
        }
        int start = 0;
        int n = 0;
        for (int h1 = 0; h1 < h; h1++) {
            for (int h2 = 0; h2 < h; h2++) {
                int vbRow = h2 * w;
                for (int w1 = 0; w1 < w; w1++) {
                    if (n + w > chunk) {
                        clampedCovariances(q11, q22, k, start, q12, n);
                        consumer.accept(start, n);
                        start += n;
                        n = 0;
                    }
                    java.util.Arrays.fill(q11, n, n + w, va[h1 * w + w1]);
                    System.arraycopy(vb, vbRow, q22, n, w);
                    n += w;
                }
            }
        }
        if (n > 0) {
            clampedCovariances(q11, q22, k, start, q12, n);
            consumer.accept(start, n);
        }
    }

    /**
     * q12[i] = k[start + i] clamped and snapped to +-sqrt(q11[i] q22[i]) for i &lt; n, as
     * the recursion requires: first the bounds in a loop the JIT vectorises, then the (rarely taken)
     * snapping branches.
     */
    static void clampedCovariances(double[] q11, double[] q22, double[] k, int start, double[] q12, int n) {
        for (int i = 0; i < n; i++) {
            q12[i] = Math.sqrt(q11[i] * q22[i]);
        }
        for (int i = 0; i < n; i++) { // one rarely taken branch per entry: |k| within 4 ulps of the bound
            double bound = q12[i];
            double kab = k[start + i];
            q12[i] = Math.abs(kab) >= bound * TileRecursion.SNAP ? Math.copySign(bound, kab) : kab;
        }
    }
}
