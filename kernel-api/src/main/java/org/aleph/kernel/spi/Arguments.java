package org.aleph.kernel.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of one activation, bound to its declared {@link Parameter}s with defaults
 * filled in. Values are {@link Double}, {@link String} or {@code double[]} (variadic).
 */
public final class Arguments {

    private final Map<String, Object> values;

    /** @param values bound values by parameter name, in declaration order; copied */
    public Arguments(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** No arguments. */
    public static Arguments none() {
        return new Arguments(Map.of());
    }

    /** The number bound to a parameter. */
    public double number(String name) {
        Object v = require(name);
        if (!(v instanceof Double d)) {
            throw new InvalidArgumentException(name, "parameter " + name + " must be a number");
        }
        return d;
    }

    /** The number bound to a parameter, which must be an integer within [min, max]. */
    public int integer(String name, int min, int max) {
        double v = number(name);
        if (v != Math.rint(v) || v < min || v > max) {
            throw new InvalidArgumentException(name,
                    "parameter " + name + " must be an integer in [" + min + ", " + max + "], got " + v);
        }
        return (int) v;
    }

    /** The string bound to a parameter. */
    public String string(String name) {
        Object v = require(name);
        if (!(v instanceof String s)) {
            throw new InvalidArgumentException(name, "parameter " + name + " must be a quoted string");
        }
        return s;
    }

    /** The numbers collected by a variadic parameter (a copy; possibly empty). */
    public double[] numbers(String name) {
        Object v = require(name);
        if (!(v instanceof double[] a)) {
            throw new InvalidArgumentException(name, "parameter " + name + " must be a list of numbers");
        }
        return a.clone();
    }

    /** All values by name in declaration order (unmodifiable; arrays are shared). */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * The activation as written in a spec with every argument named, e.g.
     * {@code LeakyRelu(alpha=0.1)}; just the name when there are no arguments.
     */
    public String toSpec(String providerName) {
        if (values.isEmpty()) {
            return providerName;
        }
        StringBuilder b = new StringBuilder(providerName).append('(');
        String sep = "";
        for (Map.Entry<String, Object> e : values.entrySet()) {
            b.append(sep).append(e.getKey()).append('=');
            Object v = e.getValue();
            if (v instanceof double[] a) {
                b.setLength(b.length() - e.getKey().length() - 1);
                String s2 = "";
                for (double x : a) {
                    b.append(s2).append(formatNumber(x));
                    s2 = ", ";
                }
            } else if (v instanceof String s) {
                b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else {
                b.append(formatNumber((Double) v));
            }
            sep = ", ";
        }
        return b.append(')').toString();
    }

    /** A number as the shortest text that reads back exactly ({@code 2} rather than {@code 2.0}). */
    public static String formatNumber(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return Double.toString(x);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new InvalidArgumentException(name, "missing parameter " + name);
        }
        return v;
    }
}
