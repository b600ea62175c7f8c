package org.aleph.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code aleph} launcher's side of {@link AlephServer}, with {@code ALEPH_SERVER=1}, where
 * Perl is missing: a JVM with one class path entry and no modules (about 0.15 s to start) that hands the command
 * line to the server of its folder and build, starting that server first when there is none,
 * and relays the server's output and exit status. Exits with
 * {@link ServerProtocol#NOT_SERVED_STATUS} when no server can take the run (busy, not
 * startable, a folder not private to the user): the launcher then runs the command as usual.
 *
 * <p>Arguments: the Aleph home folder, the launcher's start in clock ticks since boot, the
 * number of words of the server's JVM command line, those words (the launcher's own
 * {@code java ...} line for the command, ending in the server's main class), then the
 * {@code aleph} arguments. The launcher prefers kernel-cli/src/main/scripts/server-client.pl,
 * the same client in Perl (10-20 ms to start), and uses this class where Perl is missing.
 */
public final class ServerClient {

    /** How long a first run waits for the server it started to listen. */
    private static final long START_WAIT_MS = 30_000;

    private ServerClient() {
    }

    public static void main(String[] argv) {
        Path home = Path.of(argv[0]);
        double started = Double.parseDouble(argv[1]) / 100; // the launcher's start, in clock ticks since boot
        int words = Integer.parseInt(argv[2]);
        List<String> server = List.of(Arrays.copyOfRange(argv, 3, 3 + words));
        String[] args = Arrays.copyOfRange(argv, 3 + words, argv.length);
        try {
            System.exit(run(home, started, server, args));
        } catch (IOException | RuntimeException e) {
            System.exit(ServerProtocol.NOT_SERVED_STATUS);
        }
    }

