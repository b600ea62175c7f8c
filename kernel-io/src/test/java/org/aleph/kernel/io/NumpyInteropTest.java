package org.aleph.kernel.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aleph.kernel.Matrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with NumPy itself: arrays that {@code numpy.save} writes (float64,
 * float32, int32, big-endian, Fortran order, 3-D) are read with the same values, and the
 * files Aleph writes are read by {@code numpy.load} with the same bits. Skipped only when
 * python3 with NumPy is not installed.
 */
class NumpyInteropTest {

    @TempDir
    static Path dir;

    static boolean numpy;

    @BeforeAll
    static void findNumpy() {
        try {
            numpy = python("import numpy").exit == 0;
        } catch (IOException e) {
            numpy = false;
        }
    }

    record Run(int exit, String out) { }

    static Run python(String code) throws IOException {
        Process p = new ProcessBuilder("python3", "-W", "error", "-c", code).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("python3 timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatNumpySaves() throws IOException {
        assumeTrue(numpy, "python3 with numpy is not installed");
        String base = dir.toString().replace("\\", "/");
        // The same 3 x 4 values in every dtype/order variant, printed with repr for an exact comparison.
        Run r = python("import numpy as np\n"
                + "a = np.array([[0.1, -0.0, 5e-324, 1e308], [-2.5, 3.0, 2.2250738585072014e-308, 7.0], [1/3, -1e-5, 42.0, 6.02e23]])\n"
                + "np.save('" + base + "/f8.npy', a)\n"
                + "np.save('" + base + "/be.npy', a.astype('>f8'))\n"
                + "np.save('" + base + "/fo.npy', np.asfortranarray(a))\n"
                + "b = np.where(np.abs(a) > 1e30, 1.5, a)  # float32 cannot hold 1e308\n"
                + "np.save('" + base + "/f4.npy', b.astype(np.float32))\n"
                + "i = np.array([[-3, 0, 7], [2147483647, -2147483648, 5], [1, 2, 3]], dtype=np.int32)\n"
                + "np.save('" + base + "/i4.npy', i)\n"
                + "np.save('" + base + "/d3.npy', np.arange(24.0).reshape(2, 3, 4))\n"
                + "print(' '.join(repr(float(v)) for v in a.ravel()))\n"
                + "print(' '.join(repr(float(v)) for v in b.astype(np.float32).astype(np.float64).ravel()))\n"
                + "print(' '.join(repr(float(v)) for v in i.ravel()))\n");
        assertEquals(0, r.exit, r.out);
        String[] lines = r.out.strip().split("\n");
        double[] f8 = parse(lines[0]);
        RoundTripTest.assertBits(f8, read("f8.npy", 3, 4));
        RoundTripTest.assertBits(f8, read("be.npy", 3, 4));
        RoundTripTest.assertBits(f8, read("fo.npy", 3, 4));
        RoundTripTest.assertBits(parse(lines[1]), read("f4.npy", 3, 4));
        RoundTripTest.assertBits(parse(lines[2]), read("i4.npy", 3, 3));
        double[] seq = new double[24];
        for (int i = 0; i < 24; i++) {
            seq[i] = i;
        }
        RoundTripTest.assertBits(seq, read("d3.npy", 2, 12));
    }

    @Test
    void numpyLoadsWhatAlephWritesBitForBit() throws IOException {
        assumeTrue(numpy, "python3 with numpy is not installed");
        double[] values = {0.1, -0.0, Double.MIN_VALUE, 1e308, Math.PI, -Double.MAX_VALUE};
        Path m = dir.resolve("out.npy");
        Path v = dir.resolve("vec.npy");
        MatrixFiles.write(m, Matrix.wrap(2, 3, values), "--nngp");
        MatrixFiles.writeVector(v, new double[] {1.5, -2}, "--var1");
        Run r = python("import numpy as np\n"
                + "a = np.load('" + m.toString().replace("\\", "/") + "')\n"
                + "v = np.load('" + v.toString().replace("\\", "/") + "')\n"
                + "print(a.dtype.str, a.shape, a.flags['C_CONTIGUOUS'], v.shape)\n"
                + "print(' '.join(str(int(x)) for x in a.view(np.int64).ravel()))\n");
        assertEquals(0, r.exit, r.out);
        String[] lines = r.out.strip().split("\n");
        assertEquals("<f8 (2, 3) True (2,)", lines[0]);
        String[] bits = lines[1].split(" ");
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToRawLongBits(values[i]), Long.parseLong(bits[i]), "element " + i);
        }
    }

    private static double[] read(String file, int rows, int cols) {
        Matrix m = MatrixFiles.read(dir.resolve(file), "--x1");
        assertEquals(rows, m.rows(), file);
        assertEquals(cols, m.cols(), file);
        return m.data();
    }

    private static double[] parse(String line) {
        List<Double> list = new ArrayList<>();
        for (String s : line.trim().split(" ")) {
            list.add(Double.parseDouble(s));
        }
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
