package org.aleph.kernel.io;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * Reads and writes matrices in the format named by the file's extension: {@code .csv}
 * ({@link CsvFormat}) or {@code .npy} ({@link NpyFormat}); the entry point for library users
 * ({@code MatrixFiles.read(Path.of("x.npy"), "x")}, {@code MatrixFiles.write(path, m, "K")}),
 * where the second argument is the label messages give the file (the command line passes
 * the option's name, e.g. {@code --x1}). Writes are atomic
 * ({@link AtomicFiles}); every user mistake (missing file, unknown extension, bad content)
 * becomes a {@link UserErrorException} naming the file and the option it came from.
 */
public final class MatrixFiles {

    /** A file format, chosen by extension. */
    public enum Format {
        /** Comma-separated text. */
        CSV,
        /** NumPy binary. */
        NPY;

        /**
         * The format of a path by its extension (case-insensitive).
         *
         * @param option the option the path was given to, for the message
         */
        public static Format of(Path path, String option) {
            String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) {
                return CSV;
            }
            if (name.endsWith(".npy")) {
                return NPY;
            }
            int dot = name.lastIndexOf('.');
            throw new UserErrorException(option + " " + path + ": " + (dot < 0 ? "the file name has no extension"
                    : "unknown file type '" + name.substring(dot) + "'") + "; name it .csv or .npy");
        }
    }

    /** The most a non-regular input file (pipe, device) may supply. */
    public static final long MAX_STREAM_BYTES = 256L << 20;

    private MatrixFiles() {
    }

    /**
     * Reads a matrix, one sample per row (the trailing axes of a {@code .npy} flattened in C order).
     *
     * @param option the option the path was given to (e.g. {@code --x1}), for messages
     */
    public static Matrix read(Path path, String option) {
        return readArray(path, option).matrix();
    }

    /**
     * Reads input samples and, when they are images, their shape: a {@code .npy} of shape
     * (n, H, W, C) gives H x W x C images, (n, H, W) gives H x W x 1; a 2-D file (CSV or
     * {@code .npy}) holds images only when {@code given} (from {@code shapeOption}) says so,
     * and then must have H W C columns.
     *
     * @param option      the option the path was given to (e.g. {@code --x1}), for messages
     * @param given       the shape from {@code --shape}, or null
     * @param shapeOption the name of that option, for messages
     * @throws UserErrorException naming the file and the option when the file's shape and
     *                            {@code given} disagree or its rows do not hold one image each
     */
    public static Inputs readInputs(Path path, String option, ImageShape given, String shapeOption) {
        NpyFormat.Array a = readArray(path, option);
        Matrix m = a.matrix();
        long[] s = a.shape();
        ImageShape own = null;
        if ((s.length == 3 || s.length == 4) && s[0] > 0) { // an empty file is refused later, as without images
            if (s[1] < 1 || s[2] < 1 || (s.length == 4 && s[3] < 1)) {
                throw new UserErrorException(option + " " + path + ": images of shape " + shapeText(s)
                        + " have an empty axis; every image dimension must be at least 1");
            }
            own = new ImageShape((int) s[1], (int) s[2], s.length == 4 ? (int) s[3] : 1);
        }
        if (given == null) {
            return new Inputs(m, own, path, option);
        }
        if (own != null) {
            if (!own.equals(given)) {
                throw new UserErrorException(option + " " + path + " holds images of shape " + shapeText(s) + ", that is "
                        + own + ", but " + shapeOption + " says " + given + "; leave " + shapeOption + " out or make them agree");
            }
            return new Inputs(m, own, path, option);
        }
        if (m.rows() > 0 && m.cols() != given.features()) {
            throw new UserErrorException(option + " " + path + " has " + m.cols() + " value" + (m.cols() == 1 ? "" : "s")
                    + " per row but " + shapeOption + " " + given.height() + "," + given.width() + "," + given.channels()
                    + " needs H*W*C = " + given.features());
        }
        return new Inputs(m, m.rows() > 0 ? given : null, path, option);
    }

    private static String shapeText(long[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : ", ").append(s[i]);
        }
        return b.append(')').toString();
    }

    private static NpyFormat.Array readArray(Path path, String option) {
        Format format = Format.of(path, option);
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new UserErrorException(option + " " + name + ": is a folder, not a file");
        }
        boolean regular = Files.isRegularFile(path);
        try {
            if (format == Format.CSV) {
                if (regular) {
                    requireHeap(Files.size(path) * 3, option, name);
                }
                try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        bounded(Files.newInputStream(path), regular, option, name), StandardCharsets.ISO_8859_1), 1 << 16)) {
                    Matrix m = CsvFormat.read(in, name);
                    return new NpyFormat.Array(m, new long[] {m.rows(), m.cols()});
                }
            }
            if (!regular) {
                try (InputStream in = bounded(Files.newInputStream(path), false, option, name)) {
                    byte[] head = in.readNBytes(16); // refuse a stream that is not .npy before reading all of it
                    NpyFormat.checkMagic(ByteBuffer.wrap(java.util.Arrays.copyOf(head, Math.max(head.length, 10))).limit(head.length), name);
                    byte[] rest = in.readAllBytes();
                    byte[] all = java.util.Arrays.copyOf(head, head.length + rest.length);
                    System.arraycopy(rest, 0, all, head.length, rest.length);
                    return NpyFormat.readArray(ByteBuffer.wrap(all), name);
                }
            }
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                NpyHeader h = NpyFormat.header(ch, name);
                requireHeap(8L * h.count(), option, name);
                return NpyFormat.readData(ch, h, name);
            }
        } catch (NoSuchFileException e) {
            throw new UserErrorException(option + " " + name + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new UserErrorException(option + " " + name + ": permission denied", e);
        } catch (IOException e) {
            throw new UserErrorException(option + " " + name + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A stream that refuses to supply more than {@value #MAX_STREAM_BYTES} bytes when the file
     * is not a regular one (a pipe, a device such as /dev/urandom, a socket): what such a file
     * holds is not known in advance, and it may never end.
     */
    public static InputStream bounded(InputStream in, boolean regular, String option, String name) {
        if (regular) {
            return in;
        }
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    check(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    check(n);
                }
                return n;
            }

            private void check(int n) {
                count += n;
                if (count > MAX_STREAM_BYTES) {
                    throw new UserErrorException(option + " " + name + ": is not a regular file (a pipe or a device) and supplies more than "
                            + (MAX_STREAM_BYTES >> 20) + " MiB; save the data to a file first");
                }
            }
        };
    }

    /** Refuses a read that would need more than the free heap, with the size and what to change. */
    private static void requireHeap(long bytes, String option, String name) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            long gib = (long) Math.ceil((rt.maxMemory() - free + bytes) * 1.2 / 1073741824.0);
            throw new UserErrorException(String.format(Locale.ROOT, "%s %s: reading it needs about %.1f GiB but Java may use only %.1f GiB"
                    + " more; give Java more heap with -Xmx%dg (for ./aleph: ALEPH_JAVA_OPTS=-Xmx%dg) or use a smaller file", option, name,
                    bytes / 1073741824.0, free / 1073741824.0, gib, gib));
        }
    }

    /**
     * Checks before any work is done that a matrix can be written to the path: known
     * extension, existing folder, not a folder itself.
     */
    public static void checkWritable(Path path, String option) {
        Format.of(path, option);
        checkFolder(path, option);
    }

    /** The checks of {@link #checkWritable} that do not depend on the file's format. */
    static void checkFolder(Path path, String option) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UserErrorException(option + " " + path + ": the folder " + parent + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new UserErrorException(option + " " + path + ": is a folder, not a file");
        }
        if (!Files.isWritable(parent)) {
            throw new UserErrorException(option + " " + path + ": the folder " + parent + " is not writable");
        }
    }

    /** Writes a matrix atomically in the format of the extension. */
    public static void write(Path path, Matrix m, String option) {
        if (Format.of(path, option) == Format.CSV) {
            write(path, option, out -> CsvFormat.write(m, out));
        } else {
            writeBinary(path, option, out -> NpyFormat.write(m, out));
        }
    }

    /** Writes a vector atomically: a column in CSV, a 1-D array in .npy. */
    public static void writeVector(Path path, double[] v, String option) {
        if (Format.of(path, option) == Format.CSV) {
            write(path, option, out -> CsvFormat.writeColumn(v, out));
        } else {
            writeBinary(path, option, out -> NpyFormat.writeVector(v, out));
        }
    }

    /** Stages a matrix in {@code group} in the format of the extension; the file appears at the group's commit. */
    public static void stage(OutputGroup group, Path path, Matrix m, String option) {
        if (Format.of(path, option) == Format.CSV) {
            group.stage(path, option, out -> CsvFormat.write(m, out));
        } else {
            group.stageChannel(path, option, out -> NpyFormat.write(m, out));
        }
    }

    /** Stages a vector in {@code group}: a column in CSV, a 1-D array in .npy. */
    public static void stageVector(OutputGroup group, Path path, double[] v, String option) {
        if (Format.of(path, option) == Format.CSV) {
            group.stage(path, option, out -> CsvFormat.writeColumn(v, out));
        } else {
            group.stageChannel(path, option, out -> NpyFormat.writeVector(v, out));
        }
    }

    private static void write(Path path, String option, AtomicFiles.Body body) {
        try {
            AtomicFiles.write(path, body);
        } catch (AccessDeniedException e) {
            throw new UserErrorException(option + " " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new UserErrorException(option + " " + path + ": cannot be written (" + e.getMessage() + ")", e);
        }
    }

    private static void writeBinary(Path path, String option, AtomicFiles.ChannelBody body) {
        try {
            AtomicFiles.writeChannel(path, body);
        } catch (AccessDeniedException e) {
            throw new UserErrorException(option + " " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new UserErrorException(option + " " + path + ": cannot be written (" + e.getMessage() + ")", e);
        }
    }
}
