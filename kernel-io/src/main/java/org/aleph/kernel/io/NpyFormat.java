package org.aleph.kernel.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * NumPy's {@code .npy} format (format versions 1.0, 2.0 and 3.0; see numpy.lib.format, "A Simple
 * File Format for NumPy Arrays", NEP 1).
 *
 * <p>Reading accepts float64 and float32, signed and unsigned integers of 1 to 8 bytes and
 * booleans, in either byte order, in C or Fortran order. The first axis is the sample: a
 * shape {@code (n,)} is read as n x 1 and {@code (n, a, b, ...)} as n x (a b ...), so a stack
 * of images is flattened per image. Writing produces version 1.0, little-endian float64
 * ({@code '<f8'}), C order, header padded to 64 bytes as NumPy does, so values move between
 * Aleph and Python without loss.
 *
 * <p>Speed: a file is read with positional reads of {@value #CHUNK} bytes into one direct
 * buffer and copied into the {@code double[]} with bulk buffer copies (a memory copy for
 * {@code '<f8'}, a byte swap for {@code '>f8'}), never parsed element by element; writing to a
 * channel goes the same way in reverse. What remains of a first read in a fresh JVM is mostly
 * the operating system's first touch of the new array's pages (kernel-bench's
 * {@code NpyThroughput} measures it).
 */
public final class NpyFormat {

    /** The bytes moved per read or write call. */
    static final int CHUNK = 1 << 20;

    private NpyFormat() {
    }

    /**
     * The content of a {@code .npy} file: its values as a matrix (one sample per row, the
     * trailing axes flattened in C order) and the array's shape as NumPy saw it.
     *
     * @param matrix the values, {@code shape[0]} rows
     * @param shape  the array's shape, at least one axis
     */
    public record Array(Matrix matrix, long[] shape) {
        /** The number of axes. */
        public int axes() {
            return shape.length;
        }
    }

    /**
     * Reads a matrix from the whole content of a {@code .npy} file.
     *
     * @param bytes the file's bytes
     * @param name  the file name used in messages
     * @throws UserErrorException for a file that is not .npy, an unsupported dtype or a truncated file
     */
    public static Matrix read(ByteBuffer bytes, String name) {
        return readArray(bytes, name).matrix();
    }

    /**
     * Reads a matrix and the array's shape from the whole content of a {@code .npy} file.
     *
     * @param bytes the file's bytes
     * @param name  the file name used in messages
     * @throws UserErrorException for a file that is not .npy, an unsupported dtype or a truncated file
     */
    public static Array readArray(ByteBuffer bytes, String name) {
        ByteBuffer b = bytes.slice();
        NpyHeader h = NpyHeader.parse(b, b.limit(), name);
        double[] values = new double[h.count()];
        h.dtype().decode(b.position(h.dataStart()), values, 0, h.count());
        return finish(h, values, name);
    }

    /** Checks the magic string and the version in the first bytes of a file (for streams, before reading all of it). */
    static void checkMagic(ByteBuffer head, String name) {
        NpyHeader.prefix(head, head.limit(), name);
    }

    /**
     * Reads the header of a regular file through its channel, without the data.
     *
     * @throws UserErrorException for a damaged or unsupported header or a file shorter than it promises
     */
    static NpyHeader header(FileChannel ch, String name) throws IOException {
        long size = ch.size();
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 4096));
        readFully(ch, head, 0);
        long[] p = NpyHeader.prefix(head.flip(), size, name);
        long end = p[0] + p[1];
        if (end > size) {
            throw new UserErrorException(name + ": the .npy header is truncated");
        }
        if (end > head.limit()) {
            if (p[1] > NpyHeader.MAX_HEADER) {
                throw new UserErrorException(name + ": the .npy header claims " + p[1] + " bytes, more than any header of a plain "
                        + "numeric array; the file is damaged");
            }
            head = ByteBuffer.allocate((int) end);
            readFully(ch, head, 0);
            head.flip();
        }
        return NpyHeader.parse(head, size, name);
    }

    /**
     * Reads the data that {@code h} describes from a regular file: chunks of {@value #CHUNK}
     * bytes by positional reads into one direct buffer, each decoded in bulk into the result.
     */
    static Array readData(FileChannel ch, NpyHeader h, String name) throws IOException {
        double[] values = new double[h.count()];
        int size = h.dtype().size();
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(CHUNK, Math.max(h.dataBytes(), 8)));
        int perChunk = buf.capacity() / size;
        long at = h.dataStart();
        for (int done = 0; done < values.length; ) {
            int n = Math.min(perChunk, values.length - done);
            buf.clear().limit(n * size);
            if (readFully(ch, buf, at) < n * size) {
                throw new UserErrorException(name + ": the file is truncated: it ended while its data were read");
            }
            h.dtype().decode(buf.flip(), values, done, n);
            done += n;
            at += (long) n * size;
        }
        return finish(h, values, name);
    }

    /** Fills {@code buf} from position {@code at} of the channel; returns the bytes read (fewer at the end of the file). */
    private static int readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** C order, the matrix, and the check that every value is finite (naming the first that is not). */
    private static Array finish(NpyHeader h, double[] values, String name) {
        long[] shape = h.shape();
        if (h.fortran() && shape.length > 1) {
            values = fortranToC(values, shape);
        }
        int rows = (int) shape[0];
        int cols = shape[0] == 0 ? 0 : (int) (values.length / shape[0]);
        int bad = firstNonFinite(values);
        if (bad >= 0) {
            throw new UserErrorException(name + ": row " + (bad / cols + 1) + ", column " + (bad % cols + 1) + " is "
                    + values[bad] + "; inputs must be finite numbers");
        }
        return new Array(Matrix.wrap(rows, cols, values), shape);
    }

    /** The index of the first NaN or infinity, or -1; in blocks, so that the JIT compiles the inner loop early. */
    private static int firstNonFinite(double[] v) {
        for (int from = 0; from < v.length; from += 4096) {
            int to = Math.min(v.length, from + 4096);
            if (!allFinite(v, from, to)) {
                for (int e = from; e < to; e++) {
                    if (!Double.isFinite(v[e])) {
                        return e;
                    }
                }
            }
        }
        return -1;
    }

    private static boolean allFinite(double[] v, int from, int to) {
        double acc = 0;
        for (int e = from; e < to; e++) {
            acc += v[e] * 0.0; // 0 for a finite value, NaN for NaN or an infinity
        }
        return acc == 0;
    }

    /** Reorders column-major (Fortran) data of the given shape into row-major (C) order. */
    static double[] fortranToC(double[] f, long[] shape) {
        int nd = shape.length;
        long[] fStride = new long[nd];
        long s = 1;
        for (int k = 0; k < nd; k++) {
            fStride[k] = s;
            s *= shape[k];
        }
        double[] c = new double[f.length];
        long[] idx = new long[nd];
        long fIndex = 0;
        for (int e = 0; e < c.length; e++) {
            c[e] = f[(int) fIndex];
            for (int k = nd - 1; k >= 0; k--) { // odometer over the C-order multi-index
                idx[k]++;
                fIndex += fStride[k];
                if (idx[k] < shape[k]) {
                    break;
                }
                fIndex -= fStride[k] * idx[k];
                idx[k] = 0;
            }
        }
        return c;
    }

    /** Writes a matrix as a 2-D little-endian float64 array in C order. */
    public static void write(Matrix m, OutputStream out) throws IOException {
        write(m.data(), "(" + m.rows() + ", " + m.cols() + ")", out);
    }

    /** Writes a vector as a 1-D little-endian float64 array. */
    public static void writeVector(double[] v, OutputStream out) throws IOException {
        write(v, "(" + v.length + ",)", out);
    }

    /**
     * Writes an array of any shape (C order, little-endian float64), e.g. (T, m, k) for one
     * m x k block per time.
     *
     * @throws IllegalArgumentException when the shape's product is not {@code a.length}
     */
    public static void writeArray(double[] a, long[] shape, OutputStream out) throws IOException {
        out.write(header(shapeTuple(a.length, shape)));
        write(a, out);
    }

    /** The bytes {@link #writeArray} writes, for archives that must know sizes and checksums first. */
    static long arrayBytes(double[] a, long[] shape) {
        return header(shapeTuple(a.length, shape)).length + 8L * a.length;
    }

    static String shapeTuple(long length, long[] shape) {
        long product = 1;
        StringBuilder t = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            product *= shape[i];
            t.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
        }
        if (product != length) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + product + " values, not " + length);
        }
        return t.append(')').toString();
    }

    private static void write(double[] a, String shape, OutputStream out) throws IOException {
        out.write(header(shape));
        write(a, out);
    }

    private static void write(double[] a, OutputStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(8L * a.length, 8))).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / 8;
        for (int i = 0; i < a.length; ) {
            int n = Math.min(a.length - i, perChunk);
            buf.clear();
            buf.asDoubleBuffer().put(a, i, n);
            out.write(buf.array(), 0, n * 8);
            i += n;
        }
    }

    /**
     * Writes a matrix as a 2-D little-endian float64 array in C order to a channel, straight from
     * its {@code double[]} through a direct buffer of {@value #CHUNK} bytes (a memory copy per
     * chunk on a little-endian machine).
     */
    public static void write(Matrix m, WritableByteChannel out) throws IOException {
        write(m.data(), "(" + m.rows() + ", " + m.cols() + ")", out);
    }

    /** Writes a vector as a 1-D little-endian float64 array to a channel. */
    public static void writeVector(double[] v, WritableByteChannel out) throws IOException {
        write(v, "(" + v.length + ",)", out);
    }

    /** The header NumPy writes: version 1.0, the dict, spaces and a newline up to a multiple of 64 bytes. */
    static byte[] header(String shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }");
        int total = NpyHeader.MAGIC.length + 4 + dict.length() + 1;
        dict.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(NpyHeader.MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }

    private static void write(double[] a, String shape, WritableByteChannel out) throws IOException {
        writeAll(out, ByteBuffer.wrap(header(shape)));
        int capacity = (int) Math.min(CHUNK, Math.max(8L * a.length, 8));
        ByteBuffer buf = (a.length > 4096 ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity)).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / 8;
        for (int i = 0; i < a.length; ) {
            int n = Math.min(a.length - i, perChunk);
            buf.clear();
            buf.asDoubleBuffer().put(a, i, n);
            buf.limit(n * 8);
            writeAll(out, buf);
            i += n;
        }
    }

    private static void writeAll(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