    private static int run(Path home, double started, List<String> server, String[] args) throws IOException {
        Map<String, String> env = System.getenv();
        Path folder = privateFolder(env);
        if (folder == null) {
            return ServerProtocol.NOT_SERVED_STATUS;
        }
        String cwd = System.getProperty("user.dir");
        String key = key(home, cwd, server, env);
        Path socket = folder.resolve(key + ".sock");
        SocketChannel channel = connect(socket);
        if (channel == null) {
            Files.deleteIfExists(socket); // a server that died left its file
            start(server, socket, folder.resolve(key + ".log"), env);
            long deadline = System.currentTimeMillis() + START_WAIT_MS;
            while (channel == null && System.currentTimeMillis() < deadline) {
                sleep(5);
                channel = connect(socket);
            }
            if (channel == null) {
                return ServerProtocol.NOT_SERVED_STATUS;
            }
        }
        try (SocketChannel open = channel) {
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(ServerProtocol.output(open)));
            new ServerProtocol.Request(cwd, env, System.console() != null, started, List.of(args)).write(out);
            return relay(new DataInputStream(new java.io.BufferedInputStream(ServerProtocol.input(open))), folder.resolve(key + ".log"));
        }
    }

    private static int relay(DataInputStream in, Path log) throws IOException {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        boolean any = false;
        boolean stdoutOpen = true;
        boolean stderrOpen = true;
        while (true) {
            int type = in.read();
            if (type < 0) {
                if (!any) {
                    return ServerProtocol.NOT_SERVED_STATUS; // closed before answering: nothing ran
                }
                stderr.write(("aleph: the server running this command ended before it finished (its log: " + log + ")\n")
                        .getBytes(StandardCharsets.UTF_8));
                return ExitCodes.INTERNAL_ERROR;
            }
            any = true;
            byte[] b = in.readNBytes(in.readInt());
            switch (type) {
                case ServerProtocol.STDOUT -> stdoutOpen = write(stdout, b, stdoutOpen);
                case ServerProtocol.STDERR -> stderrOpen = write(stderr, b, stderrOpen);
                case ServerProtocol.EXIT -> {
                    return java.nio.ByteBuffer.wrap(b).getInt();
                }
                case ServerProtocol.NOT_SERVED -> {
                    return ServerProtocol.NOT_SERVED_STATUS;
                }
                default -> throw new IOException("unknown frame " + type);
            }
        }
    }

    /**
     * Writes to a standard stream that may have been closed by its reader ({@code | head -1}):
     * then its further bytes are dropped and the run goes on, as a JVM's System.out does.
     */
    private static boolean write(OutputStream stream, byte[] b, boolean open) {
        if (!open) {
            return false;
        }
        try {
            stream.write(b);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static SocketChannel connect(Path socket) {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel c = null;
        try {
            c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.connect(UnixDomainSocketAddress.of(socket));
            return c;
        } catch (IOException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
            return null;
        }
    }

    /** Starts the server in a session of its own (a Ctrl-C meant for this run never reaches it), output to its log. */
    private static void start(List<String> server, Path socket, Path log, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("setsid");
        command.addAll(server);
        command.add(socket.toString());
        command.add(env.getOrDefault("ALEPH_SERVER_IDLE", "600"));
        new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
    }

    /** Where this user's sockets and server logs are: {@code $XDG_RUNTIME_DIR}, else {@code $TMPDIR}, else /tmp, then {@code aleph-server-USER}. */
    static Path socketFolder(Map<String, String> env) {
        String base = env.getOrDefault("XDG_RUNTIME_DIR", env.getOrDefault("TMPDIR", "/tmp"));
        return Path.of(base, "aleph-server-" + System.getProperty("user.name"));
    }

    /**
     * The folder of this user's sockets, readable by no one else ({@code $XDG_RUNTIME_DIR} or
     * the temporary folder, {@code aleph-server-USER}); null when it exists with other rights.
     */
    private static Path privateFolder(Map<String, String> env) throws IOException {
        Path folder = socketFolder(env);
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(owner));
        }
        boolean mine = Files.getAttribute(folder, "unix:uid").equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        return mine && Files.getPosixFilePermissions(folder).equals(owner) ? folder : null;
    }

    /**
     * The socket's name: a hash of what makes two runs' JVMs differ, the working folder
     * (relative paths), the JVM command line, the build's jars and start-up files (name, size,
     * modification second), and the environment that the JVM and native libraries read once at
     * start (including the locale, time zone and home folder, which fix the JVM's encodings,
     * clock and JavaCPP's cache). kernel-cli/src/main/scripts/server-client.pl computes the same text and hash.
     */
    static String key(Path home, String cwd, List<String> server, Map<String, String> env) {
        StringBuilder text = new StringBuilder(cwd).append('\0').append(String.join("\0", server)).append('\0');
        for (String dir : new String[] {"kernel-cli/target/lib", "kernel-cli/target/startup"}) {
            String[] names = home.resolve(dir).toFile().list();
            if (names == null) {
                continue;
            }
            Arrays.sort(names);
            for (String name : names) {
                if (name.endsWith(".jar") || name.equals("aleph.jsa") || name.equals("boot-modules.txt")) {
                    java.io.File f = home.resolve(dir).resolve(name).toFile();
                    text.append(name).append(' ').append(f.length()).append(' ').append(f.lastModified() / 1000).append('\0');
                }
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String k = e.getKey();
            if (k.startsWith("OPENBLAS_") || k.startsWith("OMP_") || k.startsWith("MALLOC_") || k.startsWith("LD_")
                    || k.startsWith("JAVA_") || k.startsWith("JDK_") || k.startsWith("LC_") || k.equals("LANG")
                    || k.equals("TZ") || k.equals("HOME") || k.equals("TMPDIR") || k.equals("GLIBC_TUNABLES")
                    || k.equals("PATH") || k.equals("ALEPH_PLUGIN_PATH") || k.equals("ALEPH_SERVER_IDLE")) {
                text.append(k).append('=').append(e.getValue()).append('\0');
            }
        }
        return hash(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Three 32-bit FNV-1a hashes of the bytes with different offsets, 24 hex digits: a name, not
     * a secret (the folder's rights are the protection), and without java.security's providers,
     * which would add 10-15 ms to every run's start.
     */
    static String hash(byte[] text) {
        StringBuilder hex = new StringBuilder();
        for (int h : new int[] {0x811c9dc5, 0x050c5d1f, 0x2b6b8f3d}) {
            for (byte b : text) {
                h = (h ^ (b & 0xff)) * 16777619;
            }
            String part = Integer.toHexString(h);
            hex.append("0".repeat(8 - part.length())).append(part);
        }
        return hex.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
