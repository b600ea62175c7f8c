package org.aleph.kernel.scale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;

/** Timing harness (not a test): the fused Vector API product on one in-memory float32 tile, one thread. */
public final class KernelBench {

    private KernelBench() {
    }

    /** CPU time of the calling thread in ns (/proc/thread-self/schedstat). */
    static long threadCpu() {
        try {
            return Long.parseLong(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/schedstat")).split(" ")[0]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        int bs = 2000;
        int k = 10;
        int n = 2 * bs;
        TileLayout layout = new TileLayout(n, bs);
        ByteBuffer[][] tiles = new ByteBuffer[2][2];
        ByteBuffer t = ByteBuffer.allocateDirect(4 * bs * bs).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Random rnd = new java.util.Random(3);
        for (int e = 0; e < bs * bs; e++) {
            t.putFloat(4 * e, (float) rnd.nextGaussian());
        }
        tiles[0][1] = t;
        double[] xc = new double[n * k];
        for (int e = 0; e < xc.length; e++) {
            xc[e] = rnd.nextGaussian();
        }
        double[] yc = new double[n * k];
        List<int[]> share = List.of(new int[] {0, 1});
        for (int r = 0; r < Integer.parseInt(args[0]); r++) {
            long a = threadCpu();
            for (int q = 0; q < 10; q++) {
                VectorProduct.share(share, layout, tiles, TilePrecision.FLOAT32, xc, k, yc);
            }
            double s = (threadCpu() - a) / 1e9 / 10;
            System.out.printf(Locale.ROOT, "one tile, CPU: %.2f ms, %.1f GF/s; load %s%n", s * 1e3, 4.0 * k * bs * bs / s / 1e9, ScaleBench.load());
        }
    }
}
