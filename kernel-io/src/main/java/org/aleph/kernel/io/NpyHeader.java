package org.aleph.kernel.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aleph.kernel.UserErrorException;

/**
 * The header of a {@code .npy} file (numpy.lib.format, versions 1.0, 2.0 and 3.0): the magic
 * string {@code \x93NUMPY}, the version, a little-endian header length (2 bytes in version 1,
 * 4 bytes in 2 and 3), then a Python dict literal with {@code 'descr'}, {@code 'fortran_order'}
 * and {@code 'shape'}; the data starts right after it. Parsing checks everything a reader needs
 * before it allocates anything: the version, a supported dtype, a shape without negative axes
 * whose values fit in one Java array.
 *
 * @param dtype     the element type
 * @param fortran   true when the data are in column-major (Fortran) order
 * @param shape     the array's shape, at least one axis
 * @param dataStart the offset of the first data byte in the file
 * @param count     the number of values (the product of the shape)
 */
record NpyHeader(Dtype dtype, boolean fortran, long[] shape, int dataStart, int count) {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** The most header bytes accepted (NumPy's own limit for reading is 10 000). */
    static final int MAX_HEADER = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The number of data bytes the header promises. */
    long dataBytes() {
        return (long) count * dtype.size();
    }

    /**
     * Checks the magic string and the version in the first bytes of {@code b} (at least 10 of
     * them, or a "too short" error naming {@code fileSize}) and returns the header's length
     * field and where the header starts, as {@code {start, length}}.
     */
    static long[] prefix(ByteBuffer b, long fileSize, String name) {
        if (b.limit() < 10 || fileSize < 10) {
            throw new UserErrorException(name + ": too short to be a NumPy .npy file (" + fileSize + " bytes)");
        }
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (le.get(i) != MAGIC[i]) {
                throw new UserErrorException(name + ": not a NumPy .npy file (it does not start with \\x93NUMPY); save it with numpy.save");
            }
        }
        int major = le.get(6) & 0xff;
        if (major < 1 || major > 3) {
            throw new UserErrorException(name + ": .npy format version " + major + " is not supported (only 1, 2 and 3)");
        }
        if (major == 1) {
            return new long[] {10, le.getShort(8) & 0xffff, major};
        }
        if (le.limit() < 12) {
            throw new UserErrorException(name + ": the .npy header is truncated");
        }
        return new long[] {12, le.getInt(8) & 0xffffffffL, major};
    }

    /**
     * Parses a header whose bytes {@code b} holds from offset 0 (the magic string) up to at
     * least the end of the header dict.
     *
     * @param fileSize the size of the whole file, to check that the data are all there
     * @throws UserErrorException naming the file for a damaged or unsupported header or a truncated file
     */
    static NpyHeader parse(ByteBuffer b, long fileSize, String name) {
        long[] p = prefix(b, fileSize, name);
        int headerStart = (int) p[0];
        long headerLength = p[1];
        if (headerStart + headerLength > fileSize || headerStart + headerLength > b.limit()) {
            throw new UserErrorException(name + ": the .npy header is truncated");
        }
        byte[] h = new byte[(int) headerLength];
        b.duplicate().position(headerStart).get(h);
        String header = new String(h, p[2] == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, name, "descr");
        boolean fortran = group(FORTRAN, header, name, "fortran_order").equals("True");
        long[] shape = shape(group(SHAPE, header, name, "shape"), name);
        Dtype dtype = Dtype.parse(descr, name);
        long count = 1;
        for (long s : shape) {
            count *= s; // no overflow: shape() bounds the product by Integer.MAX_VALUE
        }
        int dataStart = (int) (headerStart + headerLength);
        NpyHeader result = new NpyHeader(dtype, fortran, shape, dataStart, (int) count);
        long needed = result.dataBytes();
        if (fileSize - dataStart < needed) {
            throw new UserErrorException(name + ": the file is truncated: the header promises " + needed
                    + " bytes of data but only " + (fileSize - dataStart) + " follow");
        }
        return result;
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

    /** A supported element type: kind (f, i, u, b), size in bytes and byte order. */
    record Dtype(char kind, int size, ByteOrder order) {

        static Dtype parse(String descr, String name) {
            if (descr.length() < 3) {
                throw unsupported(descr, name);
            }
            ByteOrder order = switch (descr.charAt(0)) {
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

        /**
         * Decodes the {@code n} elements at the start of {@code data} (any position; read from
         * index 0 of a slice) into {@code out[off .. off + n)}. Float64 and float32 are bulk
         * copies (a memory copy, byte-swapped when the orders differ); the other types go
         * element by element.
         */
        void decode(ByteBuffer data, double[] out, int off, int n) {
            ByteBuffer d = data.slice().order(order);
            if (kind == 'f' && size == 8) {
                d.asDoubleBuffer().get(out, off, n);
                return;
            }
            if (kind == 'f') {
                float[] f = new float[n];
                d.asFloatBuffer().get(f, 0, n);
                for (int e = 0; e < n; e++) {
                    out[off + e] = f[e];
                }
                return;
            }
            for (int e = 0; e < n; e++) {
                int at = e * size;
                out[off + e] = switch (kind) {
                    case 'b' -> d.get(at) != 0 ? 1.0 : 0.0;
                    case 'i' -> switch (size) {
                        case 1 -> d.get(at);
                        case 2 -> d.getShort(at);
                        case 4 -> d.getInt(at);
                        default -> d.getLong(at);
                    };
                    default -> switch (size) { // 'u'
                        case 1 -> d.get(at) & 0xff;
                        case 2 -> d.getShort(at) & 0xffff;
                        case 4 -> d.getInt(at) & 0xffffffffL;
                        default -> unsignedLong(d.getLong(at));
                    };
                };
            }
        }

        private static double unsignedLong(long v) {
            return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
        }
    }
}
