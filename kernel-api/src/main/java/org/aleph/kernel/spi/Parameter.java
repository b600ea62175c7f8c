package org.aleph.kernel.spi;

import java.util.Objects;

/**
 * One declared parameter of an activation: its name, its type, its default (null when
 * the parameter is required) and whether it collects all remaining positional numbers
 * (as {@code Polynomial(c0, c1, ...)} does).
 *
 * @param name         the name used in {@code name=value} arguments, never null
 * @param type         number or string
 * @param defaultValue a {@link Double} or {@link String}, or null when required
 * @param variadic     true when the parameter takes all remaining positional numbers
 * @param description  one line for {@code aleph activations}, never null
 */
public record Parameter(String name, Type type, Object defaultValue, boolean variadic, String description) {

    /** The value type of a parameter. */
    public enum Type { NUMBER, STRING }

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
    }

    /** A number parameter with a default. */
    public static Parameter number(String name, double defaultValue, String description) {
        return new Parameter(name, Type.NUMBER, defaultValue, false, description);
    }

    /** A number parameter without a default. */
    public static Parameter requiredNumber(String name, String description) {
        return new Parameter(name, Type.NUMBER, null, false, description);
    }

    /** A required string parameter. */
    public static Parameter string(String name, String description) {
        return new Parameter(name, Type.STRING, null, false, description);
    }

    /** A variadic list of numbers (may be empty); must be the last parameter. */
    public static Parameter numbers(String name, String description) {
        return new Parameter(name, Type.NUMBER, null, true, description);
    }

    /** True when a value must be given. */
    public boolean required() {
        return defaultValue == null && !variadic;
    }

    /** How the parameter reads in a listing: {@code alpha=0.01}, {@code n}, {@code c...}. */
    @Override
    public String toString() {
        if (variadic) {
            return name + "...";
        }
        if (defaultValue == null) {
            return name;
        }
        if (defaultValue instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return name + "=" + (long) d.doubleValue();
        }
        return name + "=" + defaultValue;
    }
}
