package org.aleph.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds the arguments of the layers that are not activations: {@code Dense(W_std=1, b_std=0,
 * parameterization=ntk, width)}, {@code Conv(W_std=1, b_std=0, filter=3, stride=1, padding=SAME,
 * parameterization=ntk, width)}, {@code AvgPool(window=2, stride=window, padding=VALID)},
 * {@code Dropout(rate)} and {@code LayerNorm(eps=0)}, where a size is a number ({@code 3}) or height x width ({@code 3x5}) and a
 * padding is SAME, VALID or CIRCULAR (any case, quoted or not). Every mistake is one
 * {@link UserErrorException} naming the layer and the parameter; the parser adds the column.
 */
final class StructuralLayers {

    /** The layer names that are not activations, in the order the help lists them. */
    static final List<String> NAMES = List.of("Dense", "Conv", "AvgPool", "GlobalAvgPool", "Flatten", "Residual", "LayerNorm",
            "FanOut", "Parallel", "FanInSum", "FanInProd", "FanInConcat", "Repeat", "Dropout");

    private StructuralLayers() {
    }

    static Layer conv(List<Object> positional, Map<String, Object> named) {
        Map<String, Object> a = bind("Conv", List.of("W_std", "b_std", "filter", "stride", "padding", "parameterization", "width"),
                5, positional, named);
        double w = nonNegative("Conv", "W_std", a.getOrDefault("W_std", 1.0));
        double b = nonNegative("Conv", "b_std", a.getOrDefault("b_std", 0.0));
        int[] filter = size("Conv", "filter", a.getOrDefault("filter", 3.0));
        int[] stride = size("Conv", "stride", a.getOrDefault("stride", 1.0));
        Layer.Padding padding = padding("Conv", a.getOrDefault("padding", "SAME"));
        return new Layer.Conv(w, b, filter[0], filter[1], stride[0], stride[1], padding,
                parameterization("Conv", a.getOrDefault("parameterization", "ntk")), width("Conv", a.get("width")));
    }

    /** {@code Dense(W_std=1, b_std=0, parameterization=ntk, width=none)}. */
    static Layer dense(List<Object> positional, Map<String, Object> named) {
        Map<String, Object> a = bind("Dense", List.of("W_std", "b_std", "parameterization", "width"), 2, positional, named);
        double w = nonNegative("Dense", "W_std", a.getOrDefault("W_std", 1.0));
        double b = nonNegative("Dense", "b_std", a.getOrDefault("b_std", 0.0));
        return new Layer.Dense(w, b, parameterization("Dense", a.getOrDefault("parameterization", "ntk")), width("Dense", a.get("width")));
    }

    /** {@code Dropout(rate)}: the rate (probability of dropping) is required and lies in [0, 1). */
    static Layer dropout(List<Object> positional, Map<String, Object> named) {
        Map<String, Object> a = bind("Dropout", List.of("rate"), positional, named);
        if (!a.containsKey("rate")) {
            throw new UserErrorException("Dropout needs its rate, the probability of dropping a unit, e.g. Dropout(0.1)");
        }
        double rate = number("Dropout", "rate", a.get("rate"));
        if (!(rate >= 0 && rate < 1)) {
            throw new UserErrorException("Dropout: rate is the probability of dropping a unit and must lie in [0, 1), got "
                    + org.aleph.kernel.spi.Arguments.formatNumber(rate)
                    + " (neural-tangents' Dropout takes the keep probability, 1 - rate)");
        }
        return new Layer.Dropout(rate);
    }

    /** {@code LayerNorm(eps=0)}. */
    static Layer layerNorm(List<Object> positional, Map<String, Object> named) {
        Map<String, Object> a = bind("LayerNorm", List.of("eps"), positional, named);
        return new Layer.LayerNorm(nonNegative("LayerNorm", "eps", a.getOrDefault("eps", 0.0)));
    }

    static Layer avgPool(List<Object> positional, Map<String, Object> named) {
        Map<String, Object> a = bind("AvgPool", List.of("window", "stride", "padding"), positional, named);
        int[] window = size("AvgPool", "window", a.getOrDefault("window", 2.0));
        int[] stride = a.containsKey("stride") ? size("AvgPool", "stride", a.get("stride")) : window;
        Layer.Padding padding = padding("AvgPool", a.getOrDefault("padding", "VALID"));
        return new Layer.AvgPool(window[0], window[1], stride[0], stride[1], padding);
    }

    static void noArguments(String who, List<Object> positional, Map<String, Object> named) {
        if (!positional.isEmpty() || !named.isEmpty()) {
            throw new UserErrorException(who + " takes no arguments");
        }
    }

