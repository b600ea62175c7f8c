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
                for (int i = 0; i < n; i++) {
                    fill(q11, q12, q22, i, va[start + i], k[start + i], vb[start + i]);
                }
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
                        consumer.accept(start, n);
                        start += n;
                        n = 0;
                    }
                    double qa = va[h1 * w + w1];
                    int e = start + n;
                    for (int w2 = 0; w2 < w; w2++) {
                        fill(q11, q12, q22, n + w2, qa, k[e + w2], vb[vbRow + w2]);
                    }
                    n += w;
                }
            }
        }
        if (n > 0) {
            consumer.accept(start, n);
        }
    }

    static void fill(double[] q11, double[] q12, double[] q22, int i, double qa, double kab, double qb) {
        double bound = Math.sqrt(qa * qb);
        q11[i] = qa;
        q22[i] = qb;
        q12[i] = kab >= bound * TileRecursion.SNAP ? bound : (kab <= -bound * TileRecursion.SNAP ? -bound : kab);
    }
}
