package org.aleph.kernel.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Writes a file so that it is either complete or absent: a group of one ({@link OutputGroup}).
 * The bytes go to a hidden temporary file in the target's folder, which is renamed over the
 * target only after the last byte was written. On any failure the temporary file is deleted
 * and an existing target is left as it was; an interrupted run (SIGINT, SIGTERM) removes it
 * too. Commands with several outputs stage them all in one {@link OutputGroup} instead.
 */
public final class AtomicFiles {

    /** The body of a file, written to a stream that the caller does not close. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The body of a file, written to the channel of the temporary file (which the caller closes). */
    @FunctionalInterface
    public interface ChannelBody {
        void writeTo(FileChannel out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code body} to {@code target} atomically.
     *
     * @throws IOException when the folder is not writable or the body fails; the target is then untouched
     */
    public static void write(Path target, Body body) throws IOException {
        writeChannel(target, ch -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            body.writeTo(out);
            out.flush();
        });
    }

    /**
     * Writes {@code body}, which writes to a file channel, to {@code target} atomically.
     *
     * @throws IOException when the folder is not writable or the body fails; the target is then untouched
     */
    public static void writeChannel(Path target, ChannelBody body) throws IOException {
        try (OutputGroup group = new OutputGroup()) {
            group.stageRaw(target, "", body);
            try {
                group.commit();
            } catch (org.aleph.kernel.UserErrorException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
    }
}
