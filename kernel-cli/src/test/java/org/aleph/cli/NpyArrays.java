package org.aleph.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an n-dimensional float64 {@code .npy} as numpy.lib.format defines it (magic
 * {@code \x93NUMPY}, version 1.0, a dict header padded with spaces and ended by a newline so that
 * the data starts at a multiple of 64, then the values little-endian in C order), independently
 * of the reader under test.
 */
final class NpyArrays {

    private NpyArrays() {
    }

    static void write(Path file, double[] values, int... shape) throws IOException {
        long count = 1;
        StringBuilder dims = new StringBuilder();
        for (int s : shape) {
            count *= s;
            dims.append(s).append(", ");
        }
        if (count != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + dims);
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        StringBuilder header = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': " + tuple + ", }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) h.length);
        b.put(h);
        for (double v : values) {
            b.putDouble(v);
        }
        Files.write(file, b.array());
    }
}
