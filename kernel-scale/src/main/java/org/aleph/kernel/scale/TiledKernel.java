package org.aleph.kernel.scale;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import dev.ludovic.netlib.blas.BLAS;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.bytedeco.javacpp.DoublePointer;

/**
 * The symmetric n x n train-train kernel K held as memory-mapped tiles (I, J), I &lt;= J, of a
 * {@link TileStore} (float32 or float64 entries): products K X for n x k blocks of vectors
 * (every tile read once per product and used for both K_IJ X_J and K_IJ^T X_I, accumulated in
 * float64), rows (for the pivoted Cholesky) and the diagonal.
 *
 * <p>Products, where the Vector API (jdk.incubator.vector) is present, are one fused pass per
 * tile ({@link VectorProduct}: each entry read once, widened to float64, used for both K_IJ X_J
 * and K_IJ^T X_I; 1.4 times the dgemm path's speed per CPU second, docs/scale.md). Otherwise
 * they are two {@code dgemm} per tile ({@link Product}), K_IJ X_J into Y_I and
 * K_IJ^T X_I into Y_J, on the row-major n x k blocks as they are: on the system's BLAS when
 * kernel-dynamics has loaded it (netlib, the arrays pinned, not copied; tile rows copied
 * {@value #CHUNK} at a time into a reused array, float32 widened on the way), else on the
 * bundled OpenBLAS (float64 tiles passed by the address of their memory map, float32 widened
 * {@value #CHUNK} rows at a time into a reused off-heap buffer; OpenBLAS held to one thread per
 * worker), else in plain Java (a dot product and an axpy per tile row and target, on
 * column-held vectors that HotSpot vectorises). Each worker thread takes a fixed share of the
 * tiles, so both cores work and the sums are the same bit for bit on every run; on the system
 * BLAS one worker calls dgemm and OpenBLAS's own threads split each call, unless OpenBLAS was
 * started with one thread. docs/scale.md has the measured speeds.
 */
final class TiledKernel implements KernelOperator {

    /** Tile rows widened to float64 (or copied) at a time. */
    static final int CHUNK = 128;

    /** How the tile products are computed. */
    enum Product {
        /** dgemm of the system BLAS through netlib (where kernel-dynamics' LinearAlgebra is native) */
        SYSTEM,
        /** dgemm of the bundled OpenBLAS through JavaCPP */
        BUNDLED,
        /** plain Java */
        JAVA,
        /** one fused pass per tile on the Vector API ({@link VectorProduct}), where jdk.incubator.vector is present */
        VECTOR;

        /** The fastest one this process can use (never a second OpenBLAS next to the system one). */
        static Product best() {
            String forced = System.getProperty("aleph.scale.product"); // java | system | bundled | vector, for measurements
            if (forced != null) {
                return valueOf(forced.toUpperCase(java.util.Locale.ROOT));
            }
            return vectorApi() ? VECTOR : blas();
        }

        /**
         * The fastest BLAS-based (or plain-Java) product, leaving the Vector API aside: where the
         * preconditioner's factor lives ({@link FactorStore#offHeap()}) follows this choice.
         */
        static Product blas() {
            String forced = System.getProperty("aleph.scale.product");
            if (forced != null && !"vector".equalsIgnoreCase(forced)) {
                return valueOf(forced.toUpperCase(java.util.Locale.ROOT));
            }
            if (LinearAlgebra.nativeLapack().isPresent()) {
                return SYSTEM;
            }
            return NativeBlas.available() ? BUNDLED : JAVA;
        }

        /**
         * Whether the Vector API can be used here: module jdk.incubator.vector in the boot layer
         * (an incubator module in Java 17, resolved only when asked for, e.g. by
         * {@code --add-modules jdk.incubator.vector}, as {@code ./aleph classify} does) and read by
         * this module (always on the class path; through {@code requires static} on the module path).
         */
        static boolean vectorApi() {
            return ModuleLayer.boot().findModule("jdk.incubator.vector")
                    .map(m -> TiledKernel.class.getModule().canRead(m))
                    .orElse(false);
        }
    }

    private final TileLayout layout;
    private final ByteBuffer[][] tiles;
    private final TilePrecision precision;
    private final int threads;
    private final Product product;
    private final double[] diagonal;

    TiledKernel(TileLayout layout, TileStore store, int threads) {
        this(layout, store, threads, Product.best());
    }

