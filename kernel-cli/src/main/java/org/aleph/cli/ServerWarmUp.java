package org.aleph.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a freshly started {@link AlephServer} runs before its first request, so that this
 * request finds the JIT's code ready: the {@code kernel} command of the run that started the
 * server (its {@code --net}), on a random 1000 x 64 input written to .npy files in a temporary
 * folder, a few times. In a fresh JVM the first kernel of 1000 points takes 0.3-0.8 s, the
 * third under 0.1 s (docs/performance.md, "The server").
 *
 * <p>Only fully connected networks are warmed up: a convolutional network's cost grows with
 * the image, and its first request is its warm-up. Nothing the warm-up does is seen by a
 * user: its output goes nowhere, its files are deleted, and its failures are ignored (the
 * real run meets the same error and reports it).
 */
final class ServerWarmUp {

    /** Points of the warm-up input: n = 1000 is the smallest size of issue 13's targets. */
    static final int POINTS = 1000;
    /** Its dimension: the Gram is native code that needs no warming, so a small one. */
    static final int DIMENSION = 64;
    /** Runs of the kernel command: enough for C2's code of the recursion's passes. */
    static final int RUNS = 3;

    private ServerWarmUp() {
    }

    /**
     * The {@code --net} spec of a served command line, or empty when the line has none or its
     * network is spatial (a {@code --shape}, or a layer that needs one).
     */
    static Optional<String> fullyConnectedNet(List<String> args) {
        String net = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--shape") || a.startsWith("--shape=")) {
                return Optional.empty();
            }
            if (a.equals("--net") && i + 1 < args.size()) {
                net = args.get(i + 1);
            } else if (a.startsWith("--net=")) {
                net = a.substring("--net=".length());
            }
        }
        if (net == null) {
            return Optional.empty();
        }
        String lower = net.toLowerCase(Locale.ROOT);
        for (String spatial : new String[] {"conv", "pool", "flatten"}) {
            if (lower.contains(spatial)) {
                return Optional.empty();
            }
        }
        return Optional.of(net);
    }

    /**
     * Runs the warm-up for the network of {@code args} (nothing when {@link #fullyConnectedNet}
     * finds none), in a temporary folder made in {@code scratch} and deleted afterwards, and
     * returns how many of its runs succeeded. System.out and System.err point nowhere meanwhile.
     */
    static int run(List<String> args, Map<String, String> environment, Path scratch) {
        Optional<String> net = fullyConnectedNet(args);
        if (net.isEmpty()) {
            return 0;
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        int succeeded = 0;
        Path dir = null;
        try {
            dir = Files.createTempDirectory(scratch, "aleph-warm-up");
            Path x = dir.resolve("x.npy");
            Training.writeNpy(x, POINTS, DIMENSION, 1);
            List<String> kernel = new ArrayList<>(List.of("kernel", "--net", net.get(), "--x1", x.toString(),
                    "--nngp", dir.resolve("k.npy").toString(), "--ntk", dir.resolve("t.npy").toString()));
            System.setOut(sink);
            System.setErr(sink);
            for (int i = 0; i < RUNS; i++) {
                if (Aleph.run(kernel.toArray(String[]::new), environment) != 0) {
                    break; // the same error every time
                }
                succeeded++;
            }
        } catch (IOException | RuntimeException e) {
            // a warm-up that fails only leaves the first request colder
        } finally {
            System.setOut(out);
            System.setErr(err);
            deleteQuietly(dir);
        }
        return succeeded;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left in the temporary folder
        }
    }
}
