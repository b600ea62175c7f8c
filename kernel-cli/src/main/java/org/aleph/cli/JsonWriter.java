package org.aleph.cli;

/**
 * A minimal streaming JSON writer for the one object a {@code --json} command prints
 * (RFC 8259). Commas are inserted automatically; numbers are written with
 * {@link Double#toString(double)} so that they read back exactly; a non-finite number,
 * which JSON cannot hold, is written as {@code null}.
 */
final class JsonWriter {

    private final StringBuilder b = new StringBuilder();
    private boolean needComma;

    JsonWriter beginObject() {
        comma();
        b.append('{');
        needComma = false;
        return this;
    }

    JsonWriter endObject() {
        b.append('}');
        needComma = true;
        return this;
    }

    JsonWriter beginArray() {
        comma();
        b.append('[');
        needComma = false;
        return this;
    }

    JsonWriter endArray() {
        b.append(']');
        needComma = true;
        return this;
    }

    /** The name of the next member of an object. */
    JsonWriter name(String name) {
        comma();
        quote(name);
        b.append(':');
        needComma = false;
        return this;
    }

    JsonWriter value(String s) {
        comma();
        if (s == null) {
            b.append("null");
        } else {
            quote(s);
        }
        needComma = true;
        return this;
    }

    JsonWriter value(double x) {
        comma();
        if (Double.isFinite(x)) {
            b.append(x);
        } else {
            b.append("null");
        }
        needComma = true;
        return this;
    }

    JsonWriter value(long x) {
        comma();
        b.append(x);
        needComma = true;
        return this;
    }

    JsonWriter value(boolean x) {
        comma();
        b.append(x);
        needComma = true;
        return this;
    }

    JsonWriter nullValue() {
        comma();
        b.append("null");
        needComma = true;
        return this;
    }

    /** A row-major matrix as an array of rows. */
    JsonWriter matrix(double[] data, int rows, int cols) {
        beginArray();
        for (int i = 0; i < rows; i++) {
            beginArray();
            for (int j = 0; j < cols; j++) {
                value(data[i * cols + j]);
            }
            endArray();
        }
        return endArray();
    }

    /** An array of numbers. */
    JsonWriter vector(double[] v) {
        beginArray();
        for (double x : v) {
            value(x);
        }
        return endArray();
    }

    private void comma() {
        if (needComma) {
            b.append(',');
            needComma = false;
        }
    }

    private void quote(String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
