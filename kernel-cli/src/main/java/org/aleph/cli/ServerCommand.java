package org.aleph.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code aleph server}: lists this user's running {@link AlephServer}s (process id, resident
 * memory, runs served, working folder), read from their logs in the socket folder
 * ({@link ServerClient#socketFolder}); {@code --stop} stops them by deleting their sockets,
 * which each server notices within a second, and waits for them to exit.
 */
@Command(name = "server",
        sortOptions = false,
        description = {
            "Lists or stops this user's Aleph servers.",
            "By default a kernel, predict or classify run that finds no server for its folder, build and JVM options",
            "leaves one behind for the next runs (ALEPH_SERVER=0 turns this off, and so does CI in the environment);",
            "each stops after ALEPH_SERVER_IDLE seconds (600) without a run. See docs/performance.md, \"The server\".",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph server",
            "  aleph server --stop",
        })
public final class ServerCommand implements Callable<Integer> {

    /** How long {@code --stop} waits for the servers to exit. */
    private static final long STOP_WAIT_MS = 10_000;

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Option(names = "--stop", description = "Stop them all and wait until they have exited.")
    boolean stop;

    /** One running server: its process, its socket and what its log says. */
    record Running(long pid, Path socket, String folder, int runs) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path folder = ServerClient.socketFolder(aleph.environment());
        List<Running> servers = running(folder);
        if (stop) {
            for (Running r : servers) {
                Files.deleteIfExists(r.socket());
            }
            long deadline = System.nanoTime() + STOP_WAIT_MS * 1_000_000L;
            while (servers.stream().anyMatch(ServerCommand::alive) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long left = servers.stream().filter(ServerCommand::alive).count();
            if (left > 0) {
                spec.commandLine().getErr().printf(Locale.ROOT, "aleph: %d of %d servers still run %d s after their sockets were"
                        + " deleted (aleph server lists them)%n", left, servers.size(), STOP_WAIT_MS / 1000);
                return ExitCodes.INTERNAL_ERROR;
            }
            out.printf(Locale.ROOT, "stopped %d server%s%n", servers.size(), servers.size() == 1 ? "" : "s");
        } else if (servers.isEmpty()) {
            out.println("no server is running (sockets in " + folder + ")");
        } else {
            out.printf(Locale.ROOT, "%-8s %-8s %-6s %s%n", "pid", "memory", "runs", "folder");
            for (Running r : servers) {
                out.printf(Locale.ROOT, "%-8d %-8s %-6d %s%n", r.pid(), residentMemory(r.pid()), r.runs(), r.folder());
            }
            out.println("(sockets and logs in " + folder + "; aleph server --stop stops them)");
        }
        out.flush();
        return 0;
    }

    /** The servers whose socket exists and whose log's last start line names a live process. */
    static List<Running> running(Path folder) throws IOException {
        List<Running> servers = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return servers;
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(folder)) {
            logs = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        for (Path log : logs) {
            String name = log.getFileName().toString();
            Path socket = log.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".sock");
            Running last = lastStart(Files.readAllLines(log, StandardCharsets.UTF_8), socket);
            if (last != null && Files.exists(socket) && alive(last)) {
                servers.add(last);
            }
        }
        return servers;
    }

    /** The last server a log tells of (a log is appended to by every server of its socket), or null. */
    static Running lastStart(List<String> lines, Path socket) {
        Running last = null;
        int runs = 0;
        for (String line : lines) {
            if (line.startsWith(AlephServer.STARTED)) {
                String rest = line.substring(AlephServer.STARTED.length());
                int in = rest.indexOf(" in ");
                int stops = rest.lastIndexOf(", stops after ");
                if (in < 0 || stops < in) {
                    continue;
                }
                try {
                    last = new Running(Long.parseLong(rest.substring(0, in)), socket, rest.substring(in + 4, stops), 0);
                    runs = 0;
                } catch (NumberFormatException e) {
                    // not a line this class wrote
                }
            } else if (line.startsWith(AlephServer.EXIT)) {
                runs++;
            }
        }
        return last == null ? null : new Running(last.pid(), socket, last.folder(), runs);
    }

    private static boolean alive(Running r) {
        return ProcessHandle.of(r.pid()).map(p -> p.isAlive()
                && p.info().commandLine().map(c -> c.contains(AlephServer.class.getName())).orElse(true)).orElse(false);
    }

    /** VmRSS of /proc/PID/status, in MB, or "?" where there is no /proc. */
    private static String residentMemory(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Math.round(Long.parseLong(parts[1]) / 1024.0) + " MB";
                }
            }
        } catch (IOException | RuntimeException e) {
            // below
        }
        return "?";
    }
}
