package org.aleph.kernel.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chunked, bulk {@code .npy} reader and writer on real files: random matrices round-trip
 * bit for bit (also across the {@value NpyFormat#CHUNK}-byte chunks), files whose bytes are
 * written by hand from the NPY format specification read as NumPy would, and damaged files
 * are one {@link UserErrorException} naming the file.
 */
class NpyFileTest {

    @TempDir
    Path dir;

    private static final int PER_CHUNK = NpyFormat.CHUNK / 8;

    /** Random doubles of every magnitude and sign, with signed zeros and subnormals among them. */
    private static double[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            long bits = r.nextLong();
            double x = Double.longBitsToDouble(bits);
            a[i] = Double.isFinite(x) ? x : r.nextGaussian();
        }
        return a;
    }

    @Test
    void randomMatricesRoundTripBitForBitThroughFiles() {
        qt().withExamples(40).forAll(integers().between(1, 700), integers().between(1, 400), longs().all()).checkAssert((r, c, seed) -> {
            double[] a = random(seed, r * c);
            Path p = dir.resolve("m.npy");
            MatrixFiles.write(p, Matrix.wrap(r, c, a), "--out");
            Matrix back = MatrixFiles.read(p, "--in");
            assertEquals(r, back.rows());
            assertEquals(c, back.cols());
            RoundTripTest.assertBits(a, back.data());
        });
    }

    @Test
    void chunkBoundariesAndGroupedStagingKeepEveryValue() throws IOException {
        for (int n : new int[] {PER_CHUNK - 1, PER_CHUNK, PER_CHUNK + 1, 2 * PER_CHUNK + 3}) {
            double[] a = random(n, n);
            Path m = dir.resolve("col" + n + ".npy");
            Path v = dir.resolve("vec" + n + ".npy");
            try (OutputGroup g = new OutputGroup()) {
                MatrixFiles.stage(g, m, Matrix.wrap(n, 1, a), "--nngp");
                MatrixFiles.stageVector(g, v, a, "--var1");
                assertTrue(Files.notExists(m) && Files.notExists(v), "nothing appears before the commit");
                g.commit();
            }
            RoundTripTest.assertBits(a, MatrixFiles.read(m, "--in").data());
            RoundTripTest.assertBits(a, MatrixFiles.read(v, "--in").data());
            assertEquals(Files.size(m), Files.size(v), "same bytes but for the shape, and both headers padded to 64");
            // the stream writer (for callers with an OutputStream) gives the same bytes as the channel writer
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            NpyFormat.write(Matrix.wrap(n, 1, a), s);
            assertArrayEquals(Files.readAllBytes(m), s.toByteArray());
        }
    }

    /** A whole .npy file written byte by byte as numpy.lib.format specifies. */
    private Path file(String name, int major, String descr, boolean fortran, String shape, byte[] data) throws IOException {
        ByteBuffer b = NpyFormatTest.npy(major, descr, fortran, shape, data);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void handWrittenFilesOfEveryLayoutReadAsNumPyDoes() throws IOException {
        // 600 x 500 (several chunks, also in float32) a[i][j] = i - j / 1024, in float64 and float32, both byte orders, C and Fortran order
        int rows = 600;
        int cols = 500;
        double[] expected = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                expected[i * cols + j] = i - j / 1024.0; // exact in float32 too
            }
        }
        for (String descr : new String[] {"<f8", ">f8", "<f4", ">f4"}) {
            for (boolean fortran : new boolean[] {false, true}) {
                int size = descr.charAt(2) - '0';
                ByteBuffer data = ByteBuffer.allocate(rows * cols * size).order(descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN
                        : ByteOrder.BIG_ENDIAN);
                for (int k = 0; k < rows * cols; k++) {
                    int i = fortran ? k % rows : k / cols;
                    int j = fortran ? k / rows : k % cols;
                    double x = i - j / 1024.0;
                    if (size == 8) {
                        data.putDouble(x);
                    } else {
                        data.putFloat((float) x);
                    }
                }
                Path p = file("a.npy", fortran ? 2 : 1, descr, fortran, "(" + rows + ", " + cols + ")", data.array());
                Matrix m = MatrixFiles.read(p, "--x1");
                assertEquals(rows, m.rows(), descr);
                assertArrayEquals(expected, m.data(), 0.0, descr + (fortran ? " fortran" : " C"));
            }
        }
        // a 1-D float64 vector is a column; (n, H, W) images keep their shape
        Path v = file("v.npy", 1, "<f8", false, "(3,)", NpyFormatTest.doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3));
        assertEquals(3, MatrixFiles.read(v, "--x1").rows());
        Path img = file("i.npy", 1, "<f8", false, "(2, 2, 3)", NpyFormatTest.doubles(ByteOrder.LITTLE_ENDIAN, new double[12]));
        assertEquals("2x3x1", MatrixFiles.readInputs(img, "--x1", null, "--shape").shape().toString().replace(" ", ""));
    }

    @Test
    void aVersionTwoHeaderLongerThanTheFirstReadIsReadWhole() throws IOException {
        // format 2.0 allows headers beyond 64 KiB; this one (8 KiB of padding) is longer than the reader's first 4096 bytes
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }";
        dict += " ".repeat(8192 - (12 + dict.length() + 1) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(12 + dict.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(dict.length())
                .put(dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putDouble(-1.5).putDouble(2.25);
        assertEquals(0, (12 + dict.length()) % 64, "data aligned as the format asks");
        Path p = Files.write(dir.resolve("v2.npy"), b.array());
        assertArrayEquals(new double[] {-1.5, 2.25}, MatrixFiles.read(p, "--x1").data(), 0.0);
    }

    private UserErrorException refused(Path p) {
        return assertThrows(UserErrorException.class, () -> MatrixFiles.read(p, "--x1"));
    }

    @Test
    void truncatedAndCorruptFilesAreOneSentenceNamingTheFile() throws IOException {
        byte[] nine = NpyFormatTest.doubles(ByteOrder.LITTLE_ENDIAN, new double[9]);
        Path good = file("good.npy", 1, "<f8", false, "(3, 3)", nine);
        byte[] bytes = Files.readAllBytes(good);

        Path shortData = Files.write(dir.resolve("short.npy"), Arrays.copyOf(bytes, bytes.length - 1));
        UserErrorException e = refused(shortData);
        assertTrue(e.getMessage().startsWith(shortData + ": the file is truncated: the header promises 72 bytes"), e.getMessage());

        Path shortHeader = Files.write(dir.resolve("head.npy"), Arrays.copyOf(bytes, 40));
        assertTrue(refused(shortHeader).getMessage().contains("the .npy header is truncated"));

        Path tiny = Files.write(dir.resolve("tiny.npy"), Arrays.copyOf(bytes, 7));
        assertTrue(refused(tiny).getMessage().contains("too short to be a NumPy .npy file (7 bytes)"));

        Path empty = Files.write(dir.resolve("empty.npy"), new byte[0]);
        assertTrue(refused(empty).getMessage().contains("too short"));

        Path negative = file("neg.npy", 1, "<f8", false, "(3, -3)", nine);
        assertTrue(refused(negative).getMessage().contains("negative dimension -3"));

        Path huge = file("huge.npy", 1, "<f8", false, "(100000, 100000)", nine);
        assertTrue(refused(huge).getMessage().contains("more values than one Java array can"));

        byte[] foreign = bytes.clone();
        foreign[1] = 'X';
        assertTrue(refused(Files.write(dir.resolve("foreign.npy"), foreign)).getMessage().contains("not a NumPy .npy file"));

        byte[] v4 = bytes.clone();
        v4[6] = 4;
        assertTrue(refused(Files.write(dir.resolve("v4.npy"), v4)).getMessage().contains("version 4 is not supported"));

        byte[] longHeader = bytes.clone(); // version 2 with a header length far beyond the file
        longHeader[6] = 2;
        ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(8, Integer.MAX_VALUE);
        assertTrue(refused(Files.write(dir.resolve("long.npy"), longHeader)).getMessage().contains("header is truncated"));

        Path noShape = file("noshape.npy", 1, "<f8", false, "3", nine);
        assertTrue(refused(noShape).getMessage().contains("no valid 'shape' entry"));

        Path nan = file("nan.npy", 1, "<f8", false, "(1, 2)", NpyFormatTest.doubles(ByteOrder.LITTLE_ENDIAN, 1, Double.POSITIVE_INFINITY));
        assertEquals(nan + ": row 1, column 2 is Infinity; inputs must be finite numbers", refused(nan).getMessage());

        Path folder = Files.createDirectory(dir.resolve("folder.npy"));
        assertTrue(refused(folder).getMessage().contains("is a folder"));
    }

    @Test
    void aPipeIsReadAsAStreamAndStillChecked() throws Exception {
        Path fifo = dir.resolve("pipe.npy");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mk.waitFor() != 0) {
            return; // no mkfifo on this system: nothing to check
        }
        byte[] bytes = Files.readAllBytes(file("src.npy", 1, "<f8", false, "(2,)", NpyFormatTest.doubles(ByteOrder.LITTLE_ENDIAN, 5, -6)));
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, Arrays.copyOf(bytes, bytes.length - 3)); // truncated on the way
            } catch (IOException ignored) {
                // the reader gave up first
            }
        });
        writer.start();
        UserErrorException e = refused(fifo);
        writer.join();
        assertTrue(e.getMessage().contains("the file is truncated"), e.getMessage());
    }
}
