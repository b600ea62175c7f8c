package org.aleph.kernel.dynamics;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import org.aleph.kernel.spi.GramProvider;

/**
 * The input Gram X1 X2^T of the kernel recursion on the system's BLAS (OpenBLAS on Debian)
 * through dev.ludovic.netlib's JNI binding: dsyrk for X against itself (half the work),
 * dgemm otherwise. A row-major n x d array read column-major is its d x n transpose, so
 * X X^T is dsyrk("L", "T") (the column-major lower triangle is the row-major upper one) and
 * X1 X2^T is dgemm("T", "N") of X2 and X1. Provided to kernel-api's
 * {@link org.aleph.kernel.KernelComputer} through {@link java.util.ServiceLoader}; absent a
 * native library it reports itself unavailable and the pure-Java tiles are used.
 */
public final class NativeGramProvider implements GramProvider {

    /** netlib logs a warning while it probes for its vector-API variant; irrelevant here, so kept quiet (and reachable). */
    private static final java.util.logging.Logger NETLIB_LOG = java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");

    static {
        NETLIB_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private volatile BLAS blas;

    @Override
    public String name() {
        return "native BLAS dsyrk/dgemm (system libblas.so.3 via netlib JNI)";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean available() {
        if (Boolean.getBoolean("aleph.pureJava") || Backends.Choice.current().equals("bundled")) {
            return false; // the bundled OpenBLAS forced: the system BLAS stays out of the process
        }
        try {
            BLAS b = NativeBLAS.getInstance();
            double[] x = {1, 2, 3, 4};   // rows (1, 2) and (3, 4)
            double[] out = new double[4];
            b.dsyrk("L", "T", 2, 2, 1.0, x, 2, 0.0, out, 2);
            if (out[0] != 5 || out[1] != 11 || out[3] != 25) {
                return false;
            }
            blas = b;
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void gram(double[] x1, int n1, double[] x2, int n2, int d, double[] out) {
        if (x2 == null) {
            blas.dsyrk("L", "T", n1, d, 1.0, x1, d, 0.0, out, n1);
        } else {
            blas.dgemm("T", "N", n2, n1, d, 1.0, x2, d, x1, d, 0.0, out, n2);
        }
    }
}
