package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server end to end through the {@code ./aleph} script ({@link AlephServer}, its two
 * clients, server-client.pl and {@link ServerClient}), with {@code ALEPH_SERVER=1} and by
 * default (a first run in its own JVM, then a server warmed up for the next; none with
 * {@code CI} set): served runs write the same bytes and print the same text as runs in
 * their own JVM, relative paths are the client's, a user's mistake keeps its exit status and
 * its one sentence, a client killed during a run commits nothing and stops the server, and
 * deleting the socket stops the server. Each test has its own socket folder (XDG_RUNTIME_DIR)
 * and stops its servers at the end.
 */
class ServerIT {

    static final Path SCRIPT = Path.of("..", "aleph").toAbsolutePath().normalize();
    static final String NET = "Dense(1.5,0.05) Relu Dense(1.5,0.05) Erf Dense(1,0)";

    @TempDir
    Path work;
    @TempDir
    Path sockets;

    @BeforeEach
    void needsBuild() {
        assumeTrue(Files.isDirectory(ModulePathIT.LIB) && Files.isExecutable(SCRIPT), "needs target/lib and ../aleph");
    }

    @AfterEach
    void stopServers() throws IOException, InterruptedException {
        Path folder = socketFolder();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.toList()) {
                    if (f.toString().endsWith(".sock")) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
        waitUntil(() -> servers().isEmpty(), 10);
    }

    private Path socketFolder() {
        return sockets.resolve("aleph-server-" + System.getProperty("user.name"));
    }

