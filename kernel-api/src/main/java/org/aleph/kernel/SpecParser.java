package org.aleph.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.spi.InvalidArgumentException;

/**
 * Parses the network spec syntax of DESIGN.md: layers separated by whitespace, arguments
 * positional or {@code name=value}, parentheses optional when every argument takes its
 * default, {@code Residual(...)} holding a nested sequence of layers, strings in double
 * quotes (with {@code \"} and {@code \\} escapes). Every mistake is reported as a
 * {@link SpecException} naming the 1-based column.
 */
final class SpecParser {

    /**
     * The deepest nesting of {@code Residual(...)} accepted. The parser and the kernel
     * recursion descend once per level, so a limit keeps a hostile spec (thousands of
     * {@code Residual(}) from overflowing the stack; real networks nest a few levels.
     */
    static final int MAX_NESTING = 64;

    private final String text;
    private int nesting;
    private final ActivationRegistry registry;
    private final Map<Layer, Integer> columns;
    private int pos;

    private SpecParser(String text, ActivationRegistry registry, Map<Layer, Integer> columns) {
        this.text = text;
        this.registry = registry;
        this.columns = columns;
    }

    /** Parses the layers, recording the 1-based column of each layer object in {@code columns}. */
    static List<Layer> parse(String text, ActivationRegistry registry, Map<Layer, Integer> columns) {
        SpecParser p = new SpecParser(text, registry, columns);
        List<Layer> layers = p.sequence(false);
        if (layers.isEmpty()) {
            throw new SpecException(1, "the spec is empty; write layers such as 'Dense(1.5, 0.05) Relu Dense(1, 0)'");
        }
        return layers;
    }

