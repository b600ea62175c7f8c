package org.aleph.kernel.cas.internal;

import java.util.Set;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;

/**
 * The safety check of an {@code Expr}: before Symja evaluates anything, the parsed
 * (unevaluated) tree may contain only numbers, the variable {@code x}, the constants
 * {@code Pi} and {@code E}, and the mathematical functions in {@link #FUNCTIONS}. Everything
 * else Symja could do (file or network access, system calls, definitions, assignments,
 * loops, strings, patterns) is refused with a sentence naming what is not allowed.
 */
final class ExpressionGuard {

    /** The functions an expression may use (Symja names). */
    static final Set<String> FUNCTIONS = Set.of(
            "Plus", "Times", "Power", "Sqrt", "Exp", "Log",
            "Sin", "Cos", "Tan", "Sinh", "Cosh", "Tanh", "Sech", "ArcTan",
            "Erf", "Erfc", "Max", "Min", "Abs", "Sign", "UnitStep", "HeavisideTheta", "Ramp",
            "LogisticSigmoid");

    /** The symbols an expression may use. */
    static final Set<String> SYMBOLS = Set.of("x", "Pi", "E");

    /** The longest expression accepted, in characters. */
    static final int MAX_LENGTH = 2000;

    /** The largest integer exponent accepted, so that expansion stays small. */
    static final int MAX_EXPONENT = 32;

    private ExpressionGuard() {
    }

    /** Throws {@link InvalidArgumentException} for parameter {@code expr} unless the text is a safe expression. */
    static void checkText(String text) {
        if (text.isBlank()) {
            throw refuse("the expression is empty; write phi in x, e.g. \"Sin(x) + x^2/2\"");
        }
        if (text.length() > MAX_LENGTH) {
            throw refuse("the expression is longer than " + MAX_LENGTH + " characters");
        }
        for (char c : new char[] {'"', ';', ':', '=', '_', '#', '&', '%', '@', '$', '\\'}) {
            if (text.indexOf(c) >= 0) {
                throw refuse("'" + c + "' is not allowed in an expression (only numbers, x, Pi, E,"
                        + " + - * / ^ and the functions " + String.join(", ", sorted()) + ")");
            }
        }
    }

    /** Checks a parsed, not yet evaluated tree. */
    static void check(IExpr expr) {
        if (expr.isNumber()) {
            if (!expr.isReal()) {
                throw refuse("complex numbers are not allowed");
            }
            return;
        }
        if (expr.isString()) {
            throw refuse("strings are not allowed");
        }
        if (expr.isSymbol()) {
            String name = expr.toString();
            if (!SYMBOLS.contains(name)) {
                throw refuse("the symbol '" + name + "' is not allowed: phi must be an expression in x"
                        + " (constants Pi and E)");
            }
            return;
        }
        if (!expr.isAST()) {
            throw refuse("'" + expr + "' is not allowed");
        }
        IAST ast = (IAST) expr;
        IExpr head = ast.head();
        if (!head.isSymbol() || !FUNCTIONS.contains(head.toString())) {
            throw refuse("the function '" + head + "' is not allowed; allowed are "
                    + String.join(", ", sorted()));
        }
        if (head.toString().equals("Power") && ast.argSize() == 2) {
            IExpr e = ast.arg2();
            if (e.isInteger()) {
                int k = e.toIntDefault(Integer.MAX_VALUE);
                if (Math.abs(k) > MAX_EXPONENT) {
                    throw refuse("the exponent " + e + " is larger than " + MAX_EXPONENT);
                }
            } else if (!e.isNumber() && !containsX(e) && !isSimpleConstant(e)) {
                // 10^10^10 would make Symja compute a number with ten billion digits
                throw refuse("a constant exponent must be written as a number (" + e + ")");
            }
        }
        for (int i = 1; i <= ast.argSize(); i++) {
            check(ast.get(i));
        }
    }

    private static boolean containsX(IExpr e) {
        if (e.isSymbol()) {
            return e.toString().equals("x");
        }
        if (e.isAST()) {
            IAST a = (IAST) e;
            for (int i = 0; i <= a.argSize(); i++) {
                if (containsX(a.get(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A number times or divided by Pi, E or a number, e.g. 1/2, -1/2, Pi/4 (a Rational literal is parsed as Times/Power). */
    private static boolean isSimpleConstant(IExpr e) {
        if (e.isNumber() || e.isSymbol()) {
            return true;
        }
        if (!e.isAST()) {
            return false;
        }
        IAST a = (IAST) e;
        String h = a.head().toString();
        if (h.equals("Times") || h.equals("Plus")) {
            for (int i = 1; i <= a.argSize(); i++) {
                if (!isSimpleConstant(a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        // only reciprocals and square roots of simple constants
        return h.equals("Power") && a.argSize() == 2 && a.arg2().isNumber()
                && Math.abs(a.arg2().evalf()) <= 1 && isSimpleConstant(a.arg1());
    }

    private static java.util.List<String> sorted() {
        return FUNCTIONS.stream().sorted().toList();
    }

    private static InvalidArgumentException refuse(String why) {
        return new InvalidArgumentException("expr", "Expr: " + why + ".");
    }
}
