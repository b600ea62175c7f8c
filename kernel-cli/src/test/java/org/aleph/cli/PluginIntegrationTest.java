package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, as a user would do it: builds the outside plug-in project
 * {@code examples/activation-plugin} with its own pom ({@code mvn -q -o -f
 * examples/activation-plugin/pom.xml package -DskipTests}), then runs the {@code ./aleph}
 * script in a separate JVM with {@code --plugin-path} pointing at the plug-in's jar: the
 * jar's module {@code org.example.swish} is loaded into a module layer, {@code Swish} is
 * listed with its module, and {@code aleph kernel} computes the kernels of a network that uses
 * it, which are checked against an independent computation in this test.
 *
 * <p>Which CLI runs: the script's module path {@code kernel-cli/target/lib} is assembled in
 * Maven's package phase, after the tests, so during {@code mvn install} it holds the previous
 * build (and the script would start a recursive root build to refresh it). The test therefore
 * runs a copy of the real {@code aleph} script in a temporary installation whose
 * {@code kernel-cli/target/lib} holds a copy of the classes just compiled ({@code target/classes},
 * an exploded module) and the runtime jars of this test's class path, with
 * {@code ALEPH_NO_BUILD=1}.
 *
 * <p>Independent check: for inputs x, x' in R^d the network {@code Dense(1.5, 0.05) Swish(2)
 * Dense(1, 0)} has (DESIGN.md) {@code K1 = 2.25 x.x'/d + 0.0025}, {@code T1 = K1}, then
 * {@code NNGP = E[phi(u)phi(v)]} and {@code NTK = NNGP + T1 E[phi'(u)phi'(v)]} over
 * {@code (u, v) ~ N(0, K1)}, phi(x) = x sigmoid(2x). The expectations are computed here by the
 * trapezoidal rule on a 10-sigma grid in the Cholesky variables, which converges
 * geometrically for smooth, Gaussian-weighted integrands (Trefethen &amp; Weideman, SIAM Review
 * 56(3), 2014) and shares no code with Aleph's Gauss-Hermite quadrature.
 */
class PluginIntegrationTest {

    private static final String PLUGIN_POM = "examples/activation-plugin/pom.xml";
    private static final String PLUGIN_JAR = "examples/activation-plugin/target/aleph-swish-1.0.0.jar";
    private static final String ALEPH_VERSION = "0.1.0-SNAPSHOT";
    private static final long TIMEOUT_MINUTES = 5;

    /** Test-only artifacts left out of the temporary installation's module path. */
    private static final List<String> TEST_ONLY = List.of("junit-", "opentest4j-", "apiguardian-", "quicktheories-",
            "surefire", "common-java5", "common-junit", "maven-");

    @TempDir
    static Path tmp;

    static Path root;
    static Path jar;
    static Path aleph;
    static Path x1;

    @BeforeAll
    static void buildPluginAndInstallation() throws IOException, InterruptedException {
        root = repositoryRoot();
        ensureInstalled();
        Result build = run(root, Map.of(), "mvn", "-q", "-o", "-f", PLUGIN_POM, "package", "-DskipTests");
        assertEquals(0, build.status(), () -> "building the plug-in failed:\n" + build);
        jar = root.resolve(PLUGIN_JAR);
        assertTrue(Files.isRegularFile(jar), () -> jar + " was not built:\n" + build);
        aleph = installation(tmp.resolve("aleph-home"));
        x1 = tmp.resolve("x1.csv");
        Files.writeString(x1, "# three points in R^2, one of them the origin\n1,0.5\n-0.3,2\n0,0\n");
    }

    @Test
    void activationsListsSwishWithItsModule() throws IOException, InterruptedException {
        Result r = aleph("--plugin-path", jar.toString(), "activations");
        assertEquals(0, r.status(), r::toString);
        String line = r.out().lines().filter(l -> l.startsWith("Swish ")).findFirst()
                .orElseThrow(() -> new AssertionError("no Swish line:\n" + r));
        assertTrue(line.contains("org.example.swish"), () -> "module missing: " + line);
        assertTrue(line.contains("beta=1") && line.contains("quadrature") && line.contains("x sigmoid(beta x)"), line);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Relu ")), () -> "built-ins must stay listed:\n" + r);
    }

    @Test
    void withoutThePluginSwishIsAUserError() throws IOException, InterruptedException {
        Result r = aleph("kernel", "--net", "Dense(1.5,0.05) Swish(2) Dense(1,0)", "--x1", x1.toString());
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("Swish") && !r.err().contains("\tat "), r::toString);
    }

    @Test
    void kernelWithThePluginMatchesAnIndependentComputation() throws IOException, InterruptedException {
        Result r = aleph("--plugin-path", jar.toString(), "kernel", "--net", "Dense(1.5,0.05) Swish(2) Dense(1,0)",
                "--x1", x1.toString(), "--json", "--print");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> json = MiniJson.object(r.out());
        double[][] nngp = matrix(json.get("nngp"));
        double[][] ntk = matrix(json.get("ntk"));
        assertTrue(String.valueOf(json.get("activations")).contains("org.example.swish"), r::toString);

        double[][] x = {{1, 0.5}, {-0.3, 2}, {0, 0}};
        double beta = 2;
        DoubleUnaryOperator phi = t -> t / (1 + Math.exp(-beta * t));
        DoubleUnaryOperator dphi = t -> {
            double s = 1 / (1 + Math.exp(-beta * t));
            return s + beta * t * s * (1 - s);
        };
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double k11 = dense(x[i], x[i]);
                double k12 = dense(x[i], x[j]);
                double k22 = dense(x[j], x[j]);
                double wantK = trapezoid(phi, k11, k12, k22);
                double wantT = wantK + k12 * trapezoid(dphi, k11, k12, k22);
                // Swish is served by Gauss-Hermite quadrature promising 1e-9 relative
                assertEquals(wantK, nngp[i][j], 1e-8 * Math.abs(wantK) + 1e-12, "NNGP(" + i + "," + j + ")");
                assertEquals(wantT, ntk[i][j], 1e-8 * Math.abs(wantT) + 1e-12, "NTK(" + i + "," + j + ")");
            }
        }
    }

    /** Dense(1.5, 0.05) on the input kernel x.x'/d. */
    private static double dense(double[] a, double[] b) {
        double dot = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
        }
        return 2.25 * dot / a.length + 0.05 * 0.05;
    }

    /**
     * E[f(u) f(v)] with u = s1 z1, v = s2 (rho z1 + sqrt(1 - rho^2) z2) by the trapezoidal rule
     * with step 0.05 on [-10, 10]^2.
     */
    private static double trapezoid(DoubleUnaryOperator f, double q11, double q12, double q22) {
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        double rho = Math.max(-1, Math.min(1, q12 / (s1 * s2)));
        double c = Math.sqrt((1 - rho) * (1 + rho));
        double h = 0.05;
        int m = 200;
        double[] w = new double[2 * m + 1];
        for (int k = -m; k <= m; k++) {
            double z = k * h;
            w[k + m] = h * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        }
        double sum = 0;
        for (int a = -m; a <= m; a++) {
            double z1 = a * h;
            double fu = f.applyAsDouble(s1 * z1);
            double inner = 0;
            for (int b = -m; b <= m; b++) {
                inner += w[b + m] * f.applyAsDouble(s2 * (rho * z1 + c * b * h));
            }
            sum += w[a + m] * fu * inner;
        }
        return sum;
    }

    private static double[][] matrix(Object json) {
        List<?> rows = (List<?>) json;
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            List<?> row = (List<?>) rows.get(i);
            m[i] = new double[row.size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = ((Number) row.get(j)).doubleValue();
            }
        }
        return m;
    }

    /**
     * The plug-in resolves org.aleph:kernel-api and kernel-testkit (and their parent pom) from
     * the local repository, like any outside project. After {@code mvn install} they are
     * there; after a bare {@code mvn verify} on a fresh machine they are not, so the missing
     * ones are installed from this build's jars ({@code install:install-file}).
     */
    private static void ensureInstalled() throws IOException, InterruptedException {
        Path local = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "aleph");
        String[][] artifacts = {
            {"aleph", "pom.xml", "pom"},
            {"kernel-api", "kernel-api/target/kernel-api-" + ALEPH_VERSION + ".jar", "kernel-api/pom.xml"},
            {"kernel-testkit", "kernel-testkit/target/kernel-testkit-" + ALEPH_VERSION + ".jar", "kernel-testkit/pom.xml"},
        };
        for (String[] a : artifacts) {
            boolean pom = a[2].equals("pom");
            Path installed = local.resolve(a[0]).resolve(ALEPH_VERSION).resolve(a[0] + "-" + ALEPH_VERSION + (pom ? ".pom" : ".jar"));
            if (Files.isRegularFile(installed)) {
                continue;
            }
            Path file = root.resolve(a[1]);
            assertTrue(Files.isRegularFile(file), () -> installed + " is not installed and " + file
                    + " is not built; run mvn install in " + root);
            Result r = run(root, Map.of(), "mvn", "-q", "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file",
                    "-Dfile=" + file, "-DpomFile=" + root.resolve(pom ? a[1] : a[2]));
            assertEquals(0, r.status(), () -> "installing " + file + " failed:\n" + r);
        }
    }

    /** The checkout: the nearest ancestor of the working directory holding the aleph script and the example. */
    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("aleph")) && Files.isRegularFile(p.resolve(PLUGIN_POM))) {
                return p;
            }
        }
        throw new AssertionError("no repository root (with ./aleph and " + PLUGIN_POM + ") above "
                + Path.of("").toAbsolutePath());
    }

    /**
     * A copy of ./aleph whose kernel-cli/target/lib holds this build's classes and runtime jars.
     *
     * @return the copied script
     */
    private static Path installation(Path home) throws IOException {
        Path lib = Files.createDirectories(home.resolve("kernel-cli/target/lib"));
        Path classes;
        try {
            classes = Path.of(Aleph.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(Files.isRegularFile(classes.resolve("module-info.class")), "kernel-cli is not compiled: " + classes);
        copyTree(classes, lib.resolve("org.aleph.cli"));
        List<String> used = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (name.endsWith(".jar") && Files.isRegularFile(p) && TEST_ONLY.stream().noneMatch(name::startsWith)
                    && !Files.exists(lib.resolve(name))) {
                Files.createSymbolicLink(lib.resolve(name), p.toAbsolutePath());
                used.add(name);
            }
        }
        assertTrue(used.stream().anyMatch(n -> n.startsWith("kernel-api-")) && used.stream().anyMatch(n -> n.startsWith("picocli-")),
                () -> "the test class path lacks the CLI's runtime jars: " + System.getProperty("java.class.path"));
        Path script = home.resolve("aleph");
        Files.copy(root.resolve("aleph"), script, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(script.toFile().setExecutable(true), "cannot make " + script + " executable");
        return script;
    }

    /** Copies a folder (the exploded module; a symbolic link to it is not scanned for packages). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Removes the links to jars before the temporary folder is deleted (JUnit warns about each link otherwise). */
    @AfterAll
    static void unlinkJars() throws IOException {
        Path lib = tmp.resolve("aleph-home/kernel-cli/target/lib");
        if (Files.isDirectory(lib)) {
            try (java.util.stream.Stream<Path> entries = Files.list(lib)) {
                for (Path p : (Iterable<Path>) entries::iterator) {
                    if (Files.isSymbolicLink(p)) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static Result aleph(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(aleph.toString());
        command.addAll(Arrays.asList(args));
        return run(tmp, Map.of("ALEPH_NO_BUILD", "1"), command.toArray(String[]::new));
    }

    /** Exit status and output of a finished process. */
    record Result(int status, String out, String err, List<String> command) {
        @Override
        public String toString() {
            return String.join(" ", command) + "\nstatus " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private static Result run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("ALEPH_PLUGIN_PATH");
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command[0] + " (is it installed and on the PATH?): " + e.getMessage(), e);
        }
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_MINUTES + " minutes");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                List.of(command));
    }
}
