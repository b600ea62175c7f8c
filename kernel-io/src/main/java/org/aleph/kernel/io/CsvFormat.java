package org.aleph.kernel.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * The CSV dialect of docs/DESIGN.md ("Data formats"), the numeric subset of RFC 4180 without
 * quoting: numbers separated by commas, one sample per line (LF, CR LF or CR), no header;
 * lines whose first non-blank character is {@code #} are comments and blank lines are ignored. Every value must be a finite number and every row as long as
 * the first; a mistake is reported as {@code file:line: column c: ...}.
 *
 * <p>Output writes each double with {@link Double#toString(double)}, whose digits identify
 * the double uniquely, so {@link Double#parseDouble} reads back the same bits (including
 * -0.0 and subnormals).
 */
public final class CsvFormat {

    /** Rows formatted per task when writing in parallel. */
    private static final int ROWS_PER_TASK = 32;
    /** The longest line accepted, in characters (a row of about a million values). */
    static final int MAX_LINE = 1 << 24;
    /** Lines parsed per task when reading in parallel. */
    private static final int LINES_PER_BLOCK = 256;

    private CsvFormat() {
    }

    /**
     * Reads a matrix. Lines are read in order, then parsed in blocks on every core; the
     * mistake reported is the first one in file order, as if read sequentially.
     *
     * @param in   the text (Latin-1 or UTF-8; only ASCII is meaningful)
     * @param name the file name used in messages
     * @throws UserErrorException naming file:line and column of the first mistake
     */
    public static Matrix read(BufferedReader in, String name) throws IOException {
        List<String> lines = lines(in, name);
        if (!lines.isEmpty()) {
            String first = lines.get(0);
            if (first.startsWith("\uFEFF")) {
                lines.set(0, first.substring(1));
            } else if (first.startsWith("\u00EF\u00BB\u00BF")) {
                lines.set(0, first.substring(3));
            }
        }
        int firstLine = -1;
        for (int i = 0; i < lines.size() && firstLine < 0; i++) {
            if (isData(lines.get(i))) {
                firstLine = i;
            }
        }
        if (firstLine < 0) {
            throw new UserErrorException(name + ": the file holds no numbers (" + (lines.isEmpty() ? "it is empty" : "only blank or comment lines")
                    + "); write one sample per line, values separated by commas");
        }
        String head = lines.get(firstLine);
        int width = 1;
        for (int k = 0; k < head.length(); k++) {
            if (head.charAt(k) == ',') {
                width++;
            }
        }
        int blocks = (lines.size() - firstLine + LINES_PER_BLOCK - 1) / LINES_PER_BLOCK;
        Block[] parsed = new Block[blocks];
        int from = firstLine;
        int w = width;
        IntStream range = IntStream.range(0, blocks);
        (blocks > 1 ? range.parallel() : range).forEach(b -> parsed[b] = Block.parse(lines, from + b * LINES_PER_BLOCK,
                Math.min(lines.size(), from + (b + 1) * LINES_PER_BLOCK), w, from + 1, name));
        int rows = 0;
        for (Block b : parsed) {
            if (b.error != null) {
                throw b.error;
            }
            rows += b.rows;
        }
        double[] data = new double[Math.multiplyExact(rows, width)];
        int at = 0;
        for (Block b : parsed) {
            System.arraycopy(b.values, 0, data, at, b.rows * width);
            at += b.rows * width;
        }
        return Matrix.wrap(rows, width, data);
    }

    /**
     * The lines of the text (ends: LF, CR LF or CR), each at most {@value #MAX_LINE} characters:
     * a "file" without line breaks (e.g. a link to /dev/zero) is refused after that many instead
     * of filling the heap. The first data line is parsed as soon as it is complete, so a file that
     * is not CSV at all (binary, /dev/urandom) is refused at once, not after reading all of it.
     */
    private static List<String> lines(Reader in, String name) throws IOException {
        List<String> lines = new ArrayList<>();
        char[] buf = new char[1 << 16];
        StringBuilder current = new StringBuilder();
        boolean afterCr = false;
        boolean checked = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                char c = buf[i];
                if (c == '\n' || c == '\r') {
                    if (c == '\n' && afterCr) {
                        afterCr = false;
                        start = i + 1;
                        continue;
                    }
                    current.append(buf, start, i - start);
                    checkLength(current, lines.size() + 1, name);
                    lines.add(current.toString());
                    current.setLength(0);
                    afterCr = c == '\r';
                    start = i + 1;
                } else {
                    afterCr = false;
                }
            }
            current.append(buf, start, n - start);
            checkLength(current, lines.size() + 1, name);
            if (!checked) {
                checked = checkFirstDataLine(lines, name);
            }
        }
        if (current.length() > 0) {
            lines.add(current.toString());
        }
        return lines;
    }

    private static void checkLength(StringBuilder line, int lineNo, String name) {
        if (line.length() > MAX_LINE) {
            throw new UserErrorException(name + ":" + lineNo + ": the line is longer than " + MAX_LINE
                    + " characters (no line break); write one sample per line");
        }
    }

    /** Parses the first data line among those read so far; true once there was one. */
    private static boolean checkFirstDataLine(List<String> lines, String name) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            } else if (i == 0 && line.startsWith("\u00EF\u00BB\u00BF")) {
                line = line.substring(3);
            }
            if (isData(line)) {
                Block b = Block.parse(List.of(line), 0, 1, 1 + Block.count(line, ','), i + 1, name);
                if (b.error != null) {
                    UserErrorException e = b.error;
                    String msg = e.getMessage().replaceFirst("^" + java.util.regex.Pattern.quote(name) + ":1:", name + ":" + (i + 1) + ":");
                    throw new UserErrorException(msg, e);
                }
                return true;
            }
        }
        return false;
    }

    private static boolean isData(String line) {
        int k = 0;
        while (k < line.length() && Character.isWhitespace(line.charAt(k))) {
            k++;
        }
        return k < line.length() && line.charAt(k) != '#';
    }

    /** The values of the data lines of one block of lines, or the first mistake in it. */
    private static final class Block {
        double[] values;
        int rows;
        UserErrorException error;

        static Block parse(List<String> lines, int from, int to, int width, int firstLineNo, String name) {
            Block b = new Block();
            b.values = new double[(to - from) * width];
            int size = 0;
            try {
                for (int i = from; i < to; i++) {
                    String line = lines.get(i);
                    if (!isData(line)) {
                        continue;
                    }
                    int lineNo = i + 1;
                    int count = 0;
                    int start = 0;
                    while (true) {
                        int comma = line.indexOf(',', start);
                        int end = comma < 0 ? line.length() : comma;
                        count++;
                        if (count > width) {
                            throw ragged(name, lineNo, 1 + count(line, ','), firstLineNo, width);
                        }
                        b.values[size++] = CsvFormat.parse(line, start, end, name, lineNo, count);
                        if (comma < 0) {
                            break;
                        }
                        start = comma + 1;
                    }
                    if (count != width) {
                        throw ragged(name, lineNo, count, firstLineNo, width);
                    }
                    b.rows++;
                }
            } catch (UserErrorException e) {
                b.error = e;
            }
            return b;
        }

        private static int count(String s, char c) {
            int n = 0;
            for (int k = 0; k < s.length(); k++) {
                if (s.charAt(k) == c) {
                    n++;
                }
            }
            return n;
        }

        private static UserErrorException ragged(String name, int lineNo, int count, int firstLineNo, int width) {
            return new UserErrorException(name + ":" + lineNo + ": this row has " + count + " value" + (count == 1 ? "" : "s")
                    + " but the first row (line " + firstLineNo + ") has " + width + "; every sample needs the same number of features");
        }
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
        String lower = token.toLowerCase(java.util.Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        if (unsigned.equals("nan") || unsigned.equals("inf") || unsigned.equals("infinity")) {
            throw new UserErrorException(where + "'" + shorten(token) + "' is not a finite number; inputs must be finite");
        }
        double v;
        try {
            if (!plainDecimal(lower)) {
                throw new NumberFormatException(token); // Java's suffixes (1d, 2f) and hex floats are not CSV numbers
            }
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

    /** Only digits, sign, '.', and an exponent 'e': what other tools write and read as a decimal number. */
    private static boolean plainDecimal(String lower) {
        for (int k = 0; k < lower.length(); k++) {
            char c = lower.charAt(k);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e')) {
                return false;
            }
        }
        return true;
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
