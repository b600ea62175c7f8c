package org.aleph.kernel.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files of unsigned bytes, written by the format's definition and read back; damaged files give one sentence. */
class IdxFormatTest {

    @TempDir
    Path dir;

    /** Writes an IDX file of unsigned bytes by the format's definition (magic 0x0000080N, sizes, data). */
    static void writeIdx(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        try (OutputStream f = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            f.write(bytes.toByteArray());
        }
    }

    @Test
    void readsTheFirstItemsGzipOrNotAsUnsignedBytes() throws IOException {
        byte[] px = new byte[3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 20);
        }
        Path gz = dir.resolve("train-images-idx3-ubyte.gz");
        writeIdx(gz, new int[] {3, 2, 2}, px, true);
        IdxFormat.Array a = IdxFormat.read(gz, 2);
        assertArrayEquals(new int[] {2, 2, 2}, a.dims());
        assertEquals(2, a.items());
        assertEquals(4, a.itemSize());
        assertEquals(140, a.data()[7] & 0xff); // 7 * 20, read as unsigned (signed it is -116)
        assertArrayEquals(new int[] {3, 2, 2}, IdxFormat.dims(gz));

        Path plain = dir.resolve("t10k-labels-idx1-ubyte");
        writeIdx(plain, new int[] {3}, new byte[] {7, (byte) 200, 0}, false);
        IdxFormat.Array labels = IdxFormat.read(plain, -1);
        assertArrayEquals(new int[] {3}, labels.dims());
        assertEquals(1, labels.itemSize());
        assertArrayEquals(new byte[] {7, (byte) 200, 0}, labels.data());
    }

    @Test
    void namingRule() {
        assertEquals(Path.of("/d/train-labels-idx1-ubyte.gz"), IdxFormat.labelsFor(Path.of("/d/train-images-idx3-ubyte.gz")));
        assertNull(IdxFormat.labelsFor(Path.of("/d/images.idx")));
        assertTrue(IdxFormat.looksLikeIdx(Path.of("t10k-images-idx3-ubyte.gz")));
        assertTrue(IdxFormat.looksLikeIdx(Path.of("a.idx")));
        assertFalse(IdxFormat.looksLikeIdx(Path.of("a.npy")));
    }

    @Test
    void truncatedForeignAndMissingFilesAreOneSentence() throws IOException {
        Path bad = dir.resolve("x-images-idx3-ubyte");
        writeIdx(bad, new int[] {5, 2, 2}, new byte[7], false);
        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFormat.read(bad, -1));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().startsWith(bad.toString()), e.getMessage());
        Path foreign = dir.resolve("y-images-idx3-ubyte");
        Files.write(foreign, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        UserErrorException f = assertThrows(UserErrorException.class, () -> IdxFormat.read(foreign, -1));
        assertTrue(f.getMessage().contains("not an IDX file"), f.getMessage());
        Path negative = dir.resolve("n-images-idx3-ubyte");
        writeIdx(negative, new int[] {1, -2, 2}, new byte[0], false);
        UserErrorException g = assertThrows(UserErrorException.class, () -> IdxFormat.dims(negative));
        assertTrue(g.getMessage().contains("negative dimension -2"), g.getMessage());
        UserErrorException h = assertThrows(UserErrorException.class, () -> IdxFormat.read(dir.resolve("none-ubyte"), -1));
        assertTrue(h.getMessage().contains("no such file"), h.getMessage());
    }
}
