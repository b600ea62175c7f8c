package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the module path, as users run it: after {@code package}, {@code target/lib}
 * is started as {@code java --module-path target/lib -m org.aleph.cli/...} in a separate
 * process (and once through the {@code ./aleph} script). This catches what class-path unit
 * tests cannot: a package not opened to picocli, a missing {@code requires}, a provider
 * not bound by the module system, a split package on the module path.
 *
 * <p>Run by the {@code module-path} execution of surefire in the integration-test phase.
 */
class ModulePathIT {

    static final Path LIB = Path.of("target", "lib");
    static final Path EXAMPLE = Path.of("..", "examples", "data", "x.csv");
    static final String NET = "Dense(1.5,0.05) Relu Dense(1,0)";

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Run java(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", LIB.toString(), "-m", "org.aleph.cli/org.aleph.cli.Aleph"));
        cmd.addAll(List.of(args));
        return run(new ProcessBuilder(cmd));
    }

    static Run run(ProcessBuilder pb) throws IOException {
        pb.environment().remove("ALEPH_PLUGIN_PATH");
        pb.environment().remove("ALEPH_DEBUG");
        Path out = Files.createTempFile("aleph-it", ".out");
        Path err = Files.createTempFile("aleph-it", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + pb.command());
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void helpBuildsEverySubcommandOnTheModulePath() throws IOException {
        assumeTrue(Files.isDirectory(LIB), "target/lib is built by the package phase");
        Run r = java("--help");
        assertEquals(0, r.status(), r::toString);
        for (String name : Aleph.commandLine(new Aleph(Map.of())).getSubcommands().keySet()) {
            assertTrue(r.out().contains("  " + name), () -> name + " missing from\n" + r);
        }
    }

    @Test
    void providersAreBoundByTheModuleSystem() throws IOException {
        assumeTrue(Files.isDirectory(LIB), "target/lib is built by the package phase");
        Run r = java("activations");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Relu ") && l.contains("org.aleph.kernel.activations")), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Identity ") && l.contains("org.aleph.kernel")), r::toString);
    }

    @Test
    void kernelOnTheModulePathEqualsTheLibraryBitForBit() throws IOException {
        assumeTrue(Files.isDirectory(LIB), "target/lib is built by the package phase");
        Path k = dir.resolve("k.npy");
        Path t = dir.resolve("t.csv");
        Run r = java("kernel", "--net", NET, "--x1", EXAMPLE.toString(), "--nngp", k.toString(), "--ntk", t.toString(), "--json");
        assertEquals(0, r.status(), r::toString);
        assertEquals("", r.err());
        Map<String, Object> o = MiniJson.object(r.out());
        assertEquals(List.of(8.0, 8.0), o.get("shape"));
        KernelResult expected = Network.parse(NET).kernels(MatrixFiles.read(EXAMPLE, "x"), null);
        assertArrayEquals(expected.nngp().data(), MatrixFiles.read(k, "k").data(), 0.0);
        assertArrayEquals(expected.ntk().data(), MatrixFiles.read(t, "t").data(), 0.0);
    }

    @Test
    void userErrorsAreOneSentenceWithStatus2() throws IOException {
        assumeTrue(Files.isDirectory(LIB), "target/lib is built by the package phase");
        Run r = java("kernel", "--net", "Dense(1.5,0.05) Rleu Dense(1,0)", "--x1", EXAMPLE.toString());
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().startsWith("aleph: spec column 17: unknown layer 'Rleu'; did you mean ") && r.err().contains("Relu"), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void theScriptRunsWhatIsBuilt() throws IOException {
        Path script = Path.of("..", "aleph");
        assumeTrue(Files.isDirectory(LIB) && Files.isExecutable(script), "needs target/lib and ../aleph");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "kernel", "--net", NET, "--x1", EXAMPLE.toString(), "--json");
        pb.environment().put("ALEPH_NO_BUILD", "1");
        pb.environment().put("ALEPH_SERVER", "0"); // this process itself, whatever the developer's shell says
        Run r = run(pb);
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of(8.0, 8.0), MiniJson.object(r.out()).get("shape"));
    }
}