    private List<Layer> sequence(boolean nested) {
        List<Layer> layers = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                if (nested) {
                    throw new SpecException(pos + 1, "missing ')' to close Residual(");
                }
                return layers;
            }
            char c = text.charAt(pos);
            if (c == ')') {
                if (!nested) {
                    throw new SpecException(pos + 1, "unbalanced ')': no '(' is open here");
                }
                return layers;
            }
            int column = pos + 1;
            Layer layer = layer();
            columns.put(layer, column);
            layers.add(layer);
        }
    }

    private Layer layer() {
        int start = pos;
        String name = identifier();
        skipSpace();
        if (name.equals("Residual")) {
            if (pos >= text.length() || text.charAt(pos) != '(') {
                throw new SpecException(start + 1, "Residual needs its branch in parentheses, e.g. Residual(Relu Dense(1, 0))");
            }
            if (nesting >= MAX_NESTING) {
                throw new SpecException(start + 1, "Residual nested more than " + MAX_NESTING
                        + " levels deep; flatten the spec (residual branches may follow one another)");
            }
            pos++;
            nesting++;
            List<Layer> branch = sequence(true);
            nesting--;
            pos++; // ')'
            if (branch.isEmpty()) {
                throw new SpecException(start + 1, "Residual() has an empty branch; write e.g. Residual(Relu Dense(1, 0))");
            }
            try {
                return new Layer.Residual(branch);
            } catch (IllegalArgumentException e) {
                throw new SpecException(start + 1, e.getMessage());
            }
        }
        List<Object> positional = new ArrayList<>();
        Map<String, Object> named = new LinkedHashMap<>();
        if (pos < text.length() && text.charAt(pos) == '(') {
            arguments(positional, named);
        }
        try {
            switch (name) {
                case "Dense":
                    return StructuralLayers.dense(positional, named);
                case "Conv":
                    return StructuralLayers.conv(positional, named);
                case "AvgPool":
                    return StructuralLayers.avgPool(positional, named);
                case "LayerNorm":
                    return StructuralLayers.layerNorm(positional, named);
                case "Dropout":
                    return StructuralLayers.dropout(positional, named);
                case "GlobalAvgPool":
                    StructuralLayers.noArguments(name, positional, named);
                    return new Layer.GlobalAvgPool();
                case "Flatten":
                    StructuralLayers.noArguments(name, positional, named);
                    return new Layer.Flatten();
                default:
                    if (registry.find(name).isEmpty()) {
                        throw new SpecException(start + 1, unknownLayer(name));
                    }
                    return new Layer.Nonlinearity(registry.create(name, positional, named));
            }
        } catch (SpecException e) {
            throw e;
        } catch (InvalidArgumentException | UserErrorException e) {
            throw new SpecException(start + 1, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new SpecException(start + 1, name + ": " + e.getMessage());
        }
    }

    private String unknownLayer(String name) {
        List<String> candidates = new ArrayList<>(registry.nearest(name, 3));
        for (String layer : StructuralLayers.NAMES) {
            if (EditDistance.between(layer.toLowerCase(), name.toLowerCase()) <= 2 && !candidates.contains(layer)) {
                candidates.add(0, layer);
            }
        }
        return "unknown layer '" + name + "'" + (candidates.isEmpty()
                ? "; layers are " + String.join(", ", StructuralLayers.NAMES) + " and the activations listed by `aleph activations`"
                : "; did you mean " + String.join(" or ", candidates) + "?");
    }

    private void arguments(List<Object> positional, Map<String, Object> named) {
        int open = pos;
        pos++; // '('
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ')') {
            pos++;
            return;
        }
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                throw new SpecException(open + 1, "missing ')' to close this '('");
            }
            int argStart = pos;
            String key = null;
            if (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_') {
                int save = pos;
                String id = identifier();
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == '=') {
                    pos++;
                    key = id;
                    skipSpace();
                } else {
                    pos = save;
                }
            }
            Object value = value();
            if (key != null) {
                if (named.containsKey(key)) {
                    throw new SpecException(argStart + 1, "argument '" + key + "' is given twice");
                }
                named.put(key, value);
            } else {
                if (!named.isEmpty()) {
                    throw new SpecException(argStart + 1, "a positional argument cannot follow a named one");
                }
                positional.add(value);
            }
            skipSpace();
            if (pos >= text.length()) {
                throw new SpecException(open + 1, "missing ')' to close this '('");
            }
            char c = text.charAt(pos);
            if (c == ',') {
                pos++;
            } else if (c == ')') {
                pos++;
                return;
            } else {
                throw new SpecException(pos + 1, "expected ',' or ')' but found '" + c
                        + "'; is the ')' of the '(' at column " + (open + 1) + " missing?");
            }
        }
    }

    private Object value() {
        if (pos >= text.length()) {
            throw new SpecException(pos + 1, "expected a value");
        }
        char c = text.charAt(pos);
        if (c == '"') {
            return string();
        }
        int start = pos;
        if (Character.isLetter(c) && !startsNonFinite()) {
            return new BareWord(identifier());
        }
        while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos < text.length() - 1 && text.charAt(pos) == 'x' && Character.isDigit(text.charAt(pos + 1))
                && text.substring(start, pos).chars().allMatch(Character::isDigit)) {
            pos++; // a size such as 3x5
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            return new BareWord(text.substring(start, pos));
        }
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++; // swallow "inf", "nan", stray letters, so the message shows the whole token
        }
        String token = text.substring(start, pos);
        if (token.isEmpty()) {
            throw new SpecException(start + 1, "expected a number or a quoted string but found '" + c + "'");
        }
        try {
            double d = Double.parseDouble(token);
            if (!Double.isFinite(d)) {
                throw new SpecException(start + 1, "'" + token + "' is not a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new SpecException(start + 1, "'" + token + "' is not a number");
        }
    }

    /** Whether the text at the cursor is inf, nan or infinity (any case), which must read as a non-finite number. */
    private boolean startsNonFinite() {
        int end = pos;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        String word = text.substring(pos, end).toLowerCase(java.util.Locale.ROOT);
        return word.equals("inf") || word.equals("nan") || word.equals("infinity");
    }

    private String string() {
        int start = pos;
        pos++;
        StringBuilder b = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\' && pos < text.length()) {
                b.append(text.charAt(pos++));
            } else {
                b.append(c);
            }
        }
        throw new SpecException(start + 1, "unterminated string: add the closing '\"'");
    }

    private String identifier() {
        int start = pos;
        if (pos >= text.length() || !(Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
            char c = pos < text.length() ? text.charAt(pos) : ' ';
            throw new SpecException(start + 1, c == '(' ? "'(' must follow a layer name, e.g. Dense(1.5, 0.05)"
                    : "expected a layer name but found '" + c + "'");
        }
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
