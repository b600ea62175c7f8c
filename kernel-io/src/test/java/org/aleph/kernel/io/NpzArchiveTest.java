package org.aleph.kernel.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NpzArchive}: the entries read back as .npy arrays with their shapes, and numpy.load reads the same bits. */
class NpzArchiveTest {

    @TempDir
    Path dir;

    private static double[] random(Random r, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
        }
        return d;
    }

    private Path write(NpzArchive a) throws IOException {
        Path p = dir.resolve("a.npz");
        try (OutputStream out = Files.newOutputStream(p)) {
            a.writeTo(out);
        }
        return p;
    }

    @Test
    void entriesAreStoredNpyArraysWithTheirShapes() throws IOException {
        Random r = new Random(2);
        double[] mean = random(r, 3 * 5 * 2);
        double[] times = {0, 1.5, 10};
        double[] big = random(r, 300_000); // more than one write chunk
        Path p = write(new NpzArchive().add("times", times, 3).add("mean", mean, 3, 5, 2).add("big", big, 600, 500));
        try (ZipFile zip = new ZipFile(p.toFile())) {
            assertEquals(List.of("times.npy", "mean.npy", "big.npy"), zip.stream().map(ZipEntry::getName).toList());
            zip.stream().forEach(e -> assertEquals(ZipEntry.STORED, e.getMethod(), "uncompressed, as numpy.savez"));
            NpyFormat.Array m = NpyFormat.readArray(ByteBuffer.wrap(zip.getInputStream(zip.getEntry("mean.npy")).readAllBytes()), "mean");
            assertArrayEquals(new long[] {3, 5, 2}, m.shape());
            assertArrayEquals(mean, m.matrix().data(), 0);
            NpyFormat.Array t = NpyFormat.readArray(ByteBuffer.wrap(zip.getInputStream(zip.getEntry("times.npy")).readAllBytes()), "t");
            assertArrayEquals(times, t.matrix().data(), 0);
            NpyFormat.Array b = NpyFormat.readArray(ByteBuffer.wrap(zip.getInputStream(zip.getEntry("big.npy")).readAllBytes()), "b");
            assertArrayEquals(big, b.matrix().data(), 0);
        }
    }

    @Test
    void badNamesAndShapesAreRefused() {
        NpzArchive a = new NpzArchive().add("x", new double[6], 2, 3);
        assertThrows(IllegalArgumentException.class, () -> a.add("x", new double[1], 1));
        assertThrows(IllegalArgumentException.class, () -> a.add("", new double[1], 1));
        assertThrows(IllegalArgumentException.class, () -> a.add("y", new double[6], 4, 2));
    }

    @Test
    void numpyLoadReadsTheSameBits() throws IOException {
        assumeTrue(NumpyInteropTest.python("import numpy").exit() == 0, "python3 with numpy is not installed");
        Random r = new Random(9);
        double[] mean = random(r, 2 * 3 * 4);
        double[] var = random(r, 2 * 3);
        Path p = write(new NpzArchive().add("mean", mean, 2, 3, 4).add("var", var, 2, 3));
        NumpyInteropTest.Run run = NumpyInteropTest.python("import numpy as np\n"
                + "z = np.load('" + p.toString().replace("\\", "/") + "')\n"
                + "print(sorted(z.files), z['mean'].shape, z['var'].shape, z['mean'].dtype)\n"
                + "print(' '.join(x.hex() for x in z['mean'].ravel()))\n"
                + "print(' '.join(x.hex() for x in z['var'].ravel()))\n");
        assertEquals(0, run.exit(), run.out());
        String[] lines = run.out().strip().split("\n");
        assertEquals("['mean', 'var'] (2, 3, 4) (2, 3) float64", lines[0]);
        String[] m = lines[1].split(" ");
        for (int i = 0; i < mean.length; i++) {
            assertEquals(mean[i], Double.parseDouble(m[i]), 0, "entry " + i);
        }
        String[] v = lines[2].split(" ");
        for (int i = 0; i < var.length; i++) {
            assertEquals(var[i], Double.parseDouble(v[i]), 0, "entry " + i);
        }
    }
}
