package org.aleph.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.io.MatrixFiles;

/**
 * Throughput of {@code .npy} reading and writing through {@link MatrixFiles} (the path every
 * command takes, atomic temporary file and rename included), as a timed main rather than JMH:
 * the quantity of interest is MB/s of one whole call on a warm page cache, to be compared with
 * {@code dd} and {@code cp} on the same folder.
 *
 * <pre>
 * java -cp ... org.aleph.bench.NpyThroughput [folder] [repeats]
 * </pre>
 *
 * Prints, for a 4000 x 784 input (25 MB) and a 4000 x 4000 output (128 MB), the seconds of the
 * first write and read in the JVM (what a one-shot {@code aleph kernel} pays, code not yet
 * compiled), then the median and the best of {@code repeats} further reads and writes in MB/s
 * (10^6 bytes per second).
 */
public final class NpyThroughput {

    private NpyThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("npy-bench");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        measure(dir, 4000, 784, repeats);
        measure(dir, 4000, 4000, repeats);
    }

    private static void measure(Path dir, int rows, int cols, int repeats) {
        double[] v = new double[rows * cols];
        SplittableRandom r = new SplittableRandom(rows * 31L + cols);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        Matrix m = Matrix.wrap(rows, cols, v);
        Path file = dir.resolve("bench-" + rows + "x" + cols + ".npy");
        double bytes = 8.0 * v.length + 128;
        double[] write = new double[repeats];
        double[] read = new double[repeats];
        for (int k = -2; k < repeats; k++) { // two warm-up rounds
            long t0 = System.nanoTime();
            MatrixFiles.write(file, m, "--out");
            long t1 = System.nanoTime();
            Matrix back = MatrixFiles.read(file, "--in");
            long t2 = System.nanoTime();
            if (!Arrays.equals(back.data(), v)) {
                throw new AssertionError(file + ": read back other values");
            }
            if (k == -2) {
                System.out.printf(Locale.ROOT, "%d x %d first call in this JVM: write %.3f s, read %.3f s%n", rows, cols, (t1 - t0) * 1e-9,
                        (t2 - t1) * 1e-9);
            }
            if (k >= 0) {
                write[k] = bytes / ((t1 - t0) * 1e-9) / 1e6;
                read[k] = bytes / ((t2 - t1) * 1e-9) / 1e6;
            }
        }
        Arrays.sort(write);
        Arrays.sort(read);
        System.out.printf(Locale.ROOT, "%d x %d (%.1f MB): write median %.0f MB/s (best %.0f), read median %.0f MB/s (best %.0f)%n",
                rows, cols, bytes / 1e6, write[repeats / 2], write[repeats - 1], read[repeats / 2], read[repeats - 1]);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover benchmark file in a temporary folder
        }
    }
}
