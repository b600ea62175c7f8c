package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.aleph.cli.testplugin.TestCubeProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plug-in path: a jar without module-info (an automatic module with META-INF/services)
 * given by --plugin-path, by ALEPH_PLUGIN_PATH or inside a folder adds its activation to
 * the registry; a missing entry is a user error.
 */
class PluginPathTest {

    @TempDir
    Path dir;

    Path jar;
    Path x;

    @BeforeEach
    void makePluginJar() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        jar = folder.resolve("aleph-test-cube.jar");
        String cls = TestCubeProvider.class.getName().replace('.', '/') + ".class";
        String inner = TestCubeProvider.class.getName().replace('.', '/') + "$1.class";
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            for (String name : new String[] {cls, inner}) {
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = TestCubeProvider.class.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/org.aleph.kernel.spi.ActivationProvider"));
            out.write((TestCubeProvider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        x = dir.resolve("x.csv");
        Files.writeString(x, "1,0\n0.5,0.5\n");
    }

    @Test
    void withoutThePluginTheActivationIsUnknown() {
        Cli.Result r = Cli.run("kernel", "--net", "Dense TestCube Dense", "--x1", x.toString());
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("spec column 7: unknown layer 'TestCube'"), r::toString);
        assertTrue(r.err().contains("needs --plugin-path JAR"), "names the option that adds plug-ins: " + r);
    }

    @Test
    void pluginJarIsListedWithItsAutomaticModuleName() {
        Cli.Result r = Cli.run("--plugin-path", jar.toString(), "activations");
        assertEquals(0, r.status(), r::toString);
        String line = r.out().lines().filter(l -> l.startsWith("TestCube ")).findFirst().orElseThrow(() -> new AssertionError(r));
        assertTrue(line.contains("aleph.test.cube") && line.contains("a=1") && line.contains("closed form"), line);
        assertTrue(r.out().contains("Relu "), "built-ins stay available");
    }

    @Test
    void pluginActivationComputesKernelsFromAFolderOrTheEnvironment() {
        // x1 = (1, 0): q = 1/2 after Dense(1, 0); E[(u^3)^2] = 15 q^3 = 15/8, E[(3u^2)^2] = 27 q^2 = 27/4.
        for (Cli.Result r : new Cli.Result[] {
            Cli.run("kernel", "--plugin-path", jar.getParent().toString(), "--net", "Dense TestCube", "--x1", x.toString(), "--json"),
            Cli.run(Map.of("ALEPH_PLUGIN_PATH", jar.toString()), "kernel", "--net", "Dense TestCube", "--x1", x.toString(), "--json"),
        }) {
            assertEquals(0, r.status(), r::toString);
            Map<String, Object> o = MiniJson.object(r.out());
            @SuppressWarnings("unchecked")
            java.util.List<java.util.List<Double>> k = (java.util.List<java.util.List<Double>>) o.get("nngp");
            assertEquals(15.0 / 8, k.get(0).get(0), 1e-15);
            @SuppressWarnings("unchecked")
            java.util.List<java.util.List<Double>> t = (java.util.List<java.util.List<Double>>) o.get("ntk");
            assertEquals(0.5 * 27.0 / 4, t.get(0).get(0), 1e-15);
            assertTrue(r.out().contains("\"module\":\"aleph.test.cube\""), r::toString);
        }
    }

    @Test
    void thePluginsFolderOfTheInstallationIsSearched() {
        // jar lives in <dir>/plugins; the script passes its own folder as -Daleph.home.
        String old = System.getProperty(Aleph.HOME_PROPERTY);
        System.setProperty(Aleph.HOME_PROPERTY, dir.toString());
        try {
            Cli.Result r = Cli.run("activations");
            assertEquals(0, r.status(), r::toString);
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("TestCube ")), r::toString);
        } finally {
            if (old == null) {
                System.clearProperty(Aleph.HOME_PROPERTY);
            } else {
                System.setProperty(Aleph.HOME_PROPERTY, old);
            }
        }
    }

    @Test
    void missingEntryIsAUserErrorNamingItsSource() {
        Cli.Result r = Cli.run(Map.of("ALEPH_PLUGIN_PATH", dir.resolve("nothing.jar").toString()), "activations");
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("nothing.jar") && r.err().contains("ALEPH_PLUGIN_PATH") && r.noStackTrace(), r::toString);
    }
}
