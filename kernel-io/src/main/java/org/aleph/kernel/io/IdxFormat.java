package org.aleph.kernel.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.aleph.kernel.UserErrorException;

/**
 * Reads the IDX format of the MNIST family (LeCun et al., "THE MNIST DATABASE of
 * handwritten digits"): a big-endian magic number {@code 0x0000TTDD} (TT the element type,
 * 0x08 = unsigned byte; DD the number of dimensions), DD big-endian int32 sizes, then the
 * elements in C order. Gzip-compressed files (magic bytes 1f 8b) are decompressed on the fly.
 * Only unsigned-byte data is accepted, which is what every MNIST-family file holds.
 */
public final class IdxFormat {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFormat() {
    }

    /** An IDX array: its dimensions and its unsigned bytes (0-255) in C order, at most {@code limit} items. */
    public record Array(int[] dims, byte[] data) {
        /** The number of items along the first dimension (images or labels) that were read. */
        public int items() {
            return dims[0];
        }

        /** The number of values per item (rows x cols for images, 1 for labels). */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) {
                s *= dims[i];
            }
            return s;
        }
    }

    /**
     * Reads the first {@code limit} items of an IDX file (all when limit &lt; 0).
     *
     * @throws UserErrorException naming the file when it is missing, truncated or not IDX
     */
    public static Array read(Path file, int limit) {
        return read(file, limit, false);
    }

    /**
     * The dimensions the header of an IDX file announces (the first one: the number of items),
     * read without the data, so that the counts of an images file and its labels file can be
     * compared before anything else is read.
     *
     * @throws UserErrorException naming the file when it is missing or not IDX
     */
    public static int[] dims(Path file) {
        return read(file, 0, true).dims();
    }

    private static Array read(Path file, int limit, boolean headerOnly) {
        boolean regular = Files.isRegularFile(file);
        try (InputStream raw = new BufferedInputStream(MatrixFiles.bounded(Files.newInputStream(file), regular, "IDX", file.toString()),
                1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic = data.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE || (magic & 0xff) < 1 || (magic & 0xff) > 4) {
                throw new UserErrorException(file + ": not an IDX file of unsigned bytes (magic number 0x"
                        + Integer.toHexString(magic) + ", expected 0x0000080N)");
            }
            int[] dims = new int[magic & 0xff];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 0) {
                    throw new UserErrorException(file + ": negative dimension " + dims[i] + " in the IDX header");
                }
            }
            if (headerOnly) {
                return new Array(dims, new byte[0]);
            }
            int items = limit < 0 ? dims[0] : Math.min(limit, dims[0]);
            long size = 1;
            for (int i = 1; i < dims.length; i++) {
                size *= dims[i];
            }
            long total = size * items;
            if (total > Integer.MAX_VALUE - 16) {
                throw new UserErrorException(file + ": " + items + " items of " + size + " values are too many to load at once; use fewer");
            }
            Runtime rt = Runtime.getRuntime();
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (9 * total > free) { // the bytes and their doubles
                throw new UserErrorException(String.format(java.util.Locale.ROOT, "%s: %d items of %d values need about %.1f GiB but Java"
                        + " may use only %.1f GiB more; use fewer samples or give Java more heap (-Xmx; for ./aleph: ALEPH_JAVA_OPTS=-Xmx...)",
                        file, items, size, 9 * total / 1073741824.0, free / 1073741824.0));
            }
            byte[] bytes = new byte[(int) total];
            data.readFully(bytes);
            int[] readDims = dims.clone();
            readDims[0] = items;
            return new Array(readDims, bytes);
        } catch (NoSuchFileException e) {
            throw new UserErrorException(file + ": no such file");
        } catch (EOFException e) {
            throw new UserErrorException(file + ": the file ends before the data its IDX header announces (truncated?)");
        } catch (IOException e) {
            throw new UserErrorException(file + ": cannot be read as IDX (" + e.getMessage() + ")");
        }
    }

    /**
     * The labels file of an MNIST-named images file: {@code train-images-idx3-ubyte.gz} gives
     * {@code train-labels-idx1-ubyte.gz} in the same folder; null when the name does not follow
     * the rule.
     */
    public static Path labelsFor(Path images) {
        String name = images.getFileName().toString();
        if (!name.contains("-images-idx3-ubyte")) {
            return null;
        }
        return images.resolveSibling(name.replace("-images-idx3-ubyte", "-labels-idx1-ubyte"));
    }

    /** True when the file name looks like IDX ({@code ...-idx3-ubyte}, {@code .idx}, with or without .gz). */
    public static boolean looksLikeIdx(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        return name.matches(".*idx\\d-ubyte") || name.endsWith(".idx") || name.endsWith("-ubyte");
    }
}