    /** With the product chosen explicitly (tests compare them). */
    TiledKernel(TileLayout layout, TileStore store, int threads, Product product) {
        this.layout = layout;
        this.threads = threads;
        this.precision = store.precision();
        this.product = product;
        int nb = layout.blocks();
        tiles = new ByteBuffer[nb][nb];
        for (int i = 0; i < nb; i++) {
            for (int j = i; j < nb; j++) {
                tiles[i][j] = store.map(i, j, layout.size(i), layout.size(j));
            }
        }
        diagonal = new double[layout.n()];
        for (int i = 0; i < nb; i++) {
            int s = layout.size(i);
            for (int a = 0; a < s; a++) {
                diagonal[layout.start(i) + a] = entry(tiles[i][i], a * s + a);
            }
        }
    }

    private double entry(ByteBuffer tile, int index) {
        return precision == TilePrecision.FLOAT64 ? tile.getDouble(8 * index) : tile.getFloat(4 * index);
    }

    /** Entries {@code from .. from + count - 1} of a tile into {@code out} from {@code at}, widened to float64. */
    private void read(ByteBuffer tile, int from, double[] out, int at, int count, float[] scratch) {
        read(tile, precision, from, out, at, count, scratch);
    }

    /** The same for tiles of the given precision. */
    static void read(ByteBuffer tile, TilePrecision precision, int from, double[] out, int at, int count, float[] scratch) {
        if (precision == TilePrecision.FLOAT64) {
            tile.asDoubleBuffer().get(from, out, at, count);
        } else {
            tile.asFloatBuffer().get(from, scratch, 0, count);
            for (int e = 0; e < count; e++) {
                out[at + e] = scratch[e];
            }
        }
    }

    @Override
    public int n() {
        return layout.n();
    }

    /** The diagonal of K (shared, not copied). */
    @Override
    public double[] diagonal() {
        return diagonal;
    }

    /** The mean of the diagonal, trace(K) / n. */
    double meanDiagonal() {
        return TiledRegression.mean(diagonal);
    }

    /** How the products are computed. */
    Product product() {
        return product;
    }

    @Override
    public void rows(int[] points, double[] out) {
        double[] row = new double[n()];
        float[] scratch = new float[layout.block()];
        for (int q = 0; q < points.length; q++) {
            row(points[q], row, scratch);
            System.arraycopy(row, 0, out, q * n(), n());
        }
    }

    /** Row p of K (= column p) into {@code out} (length n). */
    void row(int p, double[] out) {
        row(p, out, new float[layout.block()]);
    }

    private void row(int p, double[] out, float[] scratch) {
        int bp = layout.blockOf(p);
        int a = p - layout.start(bp);
        int sp = layout.size(bp);
        for (int j = 0; j < layout.blocks(); j++) {
            int sj = layout.size(j);
            int o = layout.start(j);
            if (j >= bp) {
                read(tiles[bp][j], a * sj, out, o, sj, scratch);
            } else {
                ByteBuffer t = tiles[j][bp];
                for (int b = 0; b < sj; b++) {
                    out[o + b] = entry(t, b * sp + a);
                }
            }
        }
    }

    /**
     * Y = (K + shift I) X for X (n x k, row-major); Y is overwritten. The tiles are shared out
     * to the worker threads, each accumulating into its own copy of Y; tile t goes to worker
     * t mod workers and the copies are summed in worker order, so the result is the same bit for
     * bit on every run with the same thread count and product.
     */
    @Override
    public void multiply(double[] x, int k, double shift, double[] y) {
        int n = layout.n();
        int nb = layout.blocks();
        List<int[]> work = new ArrayList<>();
        for (int i = 0; i < nb; i++) {
            for (int j = i; j < nb; j++) {
                work.add(new int[] {i, j});
            }
        }
        int workers = Math.max(1, Math.min(product == Product.SYSTEM && !SystemBlas.SINGLE_THREADED ? 1 : threads, work.size()));
        double[][] partial = new double[workers][];
        boolean nativeBlas = product == Product.BUNDLED;
        double[][] xc = product == Product.JAVA ? byColumn(x, n, k) : null;
        double[] xflat = product == Product.VECTOR ? flatByColumn(x, n, k) : null;
        int blasThreads = nativeBlas ? NativeBlas.threads() : 0;
        if (nativeBlas) {
            NativeBlas.setThreads(1); // the workers are the parallelism: one OpenBLAS thread each
        }
        try {
            Parallel.run(workers, "aleph-tiles", id -> {
                List<int[]> share = new ArrayList<>();
                for (int t = id; t < work.size(); t += workers) { // fixed shares: the same sums on every run
                    share.add(work.get(t));
                }
                partial[id] = switch (product) {
                    case SYSTEM -> systemShare(share, x, k);
                    case BUNDLED -> nativeShare(share, x, k);
                    case JAVA -> javaShare(share, xc, k);
                    case VECTOR -> {
                        double[] yc = new double[n * k];
                        VectorProduct.share(share, layout, tiles, precision, xflat, k, yc);
                        yield yc;
                    }
                };
            });
        } finally {
            if (nativeBlas) {
                NativeBlas.setThreads(blasThreads);
            }
        }
        if (product == Product.VECTOR) { // the parts are held by column
            for (int e = 0; e < n; e++) {
                for (int c = 0; c < k; c++) {
                    double sum = shift * x[e * k + c];
                    for (double[] part : partial) {
                        sum += part[c * n + e];
                    }
                    y[e * k + c] = sum;
                }
            }
            return;
        }
        for (int e = 0; e < n * k; e++) {
            double sum = shift * x[e];
            for (double[] part : partial) {
                sum += part[e];
            }
            y[e] = sum;
        }
    }

