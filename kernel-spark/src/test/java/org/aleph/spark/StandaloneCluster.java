package org.aleph.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A real Spark standalone cluster for tests: one master and {@code workers} workers, each a
 * separate JVM started from Spark's own classes ({@code org.apache.spark.deploy.master.Master},
 * {@code org.apache.spark.deploy.worker.Worker}) on the test's class path, every service bound
 * to 127.0.0.1 on free ports. The workers launch executors as further JVMs the way a deployed
 * cluster does; Spark's launcher needs a SPARK_HOME with a {@code jars/} folder, which is made
 * here from links to the class path's jars. {@link #close()} stops every process.
 */
final class StandaloneCluster implements AutoCloseable {

    /** The module opens Spark's own launch scripts pass on Java 17. */
    static final List<String> OPENS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");

    private final List<Process> processes = new ArrayList<>();
    private final Path home;
    private final String classPath;
    private final String masterUrl;
    private final Path masterLog;
    private final String log4jOption;

    StandaloneCluster(Path folder, int workers, long timeoutSeconds) throws IOException, InterruptedException {
        this.home = folder;
        this.classPath = String.join(File.pathSeparator, classPath());
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && Files.notExists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        // The master and workers log at INFO into their own files (the tests' log4j2.properties keeps only errors).
        Path log4j = Files.createDirectories(home.resolve("conf")).resolve("log4j2.properties");
        Files.writeString(log4j, String.join("\n", "rootLogger.level = info", "rootLogger.appenderRef.stdout.ref = console",
                "appender.console.type = Console", "appender.console.name = console", "appender.console.target = SYSTEM_OUT",
                "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n", ""));
        this.log4jOption = "-Dlog4j2.configurationFile=" + log4j.toUri();
        int port = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        masterLog = home.resolve("master.log");
        try {
            start("org.apache.spark.deploy.master.Master", masterLog, "--host", "127.0.0.1", "--port", String.valueOf(port),
                    "--webui-port", String.valueOf(freePort()));
            waitFor(masterLog, "ALIVE", 1, timeoutSeconds);
            for (int w = 0; w < workers; w++) {
                Path dir = Files.createDirectories(home.resolve("worker-" + w));
                start("org.apache.spark.deploy.worker.Worker", home.resolve("worker-" + w + ".log"), "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "1G", "--webui-port", String.valueOf(freePort()), "--work-dir", dir.toString(),
                        masterUrl);
            }
            waitFor(masterLog, "Registering worker", workers, timeoutSeconds);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** spark://127.0.0.1:port of the master. */
    String masterUrl() {
        return masterUrl;
    }

    /** The test's full class path (the entries of a manifest-only surefire jar expanded). */
    String executorClassPath() {
        return classPath;
    }

    /** The master's log so far (for failure messages). */
    String masterLog() {
        try {
            return Files.readString(masterLog, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no master log: " + e.getMessage() + ")";
        }
    }

    private void start(String mainClass, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add(log4jOption);
        cmd.addAll(OPENS);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_NO_DAEMONIZE", "1");
        processes.add(pb.start());
    }

    private void waitFor(Path log, String text, int times, long timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process exited with " + p.exitValue() + ":\n" + masterLog());
                }
            }
            if (Files.exists(log)) {
                String s = Files.readString(log, StandardCharsets.UTF_8);
                int count = 0;
                for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
                    count++;
                }
                if (count >= times) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the cluster did not report '" + text + "' " + times + " times within " + timeoutSeconds
                + " s:\n" + masterLog());
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        // The links into the Maven repository go now, so that no cleanup can follow them.
        try (var links = Files.list(home.resolve("jars"))) {
            for (Path link : (Iterable<Path>) links::iterator) {
                Files.deleteIfExists(link);
            }
        } catch (IOException e) {
            // nothing made yet, or already gone
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Set<String> classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(entry);
            if (entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry)) {
                    Manifest mf = jar.getManifest();
                    String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String url : cp.trim().split("\\s+")) {
                            entries.add(url.startsWith("file:") ? Path.of(URI.create(url)).toString()
                                    : Path.of(entry).toAbsolutePath().getParent().resolve(url).toString());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return entries;
    }
}