    private static Map<String, Object> bind(String who, List<String> names, List<Object> positional, Map<String, Object> named) {
        return bind(who, names, names.size(), positional, named);
    }

    /** Binds at most {@code byPosition} leading parameters by position; the rest only by name. */
    private static Map<String, Object> bind(String who, List<String> names, int byPosition, List<Object> positional,
                                            Map<String, Object> named) {
        if (positional.size() > byPosition && byPosition < names.size()) {
            throw new UserErrorException(who + " takes at most " + byPosition + " arguments by position ("
                    + String.join(", ", names.subList(0, byPosition)) + ") but was given " + positional.size()
                    + "; name the others, e.g. " + names.get(byPosition) + "=...");
        }
        if (positional.size() > names.size()) {
            throw new UserErrorException(who + " takes at most " + names.size() + " arguments (" + String.join(", ", names)
                    + ") but was given " + positional.size());
        }
        Map<String, Object> bound = new LinkedHashMap<>();
        for (int i = 0; i < positional.size(); i++) {
            bound.put(names.get(i), positional.get(i));
        }
        for (Map.Entry<String, Object> e : named.entrySet()) {
            if (!names.contains(e.getKey())) {
                throw new UserErrorException(who + " has no parameter '" + e.getKey() + "'; its parameters are "
                        + String.join(", ", names));
            }
            if (bound.containsKey(e.getKey())) {
                throw new UserErrorException(who + " was given parameter '" + e.getKey() + "' twice");
            }
            bound.put(e.getKey(), e.getValue());
        }
        return bound;
    }

    private static double number(String who, String param, Object value) {
        if (value instanceof BareWord word) {
            throw new UserErrorException(who + ": parameter '" + param + "': '" + word + "' is not a number");
        }
        if (!(value instanceof Double d)) {
            throw new UserErrorException(who + ": parameter '" + param + "' must be a number, got \"" + value + "\"");
        }
        return d;
    }

    private static Layer.Parameterization parameterization(String who, Object value) {
        String text = value.toString().toUpperCase(Locale.ROOT);
        for (Layer.Parameterization p : Layer.Parameterization.values()) {
            if (p.name().equals(text)) {
                return p;
            }
        }
        throw new UserErrorException(who + ": parameterization must be ntk or standard (neural-tangents' words), got '"
                + value + "'");
    }

    /** A declared width: a positive whole number, or 0 when absent. */
    private static int width(String who, Object value) {
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Double d) || d != Math.rint(d) || d < 1 || d > 1 << 30) {
            throw new UserErrorException(who + ": width (the declared number of output units, neural-tangents' out_dim) "
                    + "must be a positive whole number, got " + (value instanceof Double d ? org.aleph.kernel.spi.Arguments.formatNumber(d)
                    : "'" + value + "'"));
        }
        return d.intValue();
    }

    private static double nonNegative(String who, String param, Object value) {
        double d = number(who, param, value);
        if (!Double.isFinite(d) || d < 0) {
            throw new UserErrorException(who + ": " + param + " must be finite and non-negative, got " + d);
        }
        return d;
    }

    /** A size: a positive whole number n (n x n) or h x w written {@code 3x5}. */
    private static int[] size(String who, String param, Object value) {
        String hint = who + ": " + param + " must be a positive whole number or height x width such as 3x5, got ";
        if (value instanceof Double d) {
            if (d != Math.rint(d) || d < 1 || d > 1 << 20) {
                throw new UserErrorException(hint + org.aleph.kernel.spi.Arguments.formatNumber(d));
            }
            return new int[] {d.intValue(), d.intValue()};
        }
        String text = value.toString();
        String[] parts = text.split("x", -1);
        if (parts.length != 2) {
            throw new UserErrorException(hint + "'" + text + "'");
        }
        try {
            int h = Integer.parseInt(parts[0]);
            int w = Integer.parseInt(parts[1]);
            if (h < 1 || w < 1 || h > 1 << 20 || w > 1 << 20) {
                throw new UserErrorException(hint + "'" + text + "'");
            }
            return new int[] {h, w};
        } catch (NumberFormatException e) {
            throw new UserErrorException(hint + "'" + text + "'");
        }
    }

    private static Layer.Padding padding(String who, Object value) {
        String text = value.toString().toUpperCase(Locale.ROOT);
        for (Layer.Padding p : Layer.Padding.values()) {
            if (p.name().equals(text)) {
                return p;
            }
        }
        throw new UserErrorException(who + ": padding must be SAME, VALID or CIRCULAR, got '" + value + "'");
    }
}
