package org.aleph.cli.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * The CSV dialect of DESIGN.md ("Data formats"): numbers separated by commas, one sample
 * per line, no header; lines whose first non-blank character is {@code #} are comments and
 * blank lines are ignored. Every value must be a finite number and every row as long as
 * the first; a mistake is reported as {@code file:line: column c: ...}.
 *
 * <p>Output writes each double with {@link Double#toString(double)}, whose digits identify
 * the double uniquely, so {@link Double#parseDouble} reads back the same bits (including
 * -0.0 and subnormals).
 */
public final class CsvFormat {

    /** Rows formatted per task when writing in parallel. */
    private static final int ROWS_PER_TASK = 32;

    private CsvFormat() {
    }

    /**
     * Reads a matrix.
     *
     * @param in   the text (Latin-1 or UTF-8; only ASCII is meaningful)
     * @param name the file name used in messages
     * @throws UserErrorException naming file:line and column of the first mistake
     */
    public static Matrix read(BufferedReader in, String name) throws IOException {
        double[] data = new double[1024];
        int size = 0;
        int width = -1;
        int firstLine = 0;
        int rows = 0;
        int lineNo = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            } else if (lineNo == 1 && line.startsWith("\u00EF\u00BB\u00BF")) {
                line = line.substring(3);
            }
            int start = 0;
            while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
                start++;
            }
            if (start == line.length() || line.charAt(start) == '#') {
                continue;
            }
            int count = 0;
            int from = 0;
            while (true) {
                int comma = line.indexOf(',', from);
                int end = comma < 0 ? line.length() : comma;
                count++;
                if (size == data.length) {
                    data = Arrays.copyOf(data, data.length * 2);
                }
                data[size++] = parse(line, from, end, name, lineNo, count);
                if (comma < 0) {
                    break;
                }
                from = comma + 1;
            }
            if (width < 0) {
                width = count;
                firstLine = lineNo;
            } else if (count != width) {
                throw new UserErrorException(name + ":" + lineNo + ": this row has " + count + " value" + (count == 1 ? "" : "s")
                        + " but the first row (line " + firstLine + ") has " + width + "; every sample needs the same number of features");
            }
            rows++;
        }
        if (rows == 0) {
            throw new UserErrorException(name + ": the file holds no numbers (" + (lineNo == 0 ? "it is empty" : "only blank or comment lines")
                    + "); write one sample per line, values separated by commas");
        }
        return Matrix.wrap(rows, width, size == data.length ? data : Arrays.copyOf(data, size));
    }

    private static double parse(String line, int from, int end, String name, int lineNo, int column) {
        int a = from;
        int b = end;
        while (a < b && Character.isWhitespace(line.charAt(a))) {
            a++;
        }
        while (b > a && Character.isWhitespace(line.charAt(b - 1))) {
            b--;
        }
        String where = name + ":" + lineNo + ": column " + column + ": ";
        if (a == b) {
            throw new UserErrorException(where + "the value is empty" + (end == line.length() && column > 1 ? " (a trailing comma?)" : "")
                    + "; every column needs a number");
        }
        String token = line.substring(a, b);
        double v;
        try {
            v = Double.parseDouble(token);
        } catch (NumberFormatException e) {
            String hint = token.matches(".*[;\\s].*") ? "; separate values with commas"
                    : (token.startsWith("\"") ? "; write numbers without quotes" : "; only numbers are allowed (no header line; '#' starts a comment line)");
            throw new UserErrorException(where + "'" + shorten(token) + "' is not a number" + hint);
        }
        if (!Double.isFinite(v)) {
            throw new UserErrorException(where + "'" + shorten(token) + "' is not a finite number; inputs must be finite");
        }
        return v;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Writes the rows of a matrix, values separated by commas, formatting blocks of rows in parallel. */
    public static void write(Matrix m, OutputStream out) throws IOException {
        int rows = m.rows();
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        int batch = Math.max(1, 4 * Runtime.getRuntime().availableProcessors());
        for (int t0 = 0; t0 < tasks; t0 += batch) {
            int t1 = Math.min(tasks, t0 + batch);
            byte[][] chunks = new byte[t1 - t0][];
            int base = t0;
            IntStream range = IntStream.range(t0, t1);
            (t1 - t0 > 1 && (long) m.cols() * ROWS_PER_TASK > 4096 ? range.parallel() : range)
                    .forEach(t -> chunks[t - base] = format(m, t * ROWS_PER_TASK, Math.min(rows, (t + 1) * ROWS_PER_TASK)));
            for (byte[] c : chunks) {
                out.write(c);
            }
        }
    }

    /** Writes a vector as a column: one value per line. */
    public static void writeColumn(double[] v, OutputStream out) throws IOException {
        write(Matrix.wrap(v.length, 1, v), out);
    }

    private static byte[] format(Matrix m, int r0, int r1) {
        StringBuilder b = new StringBuilder((r1 - r0) * m.cols() * 22);
        double[] a = m.data();
        int c = m.cols();
        for (int i = r0; i < r1; i++) {
            int base = i * c;
            for (int j = 0; j < c; j++) {
                if (j > 0) {
                    b.append(',');
                }
                b.append(a[base + j]);
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
