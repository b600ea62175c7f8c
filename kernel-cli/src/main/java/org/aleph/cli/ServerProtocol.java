package org.aleph.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages between {@link ServerClient} and {@link AlephServer} over a Unix domain socket
 * (docs/performance.md, "The server"): one {@link Request}, then frames back, each a type
 * byte, a length and that many bytes: standard output, standard error, and last the exit
 * status; or a single {@link #NOT_SERVED} frame, after which the client runs the command in a
 * JVM of its own.
 */
final class ServerProtocol {

    /** First int of a request; changes with any change of the format. */
    static final int MAGIC = 0x41_4C_01_01;
    /** Bytes for the client's standard output. */
    static final byte STDOUT = 1;
    /** Bytes for the client's standard error. */
    static final byte STDERR = 2;
    /** The command's exit status (4 bytes); the last frame. */
    static final byte EXIT = 3;
    /** The server does not run this request (busy, another folder); nothing was run. */
    static final byte NOT_SERVED = 4;
    /** The client's exit status for "not served": the launcher then starts the command's own JVM. */
    static final int NOT_SERVED_STATUS = 75;

    private ServerProtocol() {
    }

    /**
     * One command run: the client's working folder, its environment, whether its standard
     * error is a terminal, the seconds since boot at which its process started (for
     * ALEPH_TIMING's start-up), and the arguments.
     */
    record Request(String cwd, Map<String, String> environment, boolean terminal, double startedAtUptime, List<String> args) {

        void write(DataOutputStream out) throws IOException {
            out.writeInt(MAGIC);
            writeLong(out, cwd);
            out.writeInt(environment.size());
            for (Map.Entry<String, String> e : environment.entrySet()) {
                writeLong(out, e.getKey());
                writeLong(out, e.getValue());
            }
            out.writeBoolean(terminal);
            out.writeDouble(startedAtUptime);
            out.writeInt(args.size());
            for (String a : args) {
                writeLong(out, a);
            }
            out.flush();
        }

        static Request read(DataInputStream in) throws IOException {
            if (in.readInt() != MAGIC) {
                throw new IOException("not an aleph request of this version");
            }
            String cwd = readLong(in);
            int envSize = in.readInt();
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < envSize; i++) {
                env.put(readLong(in), readLong(in));
            }
            boolean terminal = in.readBoolean();
            double started = in.readDouble();
            int n = in.readInt();
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                args.add(readLong(in));
            }
            return new Request(cwd, env, terminal, started, args);
        }
    }

    /** A string as its length and UTF-8 bytes (writeUTF stops at 64 KB, and a spec or an environment value may be longer). */
    private static void writeLong(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readLong(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 26)) {
            throw new IOException("string of " + n + " bytes in a request");
        }
        return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes one frame (thread-safe: frames from several threads never interleave). */
    static void frame(OutputStream out, byte type, byte[] b, int off, int len) throws IOException {
        synchronized (out) {
            out.write(type);
            out.write(len >>> 24);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
            out.write(b, off, len);
            out.flush();
        }
    }

    /**
     * A stream reading the socket with {@link java.nio.channels.SocketChannel#read} directly:
     * {@code Channels.newInputStream} holds the channel's blocking lock while it waits, and
     * {@code Channels.newOutputStream} needs the same lock to write, so a thread waiting for
     * the client's hang-up would stop every write of the run.
     */
    static java.io.InputStream input(java.nio.channels.SocketChannel channel) {
        return new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                return channel.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /** A stream writing the socket with {@link java.nio.channels.SocketChannel#write} directly (see {@link #input}). */
    static OutputStream output(java.nio.channels.SocketChannel channel) {
        return new BlockOutput() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        };
    }

    /** An output stream whose every write becomes one frame of the given type. */
    static OutputStream framing(OutputStream socket, byte type) {
        return new BlockOutput() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    frame(socket, type, b, off, len);
                }
            }
        };
    }

    /** An output stream that writes single bytes as blocks of one. */
    private abstract static class BlockOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}
