package org.aleph.kernel.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * NumPy's {@code .npy} format (format versions 1.0, 2.0 and 3.0; see numpy.lib.format).
 *
 * <p>Reading accepts float64 and float32, signed and unsigned integers of 1 to 8 bytes and
 * booleans, in either byte order, in C or Fortran order. The first axis is the sample: a
 * shape {@code (n,)} is read as n x 1 and {@code (n, a, b, ...)} as n x (a b ...), so a stack
 * of images is flattened per image. Writing produces version 1.0, little-endian float64
 * ({@code '<f8'}), C order, header padded to 64 bytes as NumPy does, so values move between
 * Aleph and Python without loss.
 */
public final class NpyFormat {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

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
        return readArray(bytes, name, false);
    }

    /** With {@code magicOnly}: checks the magic string and the version of the first bytes only; returns null. */
    static Array readArray(ByteBuffer bytes, String name, boolean magicOnly) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 10) {
            throw new UserErrorException(name + ": too short to be a NumPy .npy file (" + b.remaining() + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                throw new UserErrorException(name + ": not a NumPy .npy file (it does not start with \\x93NUMPY); save it with numpy.save");
            }
        }
        int major = b.get(6) & 0xff;
        if (major < 1 || major > 3) {
            throw new UserErrorException(name + ": .npy format version " + major + " is not supported (only 1, 2 and 3)");
        }
        if (magicOnly) {
            return null;
        }
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffff;
            headerStart = 10;
        } else {
            headerLength = b.getInt(8);
            headerStart = 12;
        }
        if (headerLength < 0 || headerStart + (long) headerLength > b.limit()) {
            throw new UserErrorException(name + ": the .npy header is truncated");
        }
        byte[] h = new byte[headerLength];
        b.get(headerStart, h);
        String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, name, "descr");
        boolean fortran = group(FORTRAN, header, name, "fortran_order").equals("True");
        long[] shape = shape(group(SHAPE, header, name, "shape"), name);
        Dtype dtype = Dtype.parse(descr, name);

        long count = 1;
        for (long s : shape) {
            count *= s; // no overflow: shape() bounds the product by Integer.MAX_VALUE
        }
        long rows = shape[0];
        long cols = shape[0] == 0 ? 0 : count / shape[0];
        if (count > Integer.MAX_VALUE - 8) {
            throw new UserErrorException(name + ": " + count + " values are more than one Java array can hold");
        }
        int dataStart = headerStart + headerLength;
        long needed = count * dtype.size;
        if (b.limit() - dataStart < needed) {
            throw new UserErrorException(name + ": the file is truncated: the header promises " + needed
                    + " bytes of data but only " + (b.limit() - dataStart) + " follow");
        }
        ByteBuffer data = b.position(dataStart).slice().order(dtype.order);
        double[] values = dtype.decode(data, (int) count);
        if (fortran && shape.length > 1) {
            values = fortranToC(values, shape);
        }
        Matrix m = Matrix.wrap((int) rows, (int) cols, values);
        for (int e = 0; e < values.length; e++) {
            if (!Double.isFinite(values[e])) {
                throw new UserErrorException(name + ": row " + (e / cols + 1) + ", column " + (e % cols + 1) + " is "
                        + values[e] + "; inputs must be finite numbers");
            }
        }
        return new Array(m, shape);
    }

    private static String group(Pattern p, String header, String name, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            if (key.equals("descr") && header.contains("'descr'")) {
                throw new UserErrorException(name + ": structured (record) arrays are not supported; save a plain numeric array");
            }
            throw new UserErrorException(name + ": the .npy header has no valid '" + key + "' entry");
        }
        return m.group(1);
    }

    private static long[] shape(String text, String name) {
        String[] parts = text.split(",");
        int n = 0;
        long[] dims = new long[parts.length];
        for (String part : parts) {
            String s = part.trim();
            if (s.endsWith("L")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.isEmpty()) {
                continue;
            }
            try {
                dims[n++] = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new UserErrorException(name + ": the .npy shape (" + text + ") is not a tuple of integers");
            }
        }
        if (n == 0) {
            throw new UserErrorException(name + ": holds a single number (shape ()); an input needs one sample per row");
        }
        long[] shape = java.util.Arrays.copyOf(dims, n);
        for (long d : shape) {
            if (d < 0) {
                throw new UserErrorException(name + ": the .npy shape (" + text + ") has a negative dimension " + d
                        + "; the header is damaged");
            }
        }
        long rest = 1;
        boolean overflow = false;
        for (int i = 1; i < n && !overflow; i++) {
            try {
                rest = Math.multiplyExact(rest, shape[i]);
            } catch (ArithmeticException e) {
                overflow = true;
            }
        }
        if (overflow || rest > Integer.MAX_VALUE || shape[0] > Integer.MAX_VALUE
                || (rest > 0 && shape[0] > (Integer.MAX_VALUE - 8) / rest)) {
            throw new UserErrorException(name + ": the shape (" + text + ") holds more values than one Java array can ("
                    + (Integer.MAX_VALUE - 8) + ")");
        }
        return shape;
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

    private static void write(double[] a, String shape, OutputStream out) throws IOException {
        StringBuilder header = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }");
        int total = MAGIC.length + 4 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header.append(" ".repeat(pad)).append('\n');
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >>> 8)});
        out.write(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.length; ) {
            int n = Math.min(a.length - i, buf.capacity() / 8);
            buf.clear();
            buf.asDoubleBuffer().put(a, i, n);
            out.write(buf.array(), 0, n * 8);
            i += n;
        }
    }

    /** A supported element type: kind (f, i, u, b), size in bytes and byte order. */
    private record Dtype(char kind, int size, ByteOrder order) {

        static Dtype parse(String descr, String name) {
            if (descr.length() < 3) {
                throw unsupported(descr, name);
            }
            char endian = descr.charAt(0);
            ByteOrder order = switch (endian) {
                case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
                case '>' -> ByteOrder.BIG_ENDIAN;
                case '=' -> ByteOrder.nativeOrder();
                default -> throw unsupported(descr, name);
            };
            char kind = descr.charAt(1);
            int size;
            try {
                size = Integer.parseInt(descr.substring(2));
            } catch (NumberFormatException e) {
                throw unsupported(descr, name);
            }
            boolean ok = switch (kind) {
                case 'f' -> size == 4 || size == 8;
                case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
                case 'b' -> size == 1;
                default -> false;
            };
            if (!ok) {
                throw unsupported(descr, name);
            }
            return new Dtype(kind, size, order);
        }

        private static UserErrorException unsupported(String descr, String name) {
            return new UserErrorException(name + ": the dtype '" + descr + "' is not supported; use float64 (or float32, "
                    + "an integer or a boolean type), e.g. numpy.save(f, a.astype(numpy.float64))");
        }

        double[] decode(ByteBuffer data, int n) {
            double[] out = new double[n];
            if (kind == 'f' && size == 8) {
                data.asDoubleBuffer().get(out, 0, n);
                return out;
            }
            for (int e = 0; e < n; e++) {
                int at = e * size;
                out[e] = switch (kind) {
                    case 'f' -> data.getFloat(at);
                    case 'b' -> data.get(at) != 0 ? 1.0 : 0.0;
                    case 'i' -> switch (size) {
                        case 1 -> data.get(at);
                        case 2 -> data.getShort(at);
                        case 4 -> data.getInt(at);
                        default -> data.getLong(at);
                    };
                    default -> switch (size) { // 'u'
                        case 1 -> data.get(at) & 0xff;
                        case 2 -> data.getShort(at) & 0xffff;
                        case 4 -> data.getInt(at) & 0xffffffffL;
                        default -> unsignedLong(data.getLong(at));
                    };
                };
            }
            return out;
        }

        private static double unsignedLong(long v) {
            return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
        }
    }
}
