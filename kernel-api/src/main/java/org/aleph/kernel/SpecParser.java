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
 * quotes (with {@code \"} and {@code \\} escapes). Branching as neural-tangents' stax writes it:
 * {@code FanOut(k)}, then any number of {@code Parallel(a; b; ...)} (k serial specs separated by
 * {@code ;}, each possibly empty), then one of {@code FanInSum}, {@code FanInProd},
 * {@code FanInConcat}, read as one {@link Layer.Branches}; {@code Repeat(n, f)}. Every mistake is
 * reported as a {@link SpecException} naming the 1-based column.
 */
final class SpecParser {

    /**
     * The deepest nesting of {@code Residual(...)}, {@code Parallel(...)} and {@code Repeat(...)} accepted. The parser and the kernel
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
        List<Layer> layers = p.sequence(null);
        if (layers.isEmpty()) {
            throw new SpecException(1, "the spec is empty; write layers such as 'Dense(1.5, 0.05) Relu Dense(1, 0)'");
        }
        return layers;
    }

    /**
     * A serial list of layers up to the end of the text (opener null) or, inside
     * {@code opener(}, up to its ')' (or ';' between Parallel branches), which it does not consume.
     */
    private List<Layer> sequence(String opener) {
        List<Layer> layers = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                if (opener != null) {
                    throw new SpecException(pos + 1, "missing ')' to close " + opener + "(");
                }
                return layers;
            }
            char c = text.charAt(pos);
            if (c == ')') {
                if (opener == null) {
                    throw new SpecException(pos + 1, "unbalanced ')': no '(' is open here");
                }
                return layers;
            }
            if (c == ';') {
                if (!"Parallel".equals(opener)) {
                    throw new SpecException(pos + 1, "';' separates the branches of Parallel(a; b; ...) and may not appear "
                            + (opener == null ? "outside it" : "directly inside " + opener + "(...)"));
                }
                return layers;
            }
            int column = pos + 1;
            String next = peekIdentifier();
            Layer layer;
            if (next.equals("FanOut")) {
                layer = fanOut();
            } else if (next.equals("Parallel")) {
                throw new SpecException(column, "Parallel needs a FanOut(k) before it to open its k streams, "
                        + "e.g. FanOut(2) Parallel(Identity; Dense) FanInSum");
            } else if (fanIn(next) != null) {
                throw new SpecException(column, next + " joins streams, but none is open here; write FanOut(k) "
                        + "(and Parallel(...)) before it, e.g. FanOut(2) Parallel(Identity; Dense) " + next);
            } else {
                layer = layer();
            }
            columns.put(layer, column);
            layers.add(layer);
        }
    }

    private static Layer.FanIn fanIn(String name) {
        for (Layer.FanIn f : Layer.FanIn.values()) {
            if (f.specName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The identifier at the cursor, without moving it ("" when there is none). */
    private String peekIdentifier() {
        int save = pos;
        try {
            return Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_' ? identifier() : "";
        } finally {
            pos = save;
        }
    }

    /** {@code FanOut(k) [Parallel(...)]... FanInX} as one Branches layer. */
    private Layer fanOut() {
        int start = pos;
        identifier();
        skipSpace();
        List<Object> positional = new ArrayList<>();
        Map<String, Object> named = new LinkedHashMap<>();
        if (pos < text.length() && text.charAt(pos) == '(') {
            arguments(positional, named);
        }
        if (!named.isEmpty() || positional.size() != 1 || !(positional.get(0) instanceof Double d)
                || d != Math.rint(d) || d < 2 || d > 1024) {
            throw new SpecException(start + 1, "FanOut takes one whole number of streams from 2 to 1024, e.g. FanOut(2)");
        }
        int k = (int) (double) (Double) positional.get(0);
        List<List<Layer>> branches = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            branches.add(new ArrayList<>());
        }
        while (true) {
            skipSpace();
            int column = pos + 1;
            String next = pos < text.length() ? peekIdentifier() : "";
            Layer.FanIn join = fanIn(next);
            if (join != null) {
                identifier();
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == '(') {
                    List<Object> p = new ArrayList<>();
                    Map<String, Object> nm = new LinkedHashMap<>();
                    arguments(p, nm);
                    if (!p.isEmpty() || !nm.isEmpty()) {
                        throw new SpecException(column, next + " takes no arguments");
                    }
                }
                return new Layer.Branches(branches, join);
            }
            if (!next.equals("Parallel")) {
                String found = pos >= text.length() ? "the end of the spec"
                        : next.isEmpty() ? "'" + text.charAt(pos) + "'" : next;
                throw new SpecException(start + 1, "FanOut(" + k + ") opens " + k + " streams that must be joined by FanInSum, "
                        + "FanInProd or FanInConcat (after Parallel(...) if the branches differ), but " + found
                        + " at column " + column + " follows them");
            }
            List<List<Layer>> parallel = parallel();
            if (parallel.size() != k) {
                throw new SpecException(column, "Parallel has " + parallel.size() + " branch" + (parallel.size() == 1 ? "" : "es")
                        + " but FanOut(" + k + ") at column " + (start + 1) + " opened " + k + " streams; give one branch per stream, "
                        + "separated by ';'");
            }
            for (int i = 0; i < k; i++) {
                branches.get(i).addAll(parallel.get(i));
            }
        }
    }

    /** {@code Parallel(a; b; ...)}: the branches, each a serial list, possibly empty. */
    private List<List<Layer>> parallel() {
        int start = pos;
        identifier();
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != '(') {
            throw new SpecException(start + 1, "Parallel needs its branches in parentheses, e.g. Parallel(Identity; Relu Dense)");
        }
        enter(start, "Parallel");
        pos++;
        List<List<Layer>> branches = new ArrayList<>();
        while (true) {
            branches.add(sequence("Parallel"));
            char c = text.charAt(pos++);
            if (c == ')') {
                nesting--;
                return branches;
            }
        }
    }

    private void enter(int start, String what) {
        if (nesting >= MAX_NESTING) {
            throw new SpecException(start + 1, what + " nested more than " + MAX_NESTING
                    + " levels deep; flatten the spec (branches may follow one another)");
        }
        nesting++;
    }

    /** {@code Repeat(n, f)}. */
    private Layer repeat(int start) {
        if (pos >= text.length() || text.charAt(pos) != '(') {
            throw new SpecException(start + 1, "Repeat needs a count and layers in parentheses, e.g. Repeat(3, Dense Relu)");
        }
        enter(start, "Repeat");
        pos++;
        skipSpace();
        int countAt = pos;
        Object count = value();
        if (!(count instanceof Double d) || d != Math.rint(d) || d < 1 || d > Layer.Repeat.MAX_TIMES) {
            throw new SpecException(countAt + 1, "Repeat needs a whole number of copies from 1 to " + Layer.Repeat.MAX_TIMES
                    + " first, got " + (count instanceof Double v ? org.aleph.kernel.spi.Arguments.formatNumber(v) : count)
                    + ", e.g. Repeat(3, Dense Relu)");
        }
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != ',') {
            throw new SpecException(pos + 1, "expected ',' after the count of Repeat, e.g. Repeat(3, Dense Relu)");
        }
        pos++;
        List<Layer> body = sequence("Repeat");
        pos++; // ')'
        nesting--;
        if (body.isEmpty()) {
            throw new SpecException(start + 1, "Repeat has nothing to repeat; write e.g. Repeat(3, Dense Relu)");
        }
        return new Layer.Repeat((int) (double) (Double) count, body);
    }

    private Layer layer() {
        int start = pos;
        String name = identifier();
        skipSpace();
        if (name.equals("Repeat")) {
            return repeat(start);
        }
        if (name.equals("Residual")) {
            if (pos >= text.length() || text.charAt(pos) != '(') {
                throw new SpecException(start + 1, "Residual needs its branch in parentheses, e.g. Residual(Relu Dense(1, 0))");
            }
            enter(start, "Residual");
            pos++;
            List<Layer> branch = sequence("Residual");
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
                ? "; layers are " + String.join(", ", StructuralLayers.NAMES) + " and the activations" + registry.unknownNameHint()
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