    /** X (n x k, row-major) by column: target c at {@code c * n}. */
    private static double[] flatByColumn(double[] x, int n, int k) {
        double[] xc = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                xc[c * n + i] = x[i * k + c];
            }
        }
        return xc;
    }

    /** The sum over a share of the tiles of their two products, row-major n x k, by dgemm. */
    private double[] nativeShare(List<int[]> share, double[] x, int k) {
        int n = layout.n();
        int bs = layout.block();
        double[] out = new double[n * k];
        try (DoublePointer xp = new DoublePointer(x);
             DoublePointer yp = new DoublePointer((long) n * k).fill(0);
             DoublePointer wide = precision == TilePrecision.FLOAT32 ? new DoublePointer((long) CHUNK * bs) : null) {
            DoublePointer xi = new DoublePointer(xp);
            DoublePointer xj = new DoublePointer(xp);
            DoublePointer yi = new DoublePointer(yp);
            DoublePointer yj = new DoublePointer(yp);
            float[] narrow = wide == null ? null : new float[CHUNK * bs];
            double[] widened = wide == null ? null : new double[CHUNK * bs];
            for (int[] ij : share) {
                int i = ij[0];
                int j = ij[1];
                int si = layout.size(i);
                int sj = layout.size(j);
                int i0 = layout.start(i);
                int j0 = layout.start(j);
                xj.position((long) j0 * k);
                yj.position((long) j0 * k);
                if (wide == null) {
                    DoublePointer t = new DoublePointer(tiles[i][j].asDoubleBuffer()); // the mapped tile itself
                    xi.position((long) i0 * k);
                    yi.position((long) i0 * k);
                    chunkProduct(t, si, sj, k, i != j, xi, xj, yi, yj);
                } else {
                    FloatBuffer f = tiles[i][j].asFloatBuffer();
                    for (int r0 = 0; r0 < si; r0 += CHUNK) {
                        int rows = Math.min(CHUNK, si - r0);
                        f.get(r0 * sj, narrow, 0, rows * sj);
                        for (int e = 0; e < rows * sj; e++) {
                            widened[e] = narrow[e];
                        }
                        wide.position(0).put(widened, 0, rows * sj);
                        xi.position((long) (i0 + r0) * k);
                        yi.position((long) (i0 + r0) * k);
                        chunkProduct(wide.position(0), rows, sj, k, i != j, xi, xj, yi, yj);
                    }
                }
            }
            yp.position(0).get(out);
        }
        return out;
    }

    /** Y_I += T X_J and, off the diagonal, Y_J += T^T X_I, for the rows x cols row-major block T. */
    private static void chunkProduct(DoublePointer t, int rows, int cols, int k, boolean offDiagonal, DoublePointer xi,
                                     DoublePointer xj, DoublePointer yi, DoublePointer yj) {
        NativeBlas.gemm(false, false, rows, k, cols, 1.0, t, cols, xj, k, 1.0, yi, k);
        if (offDiagonal) {
            NativeBlas.gemm(true, false, cols, k, rows, 1.0, t, cols, xi, k, 1.0, yj, k);
        }
    }

    /**
     * The same sum by the system BLAS (netlib, column-major: the row-major Y_I += T X_J is
     * Y_I^T += X_J^T T^T, and Y_J += T^T X_I is Y_J^T += X_I^T T).
     */
    private double[] systemShare(List<int[]> share, double[] x, int k) {
        BLAS blas = SystemBlas.INSTANCE;
        int n = layout.n();
        int bs = layout.block();
        double[] out = new double[n * k];
        double[] buf = new double[CHUNK * bs];
        float[] scratch = new float[CHUNK * bs];
        for (int[] ij : share) {
            int i = ij[0];
            int j = ij[1];
            int si = layout.size(i);
            int sj = layout.size(j);
            int i0 = layout.start(i);
            int j0 = layout.start(j);
            for (int r0 = 0; r0 < si; r0 += CHUNK) {
                int rows = Math.min(CHUNK, si - r0);
                read(tiles[i][j], r0 * sj, buf, 0, rows * sj, scratch);
                blas.dgemm("N", "N", k, rows, sj, 1.0, x, j0 * k, k, buf, 0, sj, 1.0, out, (i0 + r0) * k, k);
                if (i != j) {
                    blas.dgemm("N", "T", k, sj, rows, 1.0, x, (i0 + r0) * k, k, buf, 0, sj, 1.0, out, j0 * k, k);
                }
            }
        }
        return out;
    }

    /** The system BLAS, loaded on first use. */
    private static final class SystemBlas {
        static final BLAS INSTANCE = dev.ludovic.netlib.blas.NativeBLAS.getInstance();
        /**
         * Whether the system OpenBLAS was started with one thread (OPENBLAS_NUM_THREADS or
         * OMP_NUM_THREADS = 1): then the workers share the tiles; otherwise one worker calls it and
         * OpenBLAS's own threads split each dgemm (two callers each with OpenBLAS's threads measured
         * 2-4 times slower on the shared 2 cores, docs/scale.md).
         */
        static final boolean SINGLE_THREADED = "1".equals(System.getenv("OPENBLAS_NUM_THREADS"))
                || System.getenv("OPENBLAS_NUM_THREADS") == null && "1".equals(System.getenv("OMP_NUM_THREADS"));
    }

    /** The same sum by the plain-Java product, row-major n x k. */
    private double[] javaShare(List<int[]> share, double[][] xc, int k) {
        int n = layout.n();
        double[][] yc = javaShare(share, layout, tiles, precision, xc, k);
        double[] out = new double[n * k];
        for (int c = 0; c < k; c++) {
            for (int e = 0; e < n; e++) {
                out[e * k + c] = yc[c][e];
            }
        }
        return out;
    }

    /**
     * The sum over a share of the tiles of their two products by the plain-Java product, for tiles
     * anywhere ({@link HeapTileProduct} too): Y by column, yc[c] the n values of target c.
     */
    static double[][] javaShare(List<int[]> share, TileLayout layout, ByteBuffer[][] tiles, TilePrecision precision,
                                double[][] xc, int k) {
        int n = layout.n();
        int bs = layout.block();
        double[][] yc = new double[k][n];
        double[] buf = new double[CHUNK * bs];
        float[] scratch = new float[CHUNK * bs];
        for (int[] ij : share) {
            int i = ij[0];
            int j = ij[1];
            int si = layout.size(i);
            int sj = layout.size(j);
            for (int r0 = 0; r0 < si; r0 += CHUNK) {
                int rows = Math.min(CHUNK, si - r0);
                read(tiles[i][j], precision, r0 * sj, buf, 0, rows * sj, scratch);
                tileProduct(buf, rows, sj, layout.start(i) + r0, layout.start(j), i != j, xc, yc);
            }
        }
        return yc;
    }

    private static double[][] byColumn(double[] x, int n, int k) {
        double[][] xc = new double[k][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                xc[c][i] = x[i * k + c];
            }
        }
        return xc;
    }

    /** yc[:, i0 ..] += T xc[:, j0 ..] and, off the diagonal, yc[:, j0 ..] += T^T xc[:, i0 ..], T rows x cols. */
    static void tileProduct(double[] t, int rows, int cols, int i0, int j0, boolean offDiagonal, double[][] xc, double[][] yc) {
        for (int a = 0; a < rows; a++) {
            int o = a * cols;
            for (int c = 0; c < xc.length; c++) {
                double[] xv = xc[c];
                double[] yv = yc[c];
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int b = 0;
                for (; b + 3 < cols; b += 4) {
                    s0 += t[o + b] * xv[j0 + b];
                    s1 += t[o + b + 1] * xv[j0 + b + 1];
                    s2 += t[o + b + 2] * xv[j0 + b + 2];
                    s3 += t[o + b + 3] * xv[j0 + b + 3];
                }
                for (; b < cols; b++) {
                    s0 += t[o + b] * xv[j0 + b];
                }
                yv[i0 + a] += (s0 + s1) + (s2 + s3);
                if (offDiagonal) {
                    double xa = xv[i0 + a];
                    for (b = 0; b < cols; b++) {
                        yv[j0 + b] += xa * t[o + b];
                    }
                }
            }
        }
    }
}
