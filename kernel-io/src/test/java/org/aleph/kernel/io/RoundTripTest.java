package org.aleph.kernel.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aleph.kernel.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing a matrix and reading it back gives the same bits, in CSV and in .npy. */
class RoundTripTest {

    /** Doubles that break naive formatting: signed zero, subnormals, extremes, shortest-digit corner cases. */
    static final double[] SPECIAL = {
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
        Math.nextUp(Double.MIN_NORMAL), 1e308, -1e308, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-323, 4.9e-324,
        1.0, -1.0, 0.1, 0.2, 0.30000000000000004, 1e23, 2e23, 8.41e21, 5e-324 * 3, 2.0e-3, 1.0E-5, 123456789012345678.0,
        Math.PI, Math.E, 1.0 / 3, 9007199254740993.0, Math.ulp(1.0), 1 + Math.ulp(1.0),
    };

    @TempDir
    Path dir;

    @Test
    void specialValuesSurviveBothFormatsBitForBit() {
        Matrix m = Matrix.wrap(SPECIAL.length / 3, 3, java.util.Arrays.copyOf(SPECIAL, SPECIAL.length / 3 * 3));
        for (String ext : new String[] {".csv", ".npy"}) {
            Path p = dir.resolve("special" + ext);
            MatrixFiles.write(p, m, "--out");
            Matrix back = MatrixFiles.read(p, "--in");
            assertEquals(m.rows(), back.rows());
            assertEquals(m.cols(), back.cols());
            assertBits(m.data(), back.data());
        }
    }

    @Test
    void csvRoundTripsEveryFiniteDouble() {
        qt().withExamples(20000).forAll(longs().all()).checkAssert(bits -> {
            double x = Double.longBitsToDouble(bits);
            if (!Double.isFinite(x)) {
                return;
            }
            Matrix back = csv(Matrix.wrap(1, 1, new double[] {x}));
            assertEquals(bits, Double.doubleToRawLongBits(back.get(0, 0)), () -> "value " + x);
        });
    }

    @Test
    void csvRoundTripsShapesOfAnySizeIncludingParallelBlocks() {
        qt().withExamples(30).forAll(integers().between(1, 150), integers().between(1, 40)).checkAssert((r, c) -> {
            double[] a = new double[r * c];
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(r * 1000L + c);
            for (int e = 0; e < a.length; e++) {
                a[e] = rnd.nextDouble(-1e6, 1e6) * Math.pow(10, rnd.nextInt(-300, 300));
            }
            Matrix back = csv(Matrix.wrap(r, c, a));
            assertEquals(r, back.rows());
            assertEquals(c, back.cols());
            assertBits(a, back.data());
        });
    }

    @Test
    void npyVectorIsOneDimensionalAndReadsBackAsAColumn() throws IOException {
        Path p = dir.resolve("v.npy");
        MatrixFiles.writeVector(p, new double[] {1.5, -0.0, 3}, "--var1");
        byte[] bytes = Files.readAllBytes(p);
        String header = new String(bytes, 10, bytes[8] & 0xff, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(true, header.contains("'shape': (3,)"), header);
        assertEquals(0, (10 + header.length()) % 64, "header padded to 64 bytes like NumPy");
        Matrix back = MatrixFiles.read(p, "--in");
        assertEquals(3, back.rows());
        assertEquals(1, back.cols());
        assertBits(new double[] {1.5, -0.0, 3}, back.data());
    }

    @Test
    void csvWriterOutputIsPlainNumbersAndCommas() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvFormat.write(Matrix.of(new double[][] {{1, -0.0}, {1e-320, 2.5}}), out);
        assertEquals("1.0,-0.0\n1.0E-320,2.5\n", out.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static Matrix csv(Matrix m) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CsvFormat.write(m, out);
            return CsvFormat.read(new java.io.BufferedReader(new java.io.StringReader(out.toString(java.nio.charset.StandardCharsets.ISO_8859_1))), "mem");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        long[] e = new long[expected.length];
        long[] a = new long[actual.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Double.doubleToRawLongBits(expected[i]);
            a[i] = Double.doubleToRawLongBits(actual[i]);
        }
        assertArrayEquals(e, a);
    }
}
