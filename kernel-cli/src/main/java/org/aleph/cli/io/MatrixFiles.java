package org.aleph.cli.io;

import java.io.BufferedReader;
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
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * Reads and writes matrices in the format named by the file's extension: {@code .csv}
 * ({@link CsvFormat}) or {@code .npy} ({@link NpyFormat}). Writes are atomic
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

    private MatrixFiles() {
    }

    /**
     * Reads a matrix, one sample per row.
     *
     * @param option the option the path was given to (e.g. {@code --x1}), for messages
     */
    public static Matrix read(Path path, String option) {
        Format format = Format.of(path, option);
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new UserErrorException(option + " " + name + ": is a folder, not a file");
        }
        try {
            if (format == Format.CSV) {
                try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1)) {
                    return CsvFormat.read(in, name);
                }
            }
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > Integer.MAX_VALUE - 8) {
                    throw new UserErrorException(name + ": " + size + " bytes is too large to read (at most 2 GB)");
                }
                ByteBuffer buf = ByteBuffer.allocate((int) size);
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // keep reading
                }
                buf.flip();
                return NpyFormat.read(buf, name);
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
     * Checks before any work is done that a matrix can be written to the path: known
     * extension, existing folder, not a folder itself.
     */
    public static void checkWritable(Path path, String option) {
        Format.of(path, option);
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
        Format format = Format.of(path, option);
        write(path, option, out -> {
            if (format == Format.CSV) {
                CsvFormat.write(m, out);
            } else {
                NpyFormat.write(m, out);
            }
        });
    }

    /** Writes a vector atomically: a column in CSV, a 1-D array in .npy. */
    public static void writeVector(Path path, double[] v, String option) {
        Format format = Format.of(path, option);
        write(path, option, out -> {
            if (format == Format.CSV) {
                CsvFormat.writeColumn(v, out);
            } else {
                NpyFormat.writeVector(v, out);
            }
        });
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
}
