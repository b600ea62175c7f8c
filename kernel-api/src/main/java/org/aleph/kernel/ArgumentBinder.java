package org.aleph.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;

/**
 * Binds positional and named arguments to a provider's declared parameters, filling in
 * defaults, and says in one sentence what does not fit.
 */
final class ArgumentBinder {

    private ArgumentBinder() {
    }

    static Arguments bind(ActivationProvider provider, List<Object> positional, Map<String, Object> named) {
        List<Parameter> params = provider.parameters();
        String who = provider.name();
        Map<String, Object> bound = new LinkedHashMap<>();
        int p = 0;
        for (int i = 0; i < params.size(); i++) {
            Parameter param = params.get(i);
            if (param.variadic()) {
                List<Double> rest = new ArrayList<>();
                for (; p < positional.size(); p++) {
                    rest.add(asNumber(who, param, positional.get(p)));
                }
                bound.put(param.name(), rest.stream().mapToDouble(Double::doubleValue).toArray());
            } else if (p < positional.size()) {
                bound.put(param.name(), convert(who, param, positional.get(p++)));
            }
        }
        if (p < positional.size()) {
            throw new UserErrorException(who + " takes " + (params.isEmpty() ? "no arguments"
                    : "at most " + params.size() + " argument" + (params.size() == 1 ? "" : "s")
                            + " (" + describe(params) + ")") + " but was given " + positional.size());
        }
        for (Map.Entry<String, Object> e : named.entrySet()) {
            Parameter param = params.stream().filter(q -> q.name().equals(e.getKey())).findFirst().orElseThrow(
                    () -> new UserErrorException(who + " has no parameter '" + e.getKey() + "'"
                            + (params.isEmpty() ? "; it takes no arguments" : "; its parameters are " + describe(params))));
            if (bound.containsKey(param.name()) && !param.variadic()) {
                throw new UserErrorException(who + " was given parameter '" + param.name() + "' twice");
            }
            if (param.variadic()) {
                throw new UserErrorException(who + ": parameter '" + param.name() + "' takes positional numbers only");
            }
            bound.put(param.name(), convert(who, param, e.getValue()));
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (Parameter param : params) {
            Object v = bound.get(param.name());
            if (v == null) {
                if (param.required()) {
                    throw new UserErrorException(who + " needs parameter '" + param.name() + "' ("
                            + param.description() + "), e.g. " + who + "(" + example(param) + ")");
                }
                v = param.variadic() ? new double[0] : param.defaultValue();
            }
            ordered.put(param.name(), v);
        }
        return new Arguments(ordered);
    }

    private static Object convert(String who, Parameter param, Object value) {
        if (param.type() == Parameter.Type.NUMBER) {
            return asNumber(who, param, value);
        }
        if (!(value instanceof String)) {
            throw new UserErrorException(who + ": parameter '" + param.name() + "' must be a quoted string, e.g. \"x^2\"");
        }
        return value;
    }

    private static Double asNumber(String who, Parameter param, Object value) {
        if (value instanceof BareWord word && (word.text().equals("true") || word.text().equals("false"))) {
            return word.text().equals("true") ? 1.0 : 0.0; // a flag such as Gelu(approximate=true)
        }
        if (value instanceof BareWord word) {
            throw new UserErrorException(who + ": parameter '" + param.name() + "': '" + word + "' is not a number");
        }
        if (!(value instanceof Double d)) {
            throw new UserErrorException(who + ": parameter '" + param.name() + "' must be a number, got " + value);
        }
        if (!Double.isFinite(d)) {
            throw new UserErrorException(who + ": parameter '" + param.name() + "' must be finite, got " + d);
        }
        return d;
    }

    private static String example(Parameter param) {
        return param.type() == Parameter.Type.STRING ? "\"...\"" : "2";
    }

    private static String describe(List<Parameter> params) {
        StringBuilder b = new StringBuilder();
        for (Parameter q : params) {
            b.append(b.length() == 0 ? "" : ", ").append(q);
        }
        return b.toString();
    }
}
