package org.aleph.kernel.blas;

import java.util.Locale;
import java.util.Random;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.RegularizedCholesky;

/**
 * In-process timing of what predict and classify do with the dense linear algebra, EJML and
 * the implementation {@link LinearAlgebra#automatic()} chooses, alternating in one JVM
 * (docs/performance.md, "predict and classify without a system BLAS"): the regularised
 * Cholesky factorisation with its checks and condition estimate plus a solve with 10
 * right-hand sides (t = inf), the symmetric eigendecomposition (finite t), and a test-train
 * product (1000 x n times n x 10). Not a test; run from kernel-blas with the system library
 * hidden:
 *
 * <pre>
 * java -Ddev.ludovic.netlib.blas.nativeLib=none -Ddev.ludovic.netlib.lapack.nativeLib=none \
 *   -cp "kernel-blas/target/test-classes:kernel-blas/target/classes:kernel-cli/target/lib/*" \
 *   org.aleph.kernel.blas.LinearAlgebraThroughput 1000,2000,4000 [repeats] [eigen up to n]
 * </pre>
 */
public final class LinearAlgebraThroughput {

    private LinearAlgebraThroughput() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int eigenMax = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        LinearAlgebra[] las = {LinearAlgebra.pureJava(), LinearAlgebra.automatic()};
        System.out.println("automatic: " + las[1].name());
        for (String s : args[0].split(",")) {
            int n = Integer.parseInt(s.trim());
            double[] k = kernel(n);
            double[] y = new double[n * 10];
            double[] kt = new double[1000 * n];
            Random r = new Random(2);
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextGaussian();
            }
            for (int i = 0; i < kt.length; i++) {
                kt[i] = r.nextGaussian();
            }
            for (int rep = 0; rep < repeats; rep++) {
                for (LinearAlgebra la : las) {
                    long t0 = System.nanoTime();
                    RegularizedCholesky c = RegularizedCholesky.factor(Matrix.wrap(n, n, k), DiagonalRegularizer.relative(1e-4), la, "K");
                    long t1 = System.nanoTime();
                    double[] b = new double[10 * n];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < 10; j++) {
                            b[j * n + i] = y[i * 10 + j];
                        }
                    }
                    c.solveRows(b, 10);
                    long t2 = System.nanoTime();
                    double[] out = new double[1000 * 10];
                    la.gemm(false, true, 1000, 10, n, 1.0, kt, b, 0.0, out);
                    long t3 = System.nanoTime();
                    double eig = Double.NaN;
                    if (n <= eigenMax) {
                        la.symmetricEigen(k.clone(), n);
                        eig = (System.nanoTime() - t3) / 1e9;
                    }
                    System.out.printf(Locale.ROOT, "n %d %-5s factor %.3f s solve(10) %.3f s gemm %.3f s eigen %.3f s load %s%n", n,
                            la.isNative() ? "after" : "ejml", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, eig, load());
                }
            }
        }
    }

    /** The 1-layer Relu NNGP's arc-cosine kernel of Gaussian inputs (SPD, like the kernels predict factors). */
    static double[] kernel(int n) {
        Random r = new Random(1);
        int d = 64;
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int q = 0; q < d; q++) {
                s += x[i * d + q] * x[i * d + q];
            }
            norm[i] = Math.sqrt(s);
        }
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int q = 0; q < d; q++) {
                    s += x[i * d + q] * x[j * d + q];
                }
                double c = Math.max(-1, Math.min(1, s / (norm[i] * norm[j])));
                double th = Math.acos(c);
                double v = norm[i] * norm[j] / (2 * Math.PI * d) * (Math.sin(th) + (Math.PI - th) * c);
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
        }
        return k;
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
