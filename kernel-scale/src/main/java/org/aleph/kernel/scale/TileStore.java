package org.aleph.kernel.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.aleph.kernel.UserErrorException;

/**
 * Kernel tiles as files in a job folder under a work folder, one file per tile, read through
 * memory maps. A file is a 64-byte header (magic, job id, block indices, shape, CRC32C of the
 * payload, bytes per entry) followed by the tile in row-major little-endian float32 or float64
 * ({@link TilePrecision}; the precision is also part of the job id, so the two never share a folder). A tile is written to a
 * hidden temporary file and renamed when complete, so an interrupted run leaves either a whole
 * tile or none; a tile counts as present only when its header names this job and this shape
 * and its payload matches the checksum, so a corrupted tile is recomputed rather than read.
 *
 * <p>The job folder is {@code job-<id>} with the job id a hash of everything the tiles depend on
 * (network, data, kernel, block size), so reruns of the same job reuse its tiles and other
 * jobs never read them.
 */
public final class TileStore {

    static final int HEADER = 64;
    private static final long MAGIC = 0x314c4954_48504c41L; // "ALPHTIL1" little-endian
    /** Free space kept beyond the tiles, so the file system is never filled to the last byte. */
    static final long MARGIN = 64L << 20;

    private final Path folder;
    private final long job;
    private final String kind;
    private final TilePrecision precision;
    /** Free bytes to assume instead of asking the file system (tests), or -1. */
    private final long assumedFree;

    private TileStore(Path folder, long job, String kind, TilePrecision precision, long assumedFree) {
        this.folder = folder;
        this.job = job;
        this.kind = kind;
        this.precision = precision;
        this.assumedFree = assumedFree;
    }

    /** The same store pretending that its file system has only the given free bytes (for tests). */
    TileStore withFreeSpace(long bytes) {
        return new TileStore(folder, job, kind, precision, bytes);
    }

    /**
     * Opens (creating when needed) the folder of a job under {@code workDir} and checks that it
     * is writable.
     *
     * @param kind a short name of the stored kernel, part of every file name (e.g. "nngp")
     * @throws UserErrorException when the work folder cannot be created or written
     */
    public static TileStore open(Path workDir, long job, String kind) {
        return open(workDir, job, kind, TilePrecision.FLOAT64);
    }

    /**
     * Opens (creating when needed) the folder of a job under {@code workDir} whose tiles are
     * stored in the given precision, and checks that it is writable.
     *
     * @throws UserErrorException when the work folder cannot be created or written
     */
    public static TileStore open(Path workDir, long job, String kind, TilePrecision precision) {
        Path folder = workDir.resolve(String.format(Locale.ROOT, "job-%016x", job));
        try {
            if (Files.exists(workDir) && !Files.isDirectory(workDir)) {
                throw new UserErrorException("the work folder " + workDir + " is a file, not a folder; give a folder with --work-dir");
            }
            Files.createDirectories(folder);
            try (Stream<Path> stale = Files.list(folder)) { // temporaries of an interrupted write
                for (Path t : (Iterable<Path>) stale.filter(f -> f.getFileName().toString().endsWith(".tmp"))::iterator) {
                    Files.deleteIfExists(t);
                }
            }
            Path probe = Files.createTempFile(folder, ".probe", ".tmp");
            Files.delete(probe);
        } catch (FileAlreadyExistsException e) {
            throw new UserErrorException("the work folder " + workDir + " cannot be created: " + e.getFile()
                    + " exists and is not a folder; give another folder with --work-dir");
        } catch (AccessDeniedException e) {
            throw new UserErrorException("the work folder " + workDir + " is not writable (" + e.getFile()
                    + "); give a writable folder with --work-dir");
        } catch (IOException e) {
            throw new UserErrorException("the work folder " + workDir + " cannot be used: " + e.getMessage()
                    + "; give a writable folder with --work-dir");
        }
        return new TileStore(folder, job, kind, precision, -1);
    }

    /** The job folder holding the tiles. */
    public Path folder() {
        return folder;
    }

    /** The precision of the stored entries. */
    public TilePrecision precision() {
        return precision;
    }

    /** The size of the file of a rows x cols float64 tile. */
    static long fileBytes(int rows, int cols) {
        return fileBytes(rows, cols, TilePrecision.FLOAT64);
    }

