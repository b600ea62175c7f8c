package org.aleph.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training run of the {@code aleph} script's class-data-sharing archive: runs, in one JVM
 * started with {@code -XX:DumpLoadedClassList} (the script then dumps a static archive), the
 * commands whose start-up matters most ({@code kernel} on a small {@code .npy} written to .npy
 * and as JSON, the help texts, the list of activations, the version; each command line built
 * as {@link Aleph#main} builds it), so that the archive holds the classes they load; a later
 * start maps them instead of loading, verifying and linking them from the jars (docs/performance.md, "Start-up"). It
 * also waits for the native BLAS to load (JavaCPP's classes are then in the archive too, and
 * JavaCPP has unpacked the bundled OpenBLAS into its cache), so that the first real command
 * does not pay that either. Prints nothing; the exit status is 0 when every command
 * succeeded.
 */
final class Training {

    /** The network of the training run: Dense and Relu like the benchmark, Erf for a second activation. */
    static final String NET = "Dense(1.5,0.05) Relu Dense(1.5,0.05) Erf Dense(1,0)";

    private Training() {
    }

    /** Runs the training commands in a fresh temporary folder, deleted afterwards. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("aleph-cds");
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        int failures = 0;
        try {
            Path x = dir.resolve("x.npy");
            writeNpy(x, 120, 64, 1);   // 120 x 120 x 64 multiply-adds: above GramProviders.MIN_WORK
            System.setOut(sink);
            System.setErr(sink);
            List<List<String>> commands = List.of(
                    List.of("kernel", "--net", NET, "--x1", x.toString(), "--nngp", dir.resolve("k.npy").toString(),
                            "--ntk", dir.resolve("t.npy").toString()),
                    List.of("kernel", "--net", NET, "--x1", x.toString(), "--json"),
                    List.of("kernel", "--help"),
                    List.of("activations"),
                    List.of("--help"),
                    List.of("--version"));
            for (List<String> c : commands) {
                String[] line = c.toArray(String[]::new);
                if (Aleph.commandLine(new Aleph(Map.of()), line).execute(line) != 0) {
                    failures++;
                }
            }
            // the native BLAS loads on a daemon thread that the exit below would cut short: wait
            // for it, so that JavaCPP's classes are in the class list and its cache is filled
            org.aleph.kernel.KernelComputer.gramBackend();
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /** A little-endian float64 .npy of random normal values (rows x cols), written without the CLI's writer. */
    static void writeNpy(Path file, int rows, int cols, long seed) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        Random r = new Random(seed);
        for (int i = 0; i < rows * cols; i++) {
            b.putDouble(r.nextGaussian());
        }
        Files.write(file, b.array());
    }
}
