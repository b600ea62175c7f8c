package org.aleph.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labelled data sets keep their image shape: IDX (n, H, W) is H x W x 1, a .npy (n, H, W, C) its own, CSV by --shape. */
class ImageDataSetsTest {

    @TempDir
    Path dir;

    /** A little-endian float64 .npy of the given shape, header padded as numpy.lib.format asks. */
    private static void npy(Path file, double[] v, String shape) throws IOException {
        StringBuilder h = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }");
        while ((11 + h.length()) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + head.length + 8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) head.length).put(head);
        for (double d : v) {
            b.putDouble(d);
        }
        Files.write(file, b.array());
    }

    @Test
    void idxImagesKeepTheirHeightAndWidthWithOneChannel() throws IOException {
        byte[] px = new byte[4 * 3 * 5];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (7 * i);
        }
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {4, 3, 5}, px, true);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {4}, new byte[] {0, 1, 2, 1}, true);
        LabeledData d = DataSets.load(dir.resolve("train-images-idx3-ubyte.gz"), null, 3, "--train");
        assertEquals(new ImageShape(3, 5, 1), d.shape());
        assertEquals(3, d.x().rows());
        assertEquals(15, d.x().cols());
        assertEquals((7 * 22) & 0xff, d.x().get(1, 7)); // row-major pixels: image 1, pixel (1, 2)
        // The matching --shape is accepted; another one is refused, naming the file and both shapes.
        assertEquals(new ImageShape(3, 5, 1),
                DataSets.load(dir.resolve("train-images-idx3-ubyte.gz"), null, -1, "--train", new ImageShape(3, 5, 1), "--shape").shape());
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> DataSets.load(dir.resolve("train-images-idx3-ubyte.gz"), null, -1, "--train", new ImageShape(5, 3, 1), "--shape"));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("3x5x1")
                && e.getMessage().contains("5x3x1"), e.getMessage());
    }

    @Test
    void npyImagesWithLabelsAndCsvWithShape() throws IOException {
        double[] v = new double[3 * 2 * 2 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        npy(dir.resolve("x.npy"), v, "(3, 2, 2, 3)");
        Files.writeString(dir.resolve("y.csv"), "0\n1\n0\n");
        LabeledData d = DataSets.load(dir.resolve("x.npy"), dir.resolve("y.csv"), 2, "--train");
        assertEquals(new ImageShape(2, 2, 3), d.shape());
        assertArrayEquals(java.util.Arrays.copyOf(v, 24), d.x().data());

        Files.writeString(dir.resolve("d.csv"), "1,1,2,3,4,5,6\n0,6,5,4,3,2,1\n");
        assertNull(DataSets.load(dir.resolve("d.csv"), null, -1, "--train").shape());
        assertEquals(new ImageShape(3, 2, 1), DataSets.load(dir.resolve("d.csv"), null, -1, "--train", new ImageShape(3, 2, 1), "--shape").shape());
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> DataSets.load(dir.resolve("d.csv"), null, -1, "--train", new ImageShape(2, 2, 1), "--shape"));
        assertTrue(e.getMessage().contains("--train") && e.getMessage().contains("d.csv") && e.getMessage().contains("--shape")
                && e.getMessage().contains("6 features"), e.getMessage());
    }
}
