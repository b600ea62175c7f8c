package org.aleph.kernel.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.aleph.kernel.UserErrorException;

/**
 * The outputs of one command, committed as a group: every file is first written completely to
 * a hidden temporary file in its target's folder ({@link #stage}); {@link #commit()} then
 * renames all of them over their targets, and either every target is replaced or none is.
 * A failure while staging or committing, or {@link #close()} without a commit, deletes every
 * temporary file and leaves every old target as it was.
 *
 * <p>Interrupted runs: a JVM shutdown hook (SIGINT, SIGTERM, {@code System.exit}) takes the
 * same lock as {@link #commit()}, so it either waits for a commit in progress to finish (a few
 * renames) or stops every group that has not committed: its temporaries are deleted and no
 * later stage or commit of it can happen. A commit that fails half way (a rename refused)
 * moves the old targets back from hard-link backups taken just before the renames.
 *
 * <p>Several targets may be staged at once from different threads (large outputs written in
 * parallel); each keeps the place in the commit order it had when its staging began, and
 * {@link #commit()} comes after every staging has returned.
 *
 * <p>Not fsynced: atomic against errors, signals and concurrent readers, not against a power cut.
 */
public final class OutputGroup implements AutoCloseable {

    /** One output: the option that named it (for messages) and its file. */
    public record Target(String option, Path path) {
    }

    private static final Object LOCK = new Object();
    private static final Set<OutputGroup> OPEN = new LinkedHashSet<>();
    private static boolean shuttingDown;
    private static boolean hookInstalled;

    private final List<Path> temps = new ArrayList<>();
    /** The temporary of each staged target, same index as {@link #targets}. */
    private final List<Path> staged = new ArrayList<>();
    private final List<Path> targets = new ArrayList<>();
    private final List<String> options = new ArrayList<>();
    private boolean finished;

    /** A new, empty group, registered with the shutdown hook. */
    public OutputGroup() {
        synchronized (LOCK) {
            if (!hookInstalled) {
                Thread hook = new Thread(OutputGroup::abandonAll, "aleph-output-cleanup");
                Runtime.getRuntime().addShutdownHook(hook);
                hookInstalled = true;
            }
            OPEN.add(this);
        }
    }

