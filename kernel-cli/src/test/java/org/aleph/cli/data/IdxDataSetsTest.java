package org.aleph.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX data sets through DataSets: images with their labels file, truncated and foreign files, preprocessing. */
class IdxDataSetsTest {

    @TempDir
    Path dir;

    @Test
    void readsImagesAndLabelsByTheNamingRuleGzipOrNot() throws IOException {
        byte[] px = new byte[3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 20);
        }
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {3, 2, 2}, px, true);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {3}, new byte[] {7, (byte) 200, 0}, true);
        LabeledData d = DataSets.load(dir.resolve("train-images-idx3-ubyte.gz"), null, 2, "--train");
        assertEquals(2, d.x().rows());
        assertEquals(4, d.x().cols());
        assertEquals(140.0, d.x().get(1, 3)); // byte 7 of the data, 7 * 20 = 140, read as unsigned (signed it is -116)
        assertArrayEquals(new int[] {7, 200}, d.labels());

        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"), new int[] {1, 1, 2}, new byte[] {(byte) 255, 1}, false);
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {1}, new byte[] {3}, false);
        LabeledData t = DataSets.load(dir.resolve("t10k-images-idx3-ubyte"), null, -1, "--test");
        assertEquals(255.0, t.x().get(0, 0));
        assertEquals(3, t.labels()[0]);
    }

    @Test
    void truncatedAndForeignFilesAreNamed() throws IOException {
        Path bad = dir.resolve("x-images-idx3-ubyte");
        IdxFiles.write(bad, new int[] {5, 2, 2}, new byte[7], false);
        IdxFiles.write(dir.resolve("x-labels-idx1-ubyte"), new int[] {5}, new byte[5], false);
        UserErrorException e = assertThrows(UserErrorException.class, () -> DataSets.load(bad, null, -1, "--train"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path foreign = dir.resolve("y-images-idx3-ubyte");
        Files.write(foreign, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        IdxFiles.write(dir.resolve("y-labels-idx1-ubyte"), new int[] {1}, new byte[1], false);
        UserErrorException f = assertThrows(UserErrorException.class, () -> DataSets.load(foreign, null, -1, "--train"));
        assertTrue(f.getMessage().contains("not an IDX file"), f.getMessage());
        Path lonely = dir.resolve("z-images-idx3-ubyte");
        IdxFiles.write(lonely, new int[] {1, 1, 1}, new byte[1], false);
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
