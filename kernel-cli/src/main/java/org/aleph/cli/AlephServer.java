package org.aleph.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A JVM that stays up between {@code aleph} runs and runs their commands, so that a sequence
 * of runs (a sweep over hyperparameters, a shell loop) pays the JVM's start-up and the JIT's
 * warm-up once instead of every time (docs/performance.md, "The server"). Started by the
 * launcher's client: by default after a run that found no server, warmed up on that run's
 * network ({@link ServerWarmUp}) before it takes requests; with {@code ALEPH_SERVER=1} for the
 * run that found none; never with {@code ALEPH_SERVER=0}, or by default when {@code CI} is set.
 *
 * <p>It listens on a Unix domain socket in a folder only its user can enter, named after
 * everything that makes two runs' JVMs differ (the working folder, the JVM command line, the
 * build, the environment native libraries read at start), so a request always lands in a JVM
 * that the client's own launch would have made the same. One command runs at a time; a
 * request that comes while one runs is answered {@link ServerProtocol#NOT_SERVED} and the
 * client runs it in a JVM of its own. The command's standard output and error go back to the
 * client, its environment is the client's, and its exit status becomes the client's.
 *
 * <p>If the client goes away during a run (Ctrl-C, kill), the server exits as a killed
 * {@code aleph} process would: the output groups' shutdown hook removes the temporary files,
 * and no output is committed. It also exits after {@code idleSeconds} without a request,
 * or when its socket file is deleted (which is how to stop it at once).
 */
public final class AlephServer {

    /** How the log line that a server writes when it starts listening begins ({@link ServerCommand} reads it). */
    static final String STARTED = "aleph-server: started, pid ";
    /** How the log line of each finished run begins. */
    static final String EXIT = "aleph-server: exit ";

    /** The server's own standard output (its log file), kept while runs redirect System.out. */
    private static final PrintStream LOG = System.out;

    private final Path socket;
    private final long idleNanos;
    private final AtomicBoolean busy = new AtomicBoolean();
    /**
     * Every run on the same thread: with a new thread per run the Gram of a served n = 1000 run
     * took 0.06-0.075 s instead of 0.033-0.043 s (per-thread state of native code, such as
     * OpenBLAS's for its calling thread, set up again each time; docs/performance.md).
     */
    private final java.util.concurrent.ExecutorService runner = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aleph-server-run");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastUse = System.nanoTime();

    private AlephServer(Path socket, long idleSeconds) {
        this.socket = socket;
        this.idleNanos = idleSeconds * 1_000_000_000L;
    }

    /**
     * {@code AlephServer SOCKET IDLE_SECONDS [ALEPH_ARG...]}: with the command line of the run
     * that started it (the launcher's default mode), the server warms up on that run's network
     * ({@link ServerWarmUp}) before it takes requests; requests that come meanwhile are not served.
     */
    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        long idle = Long.parseLong(args[1]);
        java.util.List<String> warmUp = java.util.List.of(args).subList(2, args.length);
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            System.exit(0); // another server took this socket first
            return;
        }
        AlephServer server = new AlephServer(socket, idle);
        LOG.printf(java.util.Locale.ROOT, "%s%d in %s, stops after %d idle seconds%n", STARTED, ProcessHandle.current().pid(),
                System.getProperty("user.dir"), idle);
        Object inode = Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (server.sameFile(inode)) { // not a newer server's socket at the same path
                    Files.delete(socket);
                }
            } catch (IOException e) {
                // a stale socket file is refused by the next client, which removes it
            }
        }, "aleph-server-socket"));
        if (!warmUp.isEmpty()) {
            server.warmUp(warmUp);
        }
        server.serve(listener, inode);
        System.exit(0);
    }

    private void serve(ServerSocketChannel listener, Object inode) throws IOException {
        listener.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            listener.register(selector, SelectionKey.OP_ACCEPT);
            while (true) {
                selector.select(1000);
                selector.selectedKeys().clear();
                SocketChannel client;
                while ((client = listener.accept()) != null) {
                    client.configureBlocking(true);
                    if (busy.compareAndSet(false, true)) {
                        SocketChannel c = client;
                        runner.execute(() -> run(c));
                    } else {
                        refuse(client);
                    }
                }
                if (!busy.get() && (System.nanoTime() - lastUse > idleNanos || !sameFile(inode))) {
                    return;
                }
            }
        }
    }

    /** Runs {@link ServerWarmUp} on the runner thread, the server busy meanwhile. */
    private void warmUp(java.util.List<String> args) {
        busy.set(true);
        runner.execute(() -> {
            long started = System.nanoTime();
            try {
                int runs = ServerWarmUp.run(args, System.getenv(), Path.of(System.getProperty("java.io.tmpdir")));
                LOG.printf(java.util.Locale.ROOT, "aleph-server: warmed up (%d run%s) in %.3f s%n", runs, runs == 1 ? "" : "s",
                        (System.nanoTime() - started) / 1e9);
            } finally {
                lastUse = System.nanoTime();
                busy.set(false);
                System.gc();
            }
        });
    }

    /** Whether {@code folder} is the folder this process works in (not one made at its path after it was deleted). */
    private static boolean sameFolder(String folder) {
        try {
            Object mine = Files.readAttributes(Path.of("/proc/self/cwd"), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            Object theirs = Files.readAttributes(Path.of(folder), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return mine == null || mine.equals(theirs);
        } catch (IOException e) {
            return !Files.exists(Path.of("/proc/self"));   // no /proc: not checkable here; a deleted folder: not the same
        }
    }

    /** Whether the socket file is still the one this server bound (not deleted, not replaced). */
    private boolean sameFile(Object inode) {
        try {
            Object now = Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return inode == null || inode.equals(now);
        } catch (IOException e) {
            return false;
        }
    }

    private static void refuse(SocketChannel client) {
        try (client) {
            OutputStream out = new java.io.BufferedOutputStream(ServerProtocol.output(client), 1 << 16);
            ServerProtocol.frame(out, ServerProtocol.NOT_SERVED, new byte[0], 0, 0);
        } catch (IOException e) {
            // the client sees the closed socket as "not served" too
        }
    }

    private void run(SocketChannel client) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        InputStream stdin = System.in;
        try (client) {
            DataInputStream in = new DataInputStream(ServerProtocol.input(client));
            OutputStream out = new java.io.BufferedOutputStream(ServerProtocol.output(client), 1 << 16);
            ServerProtocol.Request request = ServerProtocol.Request.read(in);
            if (!request.cwd().equals(System.getProperty("user.dir"))) {
                ServerProtocol.frame(out, ServerProtocol.NOT_SERVED, new byte[0], 0, 0);
                return;
            }
            if (!sameFolder(request.cwd())) {
                // this server's working folder was deleted and another made at its path: relative
                // paths would reach the deleted one, so the run goes to a JVM of its own and the
                // server stops (the next run that finds no server starts one in the new folder)
                LOG.println("aleph-server: the working folder was replaced; stopping");
                ServerProtocol.frame(out, ServerProtocol.NOT_SERVED, new byte[0], 0, 0);
                Files.deleteIfExists(socket);
                return;
            }
            AtomicBoolean running = new AtomicBoolean(true);
            watchForHangUp(in, running);
            long started = System.nanoTime();
            LOG.println("aleph-server: running " + String.join(" ", request.args()));
            PrintStream runOut = new PrintStream(new java.io.BufferedOutputStream(ServerProtocol.framing(out, ServerProtocol.STDOUT), 1 << 16), false);
            PrintStream runErr = new PrintStream(ServerProtocol.framing(out, ServerProtocol.STDERR), true);
            System.setOut(runOut);
            System.setErr(runErr);
            System.setIn(InputStream.nullInputStream());
            ProgressReporter.clientTerminal = request.terminal();
            ProcessStart.clientStartedAtUptime = request.startedAtUptime();
            int status;
            try {
                status = Aleph.run(request.args().toArray(String[]::new), request.environment());
            } finally {
                runOut.flush();
                runErr.flush();
                System.setOut(stdout);
                System.setErr(stderr);
                System.setIn(stdin);
                ProgressReporter.clientTerminal = null;
                ProcessStart.clientStartedAtUptime = Double.NaN;
            }
            running.set(false);
            LOG.printf(java.util.Locale.ROOT, EXIT + "%d after %.3f s%n", status, (System.nanoTime() - started) / 1e9);
            byte[] code = java.nio.ByteBuffer.allocate(4).putInt(status).array();
            ServerProtocol.frame(out, ServerProtocol.EXIT, code, 0, 4);
        } catch (IOException e) {
            LOG.println("aleph-server: lost the client (" + e.getMessage() + ")");
        } catch (Throwable e) {
            LOG.println("aleph-server: stopping after " + e);
            System.exit(ExitCodes.INTERNAL_ERROR); // state unknown after an error a command let through: start afresh
        } finally {
            lastUse = System.nanoTime();
            busy.set(false);
            System.gc(); // hand the run's arrays back before the next request (or the idle wait)
        }
    }

    /**
     * The client sends nothing after its request, so a read that returns means it closed the
     * socket: while the command runs, the server then exits as a killed {@code aleph} would
     * (exit status 130, shutdown hooks removing temporary outputs). After the run (the client
     * closes on the exit frame) or when the run closes the socket itself, nothing happens.
     */
    private static void watchForHangUp(DataInputStream in, AtomicBoolean running) {
        Thread watch = new Thread(() -> {
            try {
                if (in.read() < 0 && running.get()) {
                    LOG.println("aleph-server: the client hung up during the run; exiting without committing its outputs");
                    System.exit(130);
                }
            } catch (IOException e) {
                // closed by the run's end
            }
        }, "aleph-server-hangup");
        watch.setDaemon(true);
        watch.start();
    }
}
