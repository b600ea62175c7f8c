package org.aleph.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void readsImagesAndLabelsByTheNamingRuleGzipOrNot() throws IOException {
        byte[] px = new byte[3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 20);
        }
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {3, 2, 2}, px, true);
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {3}, new byte[] {7, (byte) 200, 0}, true);
        LabeledData d = DataSets.load(dir.resolve("train-images-idx3-ubyte.gz"), null, 2, "--train");
        assertEquals(2, d.x().rows());
        assertEquals(4, d.x().cols());
        assertEquals(140.0, d.x().get(1, 3)); // byte 7 of the data, 7 * 20 = 140, read as unsigned (signed it is -116)
        assertArrayEquals(new int[] {7, 200}, d.labels());

        writeIdx(dir.resolve("t10k-images-idx3-ubyte"), new int[] {1, 1, 2}, new byte[] {(byte) 255, 1}, false);
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {1}, new byte[] {3}, false);
        LabeledData t = DataSets.load(dir.resolve("t10k-images-idx3-ubyte"), null, -1, "--test");
        assertEquals(255.0, t.x().get(0, 0));
        assertEquals(3, t.labels()[0]);
    }

    @Test
    void namingRule() {
        assertEquals(Path.of("/d/train-labels-idx1-ubyte.gz"), IdxFormat.labelsFor(Path.of("/d/train-images-idx3-ubyte.gz")));
        assertNull(IdxFormat.labelsFor(Path.of("/d/images.idx")));
    }

    @Test
    void truncatedAndForeignFilesAreNamed() throws IOException {
        Path bad = dir.resolve("x-images-idx3-ubyte");
        writeIdx(bad, new int[] {5, 2, 2}, new byte[7], false);
        writeIdx(dir.resolve("x-labels-idx1-ubyte"), new int[] {5}, new byte[5], false);
        UserErrorException e = assertThrows(UserErrorException.class, () -> DataSets.load(bad, null, -1, "--train"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path foreign = dir.resolve("y-images-idx3-ubyte");
        Files.write(foreign, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        writeIdx(dir.resolve("y-labels-idx1-ubyte"), new int[] {1}, new byte[1], false);
        UserErrorException f = assertThrows(UserErrorException.class, () -> DataSets.load(foreign, null, -1, "--train"));
        assertTrue(f.getMessage().contains("not an IDX file"), f.getMessage());
        Path lonely = dir.resolve("z-images-idx3-ubyte");
        writeIdx(lonely, new int[] {1, 1, 1}, new byte[1], false);
        UserErrorException g = assertThrows(UserErrorException.class, () -> DataSets.load(lonely, null, -1, "--train"));
        assertTrue(g.getMessage().contains("labels file") && g.getMessage().contains("--train-labels"), g.getMessage());
    }

    @Test
    void standardizeCentresAndScales() {
        org.aleph.kernel.Matrix m = org.aleph.kernel.Matrix.of(new double[][] {{0, 255, 0, 255}, {7, 7, 7, 7}});
        Preprocessing.STANDARDIZE.apply(m);
        assertArrayEquals(new double[] {-1, 1, -1, 1}, m.row(0), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0, 0}, m.row(1), 0.0);
    }
}
