package org.aleph.kernel.blas;

import org.aleph.kernel.spi.GramProvider;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The input Gram X1 X2^T (products of rows, not divided by d) on the OpenBLAS 0.3.31 that
 * comes with the build ({@code org.bytedeco:openblas}, loaded by JavaCPP from its jar): no
 * system library needed.
 *
 * <p>The products are computed in panels of {@code panelRows} output rows by
 * {@code cblas_dgemm} into one reused off-heap buffer and copied into the Java array row by
 * row. JavaCPP passes a Java {@code double[]} to native code as a copy (GetDoubleArrayElements),
 * which for an n x n output costs an extra allocation and two copies of n^2 doubles; the panel
 * buffer costs one copy of the written part and a few MB of native memory. For X against
 * itself a panel starting at row i0 covers only the columns j &gt;= i0 (what
 * {@link GramProvider#gram} needs), so the work is that of dsyrk plus the lower halves of the
 * diagonal blocks. A row-major n x d array read column-major is its d x n transpose, so the
 * row-major panel C[i0..i0+P, j0..n2) = X1[i0..] X2[j0..]^T is the column-major
 * dgemm("T", "N", n2 - j0, P, d, X2[j0..], X1[i0..]).
 *
 * <p>OpenBLAS's own threads (one per core) split each dgemm. docs/performance.md has the
 * measurements against the system OpenBLAS and the pure-Java tiles. Priority 5: used when the
 * system BLAS (kernel-dynamics' provider, priority 10) is not installed.
 */
public final class BundledOpenBlasGram implements GramProvider {

    /** -Daleph.bundledBlas=false disables this provider (the system BLAS or pure Java are used). */
    static final String DISABLE_PROPERTY = "aleph.bundledBlas";

    /** Doubles in the panel buffer: 1 M doubles, 8 MB. */
    private static final int PANEL_DOUBLES = 1 << 20;

    private final int panelRows;

    /** The provider as ServiceLoader makes it: panels of about 8 MB. */
    public BundledOpenBlasGram() {
        this(0);
    }

    /** A provider with a fixed number of rows per panel (tests), or 0 for about 8 MB panels. */
    BundledOpenBlasGram(int panelRows) {
        this.panelRows = panelRows;
    }

    @Override
    public String name() {
        return "OpenBLAS 0.3.31 dgemm (bundled: org.bytedeco:openblas)";
    }

    /**
     * Below the system BLAS (priority 10): where Debian's OpenBLAS is installed, kernel-dynamics
     * loads it for LAPACK anyway, and a second OpenBLAS in the same process crashed in dgemm
     * (docs/performance.md, "Input Gram"); so this one serves only where the system has none.
     */
    @Override
    public int priority() {
        return 5;
    }

    @Override
    public boolean available() {
        if (Boolean.getBoolean("aleph.pureJava") || "false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))) {
            return false;
        }
        try {
            Loader.load(openblas_nolapack.class);
            double[] x = {1, 2, 3, 4};   // rows (1, 2) and (3, 4)
            double[] out = new double[4];
            gram(x, 2, null, 2, 2, out);
            return out[0] == 5 && out[1] == 11 && out[3] == 25;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void gram(double[] x1, int n1, double[] x2, int n2, int d, double[] out) {
        boolean symmetric = x2 == null;
        int rows = panelRows > 0 ? panelRows : Math.max(16, Math.min(n1, PANEL_DOUBLES / Math.max(1, n2)));
        try (DoublePointer a = new DoublePointer(x1);
             DoublePointer b = symmetric ? null : new DoublePointer(x2);
             DoublePointer panel = new DoublePointer((long) rows * n2)) {
            DoublePointer left = new DoublePointer(a); // a second view of X1: its own position
            DoublePointer right = symmetric ? a : b;
            for (int i0 = 0; i0 < n1; i0 += rows) {
                int p = Math.min(rows, n1 - i0);
                int j0 = symmetric ? i0 : 0;
                int width = n2 - j0;
                left.position((long) i0 * d);
                right.position((long) j0 * d);
                panel.position(0);
                // column-major: panel (width x p, ld width) = right^T (width x d) * a (d x p)
                openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasColMajor, openblas_nolapack.CblasTrans,
                        openblas_nolapack.CblasNoTrans, width, p, d, 1.0, right, d, left, d, 0.0, panel, width);
                for (int r = 0; r < p; r++) {
                    panel.position((long) r * width).get(out, (i0 + r) * n2 + j0, width);
                }
            }
        }
    }
}
