package org.aleph.kernel.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

/** Reading the .npy variants NumPy writes, built byte by byte from the format specification. */
class NpyFormatTest {

    /** A .npy file: version, header dict, then the raw element bytes. */
    static ByteBuffer npy(int major, String descr, boolean fortran, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        int prefix = major == 1 ? 10 : 12;
        dict += " ".repeat(63 - (prefix + dict.length()) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(prefix + dict.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) dict.length());
        } else {
            b.putInt(dict.length());
        }
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.flip();
    }

    static byte[] doubles(ByteOrder order, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    @Test
    void bigEndianFloat64() {
        Matrix m = NpyFormat.read(npy(1, ">f8", false, "(2, 2)", doubles(ByteOrder.BIG_ENDIAN, 1, -2.5, 1e-310, 7)), "x.npy");
        assertArrayEquals(new double[] {1, -2.5, 1e-310, 7}, m.data(), 0.0);
    }

    @Test
    void float32AndIntegersAreWidenedExactly() {
        ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.1f).putFloat(-3f);
        assertArrayEquals(new double[] {0.1f, -3}, NpyFormat.read(npy(1, "<f4", false, "(2,)", f.array()), "f").data(), 0.0);
        ByteBuffer i = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putLong(-5).putLong(1L << 53);
        assertArrayEquals(new double[] {-5, 9007199254740992.0}, NpyFormat.read(npy(1, ">i8", false, "(2, 1)", i.array()), "i").data(), 0.0);
        byte[] u1 = {(byte) 255, 0, 7};
        assertArrayEquals(new double[] {255, 0, 7}, NpyFormat.read(npy(1, "|u1", false, "(1, 3)", u1), "u").data(), 0.0);
        ByteBuffer u8 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L);
        assertEquals(18446744073709551615.0, NpyFormat.read(npy(1, "<u8", false, "(1,)", u8.array()), "u8").get(0, 0), 0.0);
        ByteBuffer i2 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -300).putShort((short) 2);
        assertArrayEquals(new double[] {-300, 2}, NpyFormat.read(npy(2, "<i2", false, "(2,)", i2.array()), "i2").data(), 0.0);
    }

    @Test
    void fortranOrderIsTransposedIntoRows() {
        // The 2 x 3 matrix [[1,2,3],[4,5,6]] stored column by column.
        Matrix m = NpyFormat.read(npy(1, "<f8", true, "(2, 3)", doubles(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6)), "f.npy");
        assertEquals(2, m.rows());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, m.data(), 0.0);
    }

    @Test
    void higherDimensionsFlattenPerSampleInBothOrders() {
        // a[i][j][k] = 100 i + 10 j + k, shape (2, 2, 3)
        double[] c = new double[12];
        double[] f = new double[12];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 3; k++) {
                    c[i * 6 + j * 3 + k] = 100 * i + 10 * j + k;
                    f[i + 2 * j + 4 * k] = 100 * i + 10 * j + k;
                }
            }
        }
        Matrix mc = NpyFormat.read(npy(1, "<f8", false, "(2, 2, 3)", doubles(ByteOrder.LITTLE_ENDIAN, c)), "c");
        Matrix mf = NpyFormat.read(npy(3, "<f8", true, "(2, 2, 3)", doubles(ByteOrder.LITTLE_ENDIAN, f)), "f");
        assertEquals(2, mc.rows());
        assertEquals(6, mc.cols());
        assertArrayEquals(c, mc.data(), 0.0);
        assertArrayEquals(c, mf.data(), 0.0);
    }

    @Test
    void unsupportedAndNonFiniteContentIsAUserErrorNamingTheFile() {
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> NpyFormat.read(npy(1, "<c16", false, "(1,)", new byte[16]), "z.npy"));
        assertTrue(e.getMessage().startsWith("z.npy: the dtype '<c16' is not supported"), e.getMessage());
        e = assertThrows(UserErrorException.class,
                () -> NpyFormat.read(npy(1, "<f8", false, "(2, 2)", doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, Double.NaN)), "n.npy"));
        assertEquals("n.npy: row 2, column 2 is NaN; inputs must be finite numbers", e.getMessage());
        e = assertThrows(UserErrorException.class, () -> NpyFormat.read(npy(1, "<f8", false, "()", new byte[8]), "s.npy"));
        assertTrue(e.getMessage().contains("single number"), e.getMessage());
    }
}
