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
 * folder, a few times; after a {@code predict} or {@code classify} run, that command too, twice,
 * on random data of 500 training and 100 test points (its solve and prediction code). In a
 * fresh JVM the first kernel of 1000 points takes 0.3-0.8 s, the third under 0.1 s
 * (docs/performance.md, "The server").
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
    /** Runs of a predict or classify command after those. */
    static final int SOLVE_RUNS = 2;
    /**
     * No further warm-up run starts after this many seconds: a quadrature or {@code Expr}
     * network's runs take seconds each (8.5 s for three runs of {@code Expr("tanh(x)")},
     * Symja's start included), and requests are not served meanwhile.
     */
    static final double BUDGET_SECONDS = 2;
    /** Training and test points of those runs. */
    static final int TRAIN = 500;
    static final int TEST = 100;

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
     * finds none), in a temporary folder made in {@code scratch} and deleted afterwards, within
     * {@link #BUDGET_SECONDS} (the first run always), and returns how many of its runs
     * succeeded. System.out and System.err point nowhere meanwhile.
     */
    static int run(List<String> args, Map<String, String> environment, Path scratch) {
        return run(args, environment, scratch, BUDGET_SECONDS);
    }

    /** {@link #run(List, Map, Path)} with another time budget (tests). */
    static int run(List<String> args, Map<String, String> environment, Path scratch, double budgetSeconds) {
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
            String command = args.stream().filter(a -> a.equals("predict") || a.equals("classify")).findFirst().orElse("kernel");
            List<List<String>> commands = commands(command, net.get(), dir);
            System.setOut(sink);
            System.setErr(sink);
            long deadline = System.nanoTime() + (long) (budgetSeconds * 1e9);
            for (List<String> line : commands) {
                if (succeeded > 0 && System.nanoTime() > deadline) {
                    break;
                }
                if (Aleph.run(line.toArray(String[]::new), environment) == 0) {
                    succeeded++;
                }
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

    /** The warm-up's command lines, their inputs written into {@code dir}. */
    static List<List<String>> commands(String command, String net, Path dir) throws IOException {
        List<List<String>> commands = new ArrayList<>();
        Path x = dir.resolve("x.npy");
        Training.writeNpy(x, POINTS, DIMENSION, 1);
        for (int i = 0; i < RUNS; i++) {
            commands.add(List.of("kernel", "--net", net, "--x1", x.toString(),
                    "--nngp", dir.resolve("k.npy").toString(), "--ntk", dir.resolve("t.npy").toString()));
        }
        if (command.equals("predict")) {
            Training.writeNpy(dir.resolve("train-x.npy"), TRAIN, DIMENSION, 2);
            Training.writeNpy(dir.resolve("train-y.npy"), TRAIN, 2, 3);
            Training.writeNpy(dir.resolve("test-x.npy"), TEST, DIMENSION, 4);
            for (int i = 0; i < SOLVE_RUNS; i++) {
                commands.add(List.of("predict", "--net", net, "--train-x", dir.resolve("train-x.npy").toString(),
                        "--train-y", dir.resolve("train-y.npy").toString(), "--test-x", dir.resolve("test-x.npy").toString(),
                        "--time", "1,inf", "--mean", dir.resolve("mean.npy").toString(), "--var", dir.resolve("var.npy").toString()));
            }
        } else if (command.equals("classify")) {
            writeLabelled(dir.resolve("train.csv"), TRAIN, 5);
            writeLabelled(dir.resolve("test.csv"), TEST, 6);
            for (int i = 0; i < SOLVE_RUNS; i++) {
                commands.add(List.of("classify", "--net", net, "--train", dir.resolve("train.csv").toString(),
                        "--test", dir.resolve("test.csv").toString(), "--n-train", Integer.toString(TRAIN),
                        "--n-test", Integer.toString(TEST), "--predictions", dir.resolve("labels.csv").toString()));
            }
        }
        return commands;
    }

    /** Rows of a label (0-9) and DIMENSION values around it, as CSV. */
    private static void writeLabelled(Path file, int rows, long seed) throws IOException {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            int label = r.nextInt(10);
            csv.append(label);
            for (int j = 0; j < DIMENSION; j++) {
                csv.append(',').append(String.format(Locale.ROOT, "%.4f", label * 0.1 + r.nextGaussian()));
            }
            csv.append('\n');
        }
        Files.writeString(file, csv, StandardCharsets.US_ASCII);
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