    /** The server processes of this test (their command line names this test's socket folder). */
    private List<ProcessHandle> servers() {
        String folder = socketFolder().toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("org.aleph.cli.AlephServer") && c.contains(folder) && !c.contains("ServerClient"))
                .orElse(false)).toList();
    }

    private ProcessBuilder aleph(boolean server, String... args) {
        ProcessBuilder pb = alephByDefault(args);
        pb.environment().put("ALEPH_SERVER", server ? "1" : "0");
        return pb;
    }

    /** A run with ALEPH_SERVER and CI unset, as a user's shell has them. */
    private ProcessBuilder alephByDefault(String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().put("ALEPH_NO_BUILD", "1");
        pb.environment().put("XDG_RUNTIME_DIR", sockets.toString());
        pb.environment().put("ALEPH_SERVER_IDLE", "60");
        pb.environment().remove("ALEPH_SERVER");
        pb.environment().remove("CI");
        return pb;
    }

    private ModulePathIT.Run run(boolean server, String... args) throws IOException {
        return ModulePathIT.run(aleph(server, args));
    }

    private void writeInputs(int n, int d, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                csv.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", r.nextGaussian()));
            }
            csv.append('\n');
        }
        Files.writeString(work.resolve("x.csv"), csv.toString(), StandardCharsets.UTF_8);
    }

    private String serverLog() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(socketFolder())) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                all.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    @Test
    void servedRunsGiveTheBytesOfOwnProcessRuns() throws IOException, InterruptedException {
        writeInputs(40, 6, 1);
        String[] kernel = {"kernel", "--net", NET, "--x1", "x.csv", "--nngp", "K.npy", "--ntk", "T.npy"};
        ModulePathIT.Run own = run(false, kernel);
        assertEquals(0, own.status(), own::toString);
        byte[] k = Files.readAllBytes(work.resolve("K.npy"));
        byte[] t = Files.readAllBytes(work.resolve("T.npy"));
        for (int i = 0; i < 3; i++) {
            Files.delete(work.resolve("K.npy"));
            Files.delete(work.resolve("T.npy"));
            ProcessBuilder pb = aleph(true, kernel);
            // the Perl client, then the Java client (used where there is no Perl): the same socket name, the same server
            pb.environment().put("ALEPH_SERVER_CLIENT", i < 2 ? "perl" : "java");
            ModulePathIT.Run served = ModulePathIT.run(pb);
            assertEquals(0, served.status(), served::toString);
            assertEquals(withoutTimes(own.out()), withoutTimes(served.out()));
            assertArrayEquals(k, Files.readAllBytes(work.resolve("K.npy")), "NNGP bytes, served run " + i);
            assertArrayEquals(t, Files.readAllBytes(work.resolve("T.npy")), "NTK bytes, served run " + i);
        }
        assertEquals(1, servers().size(), "one server for this folder and build, whichever client");
        String log = serverLog();
        assertEquals(3, log.lines().filter(l -> l.startsWith("aleph-server: exit 0")).count(), log);
    }

    @Test
    void predictIsServedWithTheSameBytes() throws IOException {
        writeInputs(60, 5, 6);
        Files.move(work.resolve("x.csv"), work.resolve("train.csv"));
        writeInputs(60, 2, 7);
        Files.move(work.resolve("x.csv"), work.resolve("y.csv"));
        writeInputs(15, 5, 8);
        String[] predict = {"predict", "--net", NET, "--train-x", "train.csv", "--train-y", "y.csv", "--test-x", "x.csv",
            "--mean", "mean.npy", "--var", "var.npy", "--time", "1,inf"};
        ModulePathIT.Run own = run(false, predict);
        assertEquals(0, own.status(), own::toString);
        byte[] mean = Files.readAllBytes(work.resolve("mean.npy"));
        byte[] var = Files.readAllBytes(work.resolve("var.npy"));
        ModulePathIT.Run served = run(true, predict);
        assertEquals(0, served.status(), served::toString);
        assertEquals(withoutTimes(own.out()), withoutTimes(served.out()));
        assertArrayEquals(mean, Files.readAllBytes(work.resolve("mean.npy")));
        assertArrayEquals(var, Files.readAllBytes(work.resolve("var.npy")));
        assertTrue(serverLog().contains("aleph-server: running predict"), "the server ran it");
    }

    @Test
    void classifyIsServedWithTheSameLabels() throws IOException {
        Random r = new Random(9);
        for (String name : new String[] {"train.csv", "test.csv"}) {
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < (name.startsWith("train") ? 120 : 40); i++) {
                int label = r.nextInt(3);
                csv.append(label);
                for (int j = 0; j < 8; j++) {
                    csv.append(',').append(String.format(Locale.ROOT, "%.5f", label + r.nextGaussian()));
                }
                csv.append('\n');
            }
            Files.writeString(work.resolve(name), csv.toString(), StandardCharsets.UTF_8);
        }
        String[] classify = {"classify", "--net", NET, "--train", "train.csv", "--test", "test.csv", "--predictions", "p.csv", "--json"};
        ModulePathIT.Run own = run(false, classify);
        assertEquals(0, own.status(), own::toString);
        byte[] labels = Files.readAllBytes(work.resolve("p.csv"));
        ModulePathIT.Run served = run(true, classify);
        assertEquals(0, served.status(), served::toString);
        assertArrayEquals(labels, Files.readAllBytes(work.resolve("p.csv")));
        Object accuracy = MiniJson.object(own.out()).get("accuracy");
        assertTrue(accuracy instanceof Double, own::toString);
        assertEquals(accuracy, MiniJson.object(served.out()).get("accuracy"));
        assertTrue(serverLog().contains("aleph-server: running classify"), "the server ran it");
    }

    @Test
    void aReaderThatStopsEarlyDoesNotStopTheRun() throws IOException, InterruptedException {
        writeInputs(50, 4, 10);
        for (String client : new String[] {"perl", "java"}) {
            ProcessBuilder pb = aleph(true, "kernel", "--net", NET, "--x1", "x.csv", "--nngp", "K-" + client + ".npy", "--print")
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("ALEPH_SERVER_CLIENT", client);
            Process p = pb.start();
            p.getInputStream().close(); // as `aleph kernel ... | head -0` does
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
            assertEquals(0, p.exitValue(), client + " client");
            assertTrue(Files.size(work.resolve("K-" + client + ".npy")) > 0, "the outputs are committed");
        }
        assertTrue(serverLog().contains("aleph-server: exit 0"), "the server ran it");
    }

    @Test
    void aUserErrorKeepsItsStatusAndSentence() throws IOException {
        writeInputs(10, 3, 2);
        String[] bad = {"kernel", "--net", "Dense(1.5,0.05) Rleu Dense(1,0)", "--x1", "x.csv"};
        ModulePathIT.Run own = run(false, bad);
        ModulePathIT.Run served = run(true, bad);
        assertEquals(2, own.status(), own::toString);
        assertEquals(own.status(), served.status(), served::toString);
        assertEquals(own.err(), served.err());
        assertEquals(1, served.err().lines().count(), served::toString);
        assertTrue(serverLog().contains("aleph-server: exit 2"), "the server ran it");
    }

    @Test
    void aClientKilledDuringARunCommitsNothingAndStopsTheServer() throws IOException, InterruptedException {
        writeInputs(40, 6, 3);
        ModulePathIT.Run first = run(true, "kernel", "--net", NET, "--x1", "x.csv", "--json");
        assertEquals(0, first.status(), first::toString);
        writeInputs(4000, 30, 4);
        Process p = aleph(true, "kernel", "--net", "Dense(1.5,0.05) Erf Dense(1.5,0.05) Erf Dense(1.5,0.05) Erf Dense(1,0)",
                "--x1", "x.csv", "--nngp", "K.npy", "--ntk", "T.npy")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(serverStarted(2), "the server started the second run");
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertTrue(waitUntil(() -> servers().isEmpty(), 30), "the server exited with its client");
        assertTrue(serverLog().contains("client hung up"), serverLog());
        try (Stream<Path> files = Files.list(work)) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(List.of("x.csv"), names, "no output and no temporary file");
        }
    }

    @Test
    void aRunThatFindsTheServerBusyRunsInItsOwnJvm() throws IOException, InterruptedException {
        writeInputs(40, 6, 11);
        ModulePathIT.Run first = run(true, "kernel", "--net", NET, "--x1", "x.csv", "--nngp", "small.npy");
        assertEquals(0, first.status(), first::toString);
        byte[] small = Files.readAllBytes(work.resolve("small.npy"));
        Files.move(work.resolve("x.csv"), work.resolve("small.csv"));
        writeInputs(4000, 30, 12);
        Process big = aleph(true, "kernel", "--net", "Dense(1.5,0.05) Erf Dense(1.5,0.05) Erf Dense(1.5,0.05) Erf Dense(1,0)",
                "--x1", "x.csv", "--nngp", "big.npy")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(serverStarted(2), "the server started the big run");
        ModulePathIT.Run beside = run(true, "kernel", "--net", NET, "--x1", "small.csv", "--nngp", "small2.npy");
        assertEquals(0, beside.status(), beside::toString);
        assertArrayEquals(small, Files.readAllBytes(work.resolve("small2.npy")), "the run beside, in its own JVM");
        assertTrue(big.waitFor(180, TimeUnit.SECONDS), "the big run finished");
        assertEquals(0, big.exitValue());
        String log = serverLog();
        assertFalse(log.contains("small2.npy"), "the server did not run it: " + log);
        assertEquals(2, log.lines().filter(l -> l.startsWith("aleph-server: exit 0")).count(), log);
    }

    @Test
    void deletingTheSocketStopsTheServer() throws IOException, InterruptedException {
        writeInputs(20, 4, 5);
        ModulePathIT.Run r = run(true, "kernel", "--net", NET, "--x1", "x.csv", "--json");
        assertEquals(0, r.status(), r::toString);
        assertFalse(servers().isEmpty(), "a server is up");
        try (Stream<Path> files = Files.list(socketFolder())) {
            for (Path f : files.filter(f -> f.toString().endsWith(".sock")).toList()) {
                Files.delete(f);
            }
        }
        assertTrue(waitUntil(() -> servers().isEmpty(), 10), "the server exited");
    }

    @Test
    void byDefaultTheFirstRunIsItsOwnAndTheServerWarmedUpAfterItServesTheNext() throws IOException, InterruptedException {
        writeInputs(40, 6, 13);
        String[] kernel = {"kernel", "--net", NET, "--x1", "x.csv", "--nngp", "K.npy", "--ntk", "T.npy"};
        ModulePathIT.Run first = ModulePathIT.run(alephByDefault(kernel));
        assertEquals(0, first.status(), first::toString);
        assertFalse(first.err().contains("server"), "no notice when standard error is not a terminal: " + first.err());
        byte[] k = Files.readAllBytes(work.resolve("K.npy"));
        byte[] t = Files.readAllBytes(work.resolve("T.npy"));
        assertTrue(waitUntil(() -> logContains("aleph-server: warmed up (3 runs)"), 120),
                "a server started after the first run and warmed up on its network");
        assertFalse(logContains("aleph-server: running"), "the first run ran in its own JVM");
        Files.delete(work.resolve("K.npy"));
        Files.delete(work.resolve("T.npy"));
        ModulePathIT.Run second = ModulePathIT.run(alephByDefault(kernel));
        assertEquals(0, second.status(), second::toString);
        assertEquals(withoutTimes(first.out()), withoutTimes(second.out()));
        assertArrayEquals(k, Files.readAllBytes(work.resolve("K.npy")));
        assertArrayEquals(t, Files.readAllBytes(work.resolve("T.npy")));
        assertTrue(logContains("aleph-server: running kernel"), "the server ran the second run");
        assertEquals(1, servers().size());
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of("K.npy", "T.npy", "x.csv"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "the warm-up left nothing in the working folder");
        }
    }

    @Test
    void theServerKeepsNoneOfTheCallersDescriptors() throws Exception {
        writeInputs(10, 3, 17);
        // fd 3 of the run is its standard output pipe too: a server that kept it would keep this
        // test's read from ending until the server stops (60 idle seconds here)
        ProcessBuilder pb = alephByDefault("kernel", "--net", NET, "--x1", "x.csv", "--nngp", "K.npy");
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "bash \"$0\" \"$@\" 3>&1"));
        cmd.addAll(pb.command().subList(1, pb.command().size()));
        Process p = pb.command(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] text = out.get(40, TimeUnit.SECONDS); // ends when the run's own process has exited
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(text, StandardCharsets.UTF_8));
        assertTrue(waitUntil(() -> logContains("aleph-server: warmed up"), 120), "a server started after the run");
    }

    @Test
    void withCiSetOrZeroNoServerStarts() throws IOException, InterruptedException {
        writeInputs(20, 4, 14);
        ProcessBuilder ci = alephByDefault("kernel", "--net", NET, "--x1", "x.csv", "--nngp", "K.npy");
        ci.environment().put("CI", "true");
        ModulePathIT.Run onCi = ModulePathIT.run(ci);
        assertEquals(0, onCi.status(), onCi::toString);
        ModulePathIT.Run off = run(false, "kernel", "--net", NET, "--x1", "x.csv", "--nngp", "K2.npy");
        assertEquals(0, off.status(), off::toString);
        Thread.sleep(3000); // a server started after these runs would be up by now
        assertTrue(servers().isEmpty(), "no server");
        assertFalse(Files.exists(socketFolder()) && !serverLog().isEmpty(), "no server log");
    }

    @Test
    void alephServerListsAndStopsTheServers() throws IOException, InterruptedException {
        writeInputs(20, 4, 15);
        ModulePathIT.Run r = run(true, "kernel", "--net", NET, "--x1", "x.csv", "--json");
        assertEquals(0, r.status(), r::toString);
        assertEquals(1, servers().size());
        long pid = servers().get(0).pid();
        ModulePathIT.Run list = run(false, "server");
        assertEquals(0, list.status(), list::toString);
        List<String> rows = list.out().lines().toList();
        assertTrue(rows.get(0).startsWith("pid"), list::toString);
        assertTrue(rows.get(1).matches(pid + " +[0-9]+ MB +1 +" + java.util.regex.Pattern.quote(work.toRealPath().toString())),
                "pid, memory, one run, the folder: " + list);
        ModulePathIT.Run stop = run(false, "server", "--stop");
        assertEquals(0, stop.status(), stop::toString);
        assertEquals("stopped 1 server", stop.out().strip());
        assertTrue(servers().isEmpty(), "stopped when the command returns");
        assertTrue(run(false, "server").out().startsWith("no server is running"));
    }

    @Test
    void aFolderMadeAgainAtTheServersPathIsNotServedFromTheDeletedOne() throws IOException, InterruptedException {
        Path original = work;
        work = original.resolve("project");
        Files.createDirectories(work);
        writeInputs(20, 4, 16);
        ModulePathIT.Run first = run(true, "kernel", "--net", NET, "--x1", "x.csv", "--nngp", "K.npy");
        assertEquals(0, first.status(), first::toString);
        byte[] k = Files.readAllBytes(work.resolve("K.npy"));
        for (Path f : List.of(work.resolve("K.npy"), work.resolve("x.csv"), work)) {
            Files.delete(f);
        }
        Files.createDirectories(work);
        writeInputs(20, 4, 16);
        ModulePathIT.Run again = run(true, "kernel", "--net", NET, "--x1", "x.csv", "--nngp", "K.npy");
        assertEquals(0, again.status(), again::toString);
        assertArrayEquals(k, Files.readAllBytes(work.resolve("K.npy")), "the run in the new folder read and wrote there");
        assertTrue(logContains("the working folder was replaced"), "the old server declined it");
        assertTrue(waitUntil(() -> servers().isEmpty(), 10), "and stopped");
        work = original;
    }

    @Test
    void anUnknownServerSettingIsAUserError() throws IOException {
        ProcessBuilder pb = alephByDefault("kernel", "--help");
        pb.environment().put("ALEPH_SERVER", "yes");
        ModulePathIT.Run r = ModulePathIT.run(pb);
        assertEquals(2, r.status(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().contains("ALEPH_SERVER=yes"), r::toString);
        assertEquals("", r.out());
    }

    private boolean logContains(String text) {
        try {
            return Files.isDirectory(socketFolder()) && serverLog().contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits up to a minute for the server's log to show the given number of started runs. */
    private boolean serverStarted(int runs) throws InterruptedException {
        return waitUntil(() -> {
            try {
                return serverLog().lines().filter(l -> l.startsWith("aleph-server: running")).count() == runs;
            } catch (IOException e) {
                return false;
            }
        }, 60);
    }

    /** The text with its durations ("0.012 s") blanked: they differ from run to run. */
    private static String withoutTimes(String text) {
        return text.replaceAll("[0-9]+\\.[0-9]+ s\\b", "_ s");
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
