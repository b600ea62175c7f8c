package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs interrupted by real signals (issue 15, kind 3): {@code aleph kernel} and
 * {@code aleph predict} run in a separate JVM with two large outputs that already exist; as
 * soon as the first temporary file appears, the process gets SIGINT or SIGTERM. Afterwards
 * every old output must be intact and no temporary (or backup) file may remain. Each run is
 * bounded ({@value #LIMIT_SECONDS} s): a process that does not end is a failure (a hang).
 */
class InterruptedRunTest {

    static final int LIMIT_SECONDS = 60;
    static final String NET = "Dense(1.5,0.05) Relu Dense(1,0)";
    static final String OLD = "old output, must survive\n";

    @TempDir
    Path dir;

    /** n rows of 3 features: the kernels are n x n, about 22 n^2 bytes of CSV each. */
    private Path inputs(String name, int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(Math.sin(i)).append(',').append(Math.cos(0.7 * i)).append(',').append(i * 1e-3).append('\n');
        }
        return Files.writeString(dir.resolve(name), b.toString());
    }

    @Test
    void sigintDuringTheKernelOutputs() throws Exception {
        kernel("INT");
    }

    @Test
    void sigtermDuringTheKernelOutputs() throws Exception {
        kernel("TERM");
    }

    @Test
    void sigintDuringThePredictOutputs() throws Exception {
        predict("INT");
    }

    @Test
    void sigtermDuringThePredictOutputs() throws Exception {
        predict("TERM");
    }

    private void kernel(String signal) throws Exception {
        Path x = inputs("x.csv", 1200);
        Path k = Files.writeString(dir.resolve("k.csv"), OLD);
        Path t = Files.writeString(dir.resolve("t.csv"), OLD);
        interrupt(signal, List.of("kernel", "--net", NET, "--x1", x.toString(), "--nngp", k.toString(), "--ntk", t.toString()), k, t);
    }

    private void predict(String signal) throws Exception {
        Path x = inputs("x.csv", 20);
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            y.append(Math.sin(i)).append('\n');
        }
        Path yf = Files.writeString(dir.resolve("y.csv"), y.toString());
        Path test = inputs("test.csv", 1200);
        Path m = Files.writeString(dir.resolve("m.csv"), OLD);
        Path c = Files.writeString(dir.resolve("c.csv"), OLD);
        interrupt(signal, List.of("predict", "--net", NET, "--train-x", x.toString(), "--train-y", yf.toString(), "--test-x", test.toString(),
                "--diag-reg", "1e-4", "--mean", m.toString(), "--cov", c.toString()), m, c);
    }

    private void interrupt(String signal, List<String> args, Path... outputs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Aleph.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile());
        pb.environment().remove("ALEPH_PLUGIN_PATH");
        pb.environment().remove("ALEPH_DEBUG");
        Process p = pb.start();
        long deadline = System.nanoTime() + LIMIT_SECONDS * 1_000_000_000L;
        try {
            while (temporaries().isEmpty()) {
                if (!p.isAlive()) {
                    fail("the run ended (status " + p.exitValue() + ") before writing began:\n" + log());
                }
                if (System.nanoTime() > deadline) {
                    fail("no temporary file appeared within " + LIMIT_SECONDS + " s (a hang?):\n" + log());
                }
                Thread.sleep(2);
            }
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor(), "kill -" + signal);
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                fail("the interrupted run did not end within " + LIMIT_SECONDS + " s");
            }
            assertNotEquals(0, p.exitValue(), this::log);
            for (Path o : outputs) {
                assertEquals(OLD, Files.readString(o), () -> o + " was replaced by an interrupted run:\n" + log());
            }
            assertEquals(List.of(), temporaries(), this::log);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Hidden temporaries (.name.RANDOM.tmp) and backups (.bak) in the folder. */
    private List<Path> temporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(".")
                    && (f.getFileName().toString().endsWith(".tmp") || f.getFileName().toString().endsWith(".bak"))).toList();
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("log.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