    /**
     * Writes {@code body} to a new temporary file next to {@code target}; the target itself is
     * untouched until {@link #commit()}.
     *
     * @param option the option that named the target, for messages (e.g. {@code --nngp})
     * @throws UserErrorException naming the option and the file when it cannot be written
     */
    public void stage(Path target, String option, AtomicFiles.Body body) {
        stageChannel(target, option, ch -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            body.writeTo(out);
            out.flush();
        });
    }

    /**
     * As {@link #stage(Path, String, AtomicFiles.Body)} for a body that writes to the temporary
     * file's channel itself (large binary outputs: no stream buffer in between).
     *
     * @param option the option that named the target, for messages (e.g. {@code --nngp})
     * @throws UserErrorException naming the option and the file when it cannot be written
     */
    public void stageChannel(Path target, String option, AtomicFiles.ChannelBody body) {
        try {
            stageRaw(target, option, body);
        } catch (AccessDeniedException e) {
            throw new UserErrorException(option + " " + target + ": permission denied", e);
        } catch (IOException e) {
            throw new UserErrorException(option + " " + target + ": cannot be written (" + e.getMessage() + ")", e);
        }
    }

    /** As {@link #stageChannel}, letting an {@link IOException} through. */
    void stageRaw(Path target, String option, AtomicFiles.ChannelBody body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path tmp = createTemp(absolute.getParent(), absolute.getFileName().toString());
        synchronized (LOCK) { // its place in the commit order is taken now, whichever thread finishes first
            staged.add(tmp);
            targets.add(absolute);
            options.add(option);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            body.writeTo(ch);
        } catch (IOException | RuntimeException | Error e) { // the group stays consistent: no temporary without its target
            synchronized (LOCK) {
                int at = staged.indexOf(tmp);
                if (at >= 0) {
                    staged.remove(at);
                    targets.remove(at);
                    options.remove(at);
                }
                temps.remove(tmp);
            }
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * Renames every staged file over its target: all or none. On failure the targets renamed
     * so far get their old content back (or are removed when they did not exist).
     *
     * @throws UserErrorException naming the output whose rename failed
     * @throws IllegalStateException when the run is being shut down (a signal arrived first)
     */
    public void commit() {
        synchronized (LOCK) {
            if (shuttingDown || finished) {
                cleanUp();
                throw new IllegalStateException(shuttingDown ? "interrupted: no output was written" : "the outputs were committed already");
            }
            int n = targets.size();
            Path[] backups = new Path[n];
            int renamed = 0;
            try {
                for (int i = 0; i < n; i++) {
                    backups[i] = backup(targets.get(i));
                }
                for (; renamed < n; renamed++) {
                    move(staged.get(renamed), targets.get(renamed));
                }
            } catch (IOException e) {
                for (int i = renamed - 1; i >= 0; i--) {
                    restore(backups[i], targets.get(i));
                }
                String option = options.get(Math.min(renamed, n - 1));
                throw new UserErrorException((option.isEmpty() ? "" : option + " ") + targets.get(Math.min(renamed, n - 1))
                        + ": cannot be written (" + e.getMessage() + "); no output was changed", e);
            } finally {
                for (Path b : backups) {
                    deleteQuietly(b);
                }
                cleanUp();
            }
        }
    }

    /**
     * Checks before any work is done that no output is another output or an input, comparing
     * real files (symbolic links and hard links resolved, {@link Files#isSameFile}), not path
     * strings. Null entries (options not given) are skipped.
     *
     * @throws UserErrorException naming both options and the file
     */
    public static void requireDistinct(List<Target> outputs, List<Target> inputs) {
        List<Target> seen = new ArrayList<>();
        for (Target out : outputs) {
            if (out == null || out.path() == null) {
                continue;
            }
            for (Target other : seen) {
                if (same(out.path(), other.path())) {
                    throw new UserErrorException(out.option() + " " + out.path() + ": this file is already another output ("
                            + other.option() + "); give each output its own file");
                }
            }
            for (Target in : inputs) {
                if (in != null && in.path() != null && same(out.path(), in.path())) {
                    throw new UserErrorException(out.option() + " " + out.path() + ": would overwrite an input file (" + in.option() + " "
                            + in.path() + "); write the output to another file");
                }
            }
            seen.add(out);
        }
    }

    /** True when two paths name the same file, existing or to be created. */
    static boolean same(Path a, Path b) {
        if (identity(a).equals(identity(b))) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The real path of a file, or of its folder and its name when it does not exist yet. */
    private static Path identity(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            if (Files.exists(abs)) {
                return abs.toRealPath();
            }
            Path parent = abs.getParent();
            return parent == null || abs.getFileName() == null ? abs : parent.toRealPath().resolve(abs.getFileName());
        } catch (IOException e) {
            return abs;
        }
    }

    /** The targets staged so far, in order. */
    public List<Path> targets() {
        synchronized (LOCK) {
            return List.copyOf(targets);
        }
    }

    /** Deletes the temporaries of a group that was not committed; the targets stay as they were. */
    @Override
    public void close() {
        synchronized (LOCK) {
            cleanUp();
        }
    }

    /**
     * What the shutdown hook does: stops every group that has not committed and deletes its
     * temporaries. Package-private for the tests.
     */
    static void abandonAll() {
        synchronized (LOCK) {
            shuttingDown = true;
            for (OutputGroup g : new ArrayList<>(OPEN)) {
                g.cleanUp();
            }
        }
    }

    /** Undoes {@link #abandonAll()} for the next test in the same JVM. Package-private for the tests. */
    static void resumeAfterTest() {
        synchronized (LOCK) {
            shuttingDown = false;
        }
    }

    private void cleanUp() {
        finished = true;
        for (Path t : temps) {
            deleteQuietly(t);
        }
        temps.clear();
        OPEN.remove(this);
    }

    /** A new empty file ".name.RANDOM.tmp" in dir, created under the lock so that a shutdown in progress wins. */
    private Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
            synchronized (LOCK) {
                if (shuttingDown || finished) {
                    throw new IOException("interrupted: no output was written");
                }
                try {
                    Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                    temps.add(tmp);
                    return tmp;
                } catch (FileAlreadyExistsException e) {
                    if (attempt > 100) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * A backup of an existing target taken without copying: a hard link to a regular file, a
     * copy of a symbolic link (the rename replaces the link, not the file it points to); null
     * when there is no target or links are not supported.
     */
    private static Path backup(Path target) throws IOException {
        if (Files.isSymbolicLink(target)) {
            Path b = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)
                    + ".bak");
            try {
                Files.createSymbolicLink(b, Files.readSymbolicLink(target));
                return b;
            } catch (UnsupportedOperationException | IOException e) {
                return null;
            }
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isDirectory(target)) {
                throw new IOException("it is a folder");
            }
            return null;
        }
        Path b = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".bak");
        try {
            Files.createLink(b, target);
            return b;
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
    }

    private static void restore(Path backup, Path target) {
        try {
            if (backup != null) {
                move(backup, target);
            } else {
                Files.deleteIfExists(target);
            }
        } catch (IOException e) {
            // nothing more can be done; the message of the failed commit says what happened
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary that cannot be deleted is left; nothing else was changed
            }
        }
    }
}
