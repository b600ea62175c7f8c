package org.aleph.kernel.dynamics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;

/**
 * Timing harness for the linear algebra next to the NumPy peer (not a unit test; run by hand,
 * see docs/dynamics.md, "Linear algebra against NumPy"). On the NTK of the peer's network on
 * random X (n x 784), repeated {@code reps} times after one warm-up run (none when reps = 1):
 * <ul>
 *   <li>{@code chol}: the bare path, a copy of Theta + 1e-4 mean(diag) I, {@code choleskyInPlace},
 *       a solve with 10 right-hand sides (as {@code aleph bench});</li>
 *   <li>{@code reg}: {@link RegularizedCholesky#factor} (finiteness, regulariser, dpotrf, dpocon)
 *       and {@link RegularizedCholesky#solve} with 10 right-hand sides (as {@code aleph predict});</li>
 *   <li>{@code eigh}: {@link LinearAlgebra#symmetricEigen} of a copy of Theta + 1e-4 mean(diag) I.</li>
 * </ul>
 * Prints the median and minimum wall time and the median CPU time of the whole process (all its
 * threads, from /proc/self/task/N/schedstat, in nanoseconds), which under a shared machine's load
 * measures the work rather than the wait when OpenBLAS runs one thread.
 *
 * <p>Arguments: {@code chol|reg|eigh native|java n reps}.
 */
public final class LinearAlgebraTiming {

    private LinearAlgebraTiming() {
    }

    public static void main(String[] args) throws IOException {
        String what = args[0];
        LinearAlgebra la = args[1].equals("java") ? LinearAlgebra.pureJava() : LinearAlgebra.nativeLapack().orElseThrow();
        int n = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        SplittableRandom rnd = new SplittableRandom(n);
        double[] x = new double[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        Matrix ntk = new KernelComputer(Network.parse("Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)"))
                .compute(Matrix.wrap(n, 784, x), null).ntk();
        double[] y = new double[n * 10];
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextGaussian();
        }
        double[] k = ntk.data();
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += k[i * n + i];
        }
        double r = 1e-4 * mean / n;
        double[] wall = new double[reps];
        double[] cpu = new double[reps];
        for (int rep = reps > 1 ? -1 : 0; rep < reps; rep++) { // a warm-up run unless a single one is asked for
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            switch (what) {
                case "chol" -> {
                    double[] a = k.clone();
                    for (int i = 0; i < n; i++) {
                        a[i * n + i] += r;
                    }
                    if (la.choleskyInPlace(a, n) != 0) {
                        throw new IllegalStateException("not positive definite");
                    }
                    double[] b = RegularizedCholesky.transpose(y, n, 10);
                    la.choleskySolveRows(a, n, b, 10);
                }
                case "reg" -> RegularizedCholesky.factor(ntk, DiagonalRegularizer.relative(1e-4), la, "the NTK")
                        .solve(Matrix.wrap(n, 10, y));
                case "eigh" -> {
                    double[] a = k.clone();
                    for (int i = 0; i < n; i++) {
                        a[i * n + i] += r;
                    }
                    la.symmetricEigen(a, n);
                }
                default -> throw new IllegalArgumentException("chol, reg or eigh: " + what);
            }
            long t1 = System.nanoTime();
            long c1 = processCpuNanos();
            if (rep >= 0) {
                wall[rep] = (t1 - t0) / 1e6;
                cpu[rep] = (c1 - c0) / 1e6;
            }
        }
        double[] sortedWall = wall.clone();
        Arrays.sort(sortedWall);
        double[] sortedCpu = cpu.clone();
        Arrays.sort(sortedCpu);
        System.out.printf(Locale.ROOT, "aleph %s %s n=%d wall median=%.1f min=%.1f cpu median=%.1f ms wall=%s%n", what, args[1], n,
                sortedWall[reps / 2], sortedWall[0], sortedCpu[reps / 2], Arrays.toString(round(wall)));
    }

    private static long[] round(double[] v) {
        return Arrays.stream(v).mapToLong(Math::round).toArray();
    }

    /** CPU time of every thread of this process so far (Linux /proc; 0 elsewhere). */
    static long processCpuNanos() throws IOException {
        long sum = 0;
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path t : dir) {
                try {
                    String s = Files.readString(t.resolve("schedstat"));
                    sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
                } catch (IOException | RuntimeException e) {
                    // a thread that ended while being read
                }
            }
        }
        return sum;
    }
}