    /** The size of the file of a rows x cols tile in the given precision. */
    static long fileBytes(int rows, int cols, TilePrecision precision) {
        return HEADER + (long) precision.bytes() * rows * cols;
    }

    /** The size of this store's file of a rows x cols tile. */
    long tileBytes(int rows, int cols) {
        return fileBytes(rows, cols, precision);
    }

    /**
     * Refuses up front when the file system of the job folder has less usable space than
     * {@code bytes} (plus a margin).
     *
     * @throws UserErrorException saying how much is needed and how much is free
     */
    public void requireSpace(long bytes) {
        long free;
        try {
            free = assumedFree >= 0 ? assumedFree : Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes + MARGIN > free) {
            throw new UserErrorException(String.format(Locale.ROOT,
                    "the work folder %s has %.2f GB free but the kernel tiles need %.2f GB more; free some space or give "
                            + "another folder with --work-dir", folder.getParent(), free / 1e9, (bytes + MARGIN) / 1e9));
        }
    }

    /** The file of tile (i, j). */
    public Path path(int i, int j) {
        return folder.resolve(kind + "-" + i + "-" + j + ".tile");
    }

    /** Whether tile (i, j) of the given shape is present, belongs to this job and matches its checksum. */
    public boolean valid(int i, int j, int rows, int cols) {
        Path p = path(i, j);
        try {
            if (!Files.isRegularFile(p) || Files.size(p) != tileBytes(rows, cols)) {
                return false;
            }
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, tileBytes(rows, cols));
                map.order(ByteOrder.LITTLE_ENDIAN);
                if (map.getLong(0) != MAGIC || map.getLong(8) != job || map.getInt(16) != i || map.getInt(20) != j
                        || map.getInt(24) != rows || map.getInt(28) != cols || !storedPrecision(map.getInt(40))) {
                    return false;
                }
                return map.getLong(32) == checksum(map.slice(HEADER, map.capacity() - HEADER));
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tile " + p, e);
        }
    }

    /** Whether the header's bytes-per-entry field names this store's precision (0: a float64 tile of the first format). */
    private boolean storedPrecision(int bytes) {
        return bytes == precision.bytes() || bytes == 0 && precision == TilePrecision.FLOAT64;
    }

    /**
     * Writes tile (i, j) (row-major rows x cols, rounded to float32 when that is the store's
     * precision) through a temporary file renamed when complete.
     */
    public void write(int i, int j, int rows, int cols, double[] data) {
        if (data.length < rows * cols) {
            throw new IllegalArgumentException("tile data holds " + data.length + " values, fewer than " + rows + " x " + cols);
        }
        Path target = path(i, j);
        Path temp = folder.resolve("." + target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, tileBytes(rows, cols));
                map.order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer payload = map.slice(HEADER, map.capacity() - HEADER).order(ByteOrder.LITTLE_ENDIAN);
                if (precision == TilePrecision.FLOAT64) {
                    payload.asDoubleBuffer().put(data, 0, rows * cols);
                } else {
                    FloatBuffer f = payload.asFloatBuffer();
                    float[] row = new float[cols];
                    for (int a = 0; a < rows; a++) {
                        for (int b = 0; b < cols; b++) {
                            row[b] = (float) data[a * cols + b];
                        }
                        f.put(row);
                    }
                }
                map.putLong(0, MAGIC).putLong(8, job).putInt(16, i).putInt(20, j).putInt(24, rows).putInt(28, cols);
                map.putInt(40, precision.bytes());
                map.putLong(32, checksum(payload));
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tile " + target, e);
        }
    }

    /**
     * Tile (i, j) as a read-only view of its memory-mapped payload (row-major rows x cols,
     * little-endian entries of this store's precision), without checking the checksum (call
     * {@link #valid} first). The mapping lives as long as the returned buffer.
     */
    public ByteBuffer map(int i, int j, int rows, int cols) {
        Path p = path(i, j);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, HEADER, (long) precision.bytes() * rows * cols);
            return map.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tile " + p, e);
        }
    }

    /** Deletes the job folder and everything in it (the work folder itself stays). */
    public void delete() {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the job folder " + folder, e);
        }
    }

    private static long checksum(ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        return crc.getValue();
    }
}
