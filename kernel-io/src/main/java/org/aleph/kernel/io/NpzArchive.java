package org.aleph.kernel.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A NumPy {@code .npz} archive: named float64 arrays of any shape, each stored as the entry
 * {@code name.npy} of a zip file, uncompressed, as {@code numpy.savez} writes them (NumPy
 * Enhancement Proposal 1, "A simple file format for NumPy arrays"; {@code numpy.load} returns a
 * mapping from the names to the arrays). Entries larger than 4 GiB use Zip64, which NumPy reads.
 */
public final class NpzArchive {

    private record Entry(double[] data, long[] shape) {
    }

    private final Map<String, Entry> arrays = new LinkedHashMap<>();

    /**
     * Adds an array (C order) under a name; the archive keeps the reference, not a copy.
     *
     * @throws IllegalArgumentException for a repeated or empty name, or a shape that does not hold {@code data.length} values
     */
    public NpzArchive add(String name, double[] data, long... shape) {
        if (name.isEmpty() || arrays.containsKey(name)) {
            throw new IllegalArgumentException("array name '" + name + "' is empty or already in the archive");
        }
        NpyFormat.shapeTuple(data.length, shape); // checks the shape
        arrays.put(name, new Entry(data, shape.clone()));
        return this;
    }

    /** Writes the archive: each entry's checksum is computed in a first pass, so entries are stored without a data descriptor. */
    public void writeTo(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setMethod(ZipOutputStream.STORED);
        for (Map.Entry<String, Entry> a : arrays.entrySet()) {
            Entry e = a.getValue();
            CRC32 crc = new CRC32();
            try (CheckedOutputStream sink = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
                NpyFormat.writeArray(e.data(), e.shape(), sink);
            }
            ZipEntry z = new ZipEntry(a.getKey() + ".npy");
            long size = NpyFormat.arrayBytes(e.data(), e.shape());
            z.setSize(size);
            z.setCompressedSize(size);
            z.setCrc(crc.getValue());
            zip.putNextEntry(z);
            NpyFormat.writeArray(e.data(), e.shape(), zip);
            zip.closeEntry();
        }
        zip.finish();
    }

    /**
     * Checks before any work that an archive can be written at {@code path}: its name ends in
     * {@code .npz} and its folder exists and is writable.
     *
     * @throws org.aleph.kernel.UserErrorException naming the option and the path otherwise
     */
    public static void checkWritable(Path path, String option) {
        if (!path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npz")) {
            throw new org.aleph.kernel.UserErrorException(option + " " + path + ": a NumPy archive is named .npz");
        }
        MatrixFiles.checkFolder(path, option);
    }

    /** Stages the archive in an {@link OutputGroup}, committed with the command's other outputs. */
    public void stage(OutputGroup group, Path path, String option) {
        group.stage(path, option, this::writeTo);
    }
}
