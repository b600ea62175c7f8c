package org.aleph.kernel.cas.internal;

import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.IFraction;

/**
 * Translates a Symja expression tree into one Java expression over doubles: numbers become
 * literals, {@code E^y} becomes {@code Math.exp(y)}, integer powers a loop-free helper,
 * square roots a clamped {@code Math.sqrt} (arguments that are non-negative in exact
 * arithmetic may round to -1e-17), and the helper {@code corr(q12, q11, q22)} the clamped
 * correlation of {@link org.aleph.kernel.spi.Gaussians#correlation}, and {@code dawson(y)}
 * Dawson's integral {@link org.aleph.kernel.cas.Dawson#dawson}.
 */
final class JavaSource {

    /** Helper methods every generated class contains. */
    static final String HELPERS = """
            private static double pw(double b, int k) {
                double r = 1.0;
                for (int i = 0; i < k; i++) { r *= b; }
                return r;
            }
            private static double sqrt0(double v) { return v > 0 ? Math.sqrt(v) : 0.0; }
            private static double clamp1(double v) { return v > 1 ? 1.0 : (v < -1 ? -1.0 : v); }
            private static double corr(double q12, double q11, double q22) {
                double s = Math.sqrt(q11 * q22);
                if (!(s > 0)) { return 0.0; }
                return clamp1(q12 / s);
            }
            // asin and acos of the argument clamped to [-1, 1], by kernel-api's inlinable fdlibm
            // ports (Math.asin / Math.acos have no HotSpot intrinsic and cost ~15x more here)
            private static double asin1(double v) { return org.aleph.kernel.spi.KernelMath.asin(clamp1(v)); }
            private static double acos1(double v) { return org.aleph.kernel.spi.KernelMath.acos(clamp1(v)); }
            private static double step(double v) { return v >= 0 ? 1.0 : 0.0; }
            private static double erf(double v) { return org.hipparchus.special.Erf.erf(v); }
            private static double erfc(double v) { return org.hipparchus.special.Erf.erfc(v); }
            private static double dawson(double v) { return org.aleph.kernel.cas.Dawson.dawson(v); }
            private static double max(double a, double b) { return Math.max(a, b); }
            private static double min(double a, double b) { return Math.min(a, b); }
            private static double ratio(double a, double b) {
                if (b != 0) { return a / b; }
                return a == 0 ? 0.0 : a * Double.POSITIVE_INFINITY;
            }
            private static double phid(double z) { return 0.5 * erfc(-z / Math.sqrt(2.0)); }
            private static double clamp01(double p) { return p < 0 ? 0.0 : (p > 1 ? 1.0 : p); }
            """ + BivariateNormal.SOURCE;

    private final String[] variables;

    /** @param variables the symbols that become Java variables of the same name */
    JavaSource(String... variables) {
        this.variables = variables.clone();
    }

    /** The Java expression for e; throws {@link Unsupported} for anything it cannot translate. */
    String of(IExpr e) throws Unsupported {
        if (e.isNumber()) {
            if (!e.isReal()) {
                throw new Unsupported("the formula contains the complex number " + e);
            }
            return literal(e.evalf());
        }
        if (e.isSymbol()) {
            String s = e.toString();
            for (String v : variables) {
                if (v.equals(s)) {
                    return v;
                }
            }
            return switch (s) {
                case "Pi" -> "Math.PI";
                case "E" -> "Math.E";
                default -> throw new Unsupported("the formula contains the unknown symbol " + s);
            };
        }
        if (!e.isAST()) {
            throw new Unsupported("cannot compile " + e);
        }
        IAST ast = (IAST) e;
        String head = ast.head().toString();
        if (head.equals("Plus") || head.equals("Times")) {
            StringBuilder b = new StringBuilder("(");
            for (int i = 1; i <= ast.argSize(); i++) {
                if (i > 1) {
                    b.append(head.equals("Plus") ? " + " : " * ");
                }
                b.append(of(ast.get(i)));
            }
            return b.append(')').toString();
        }
        if (head.equals("Power")) {
            return power(ast.arg1(), ast.arg2());
        }
        if (ast.argSize() == 2 && (head.equals("Max") || head.equals("Min"))) {
            return (head.equals("Max") ? "max(" : "min(") + of(ast.arg1()) + ", " + of(ast.arg2()) + ")";
        }
        if (ast.argSize() > 2 && (head.equals("Max") || head.equals("Min"))) {
            String r = of(ast.get(1));
            for (int i = 2; i <= ast.argSize(); i++) {
                r = (head.equals("Max") ? "max(" : "min(") + r + ", " + of(ast.get(i)) + ")";
            }
            return r;
        }
        if (head.equals("bvn") && ast.argSize() == 3) {
            return "bvn(" + of(ast.arg1()) + ", " + of(ast.arg2()) + ", " + of(ast.arg3()) + ")";
        }
        if (head.equals("ratio") && ast.argSize() == 2) {
            return "ratio(" + of(ast.arg1()) + ", " + of(ast.arg2()) + ")";
        }
        if (head.equals("corr") && ast.argSize() == 3) {
            return "corr(" + of(ast.arg1()) + ", " + of(ast.arg2()) + ", " + of(ast.arg3()) + ")";
        }
        if (ast.argSize() != 1) {
            throw new Unsupported("cannot compile the function " + head);
        }
        String a = of(ast.arg1());
        return switch (head) {
            case "Sin" -> "Math.sin(" + a + ")";
            case "Cos" -> "Math.cos(" + a + ")";
            case "Tan" -> "Math.tan(" + a + ")";
            case "Sec" -> "(1.0 / Math.cos(" + a + "))";
            case "Csc" -> "(1.0 / Math.sin(" + a + "))";
            case "Cot" -> "(1.0 / Math.tan(" + a + "))";
            case "Sinh" -> "Math.sinh(" + a + ")";
            case "Cosh" -> "Math.cosh(" + a + ")";
            case "Tanh" -> "Math.tanh(" + a + ")";
            case "Sech" -> "(1.0 / Math.cosh(" + a + "))";
            case "Csch" -> "(1.0 / Math.sinh(" + a + "))";
            case "Coth" -> "(1.0 / Math.tanh(" + a + "))";
            case "ArcSin" -> "asin1(" + a + ")";
            case "ArcCos" -> "acos1(" + a + ")";
            case "ArcTan" -> "Math.atan(" + a + ")";
            case "Log" -> "Math.log(" + a + ")";
            case "Exp" -> "Math.exp(" + a + ")";
            case "Sqrt" -> "sqrt0(" + a + ")";
            case "Erf" -> "erf(" + a + ")";
            case "Erfc" -> "erfc(" + a + ")";
            case "dawson" -> "dawson(" + a + ")";
            case "Abs" -> "Math.abs(" + a + ")";
            case "Sign" -> "Math.signum(" + a + ")";
            case "UnitStep", "HeavisideTheta" -> "step(" + a + ")";
            case "Ramp" -> "max(0.0, " + a + ")";
            case "LogisticSigmoid" -> "(1.0 / (1.0 + Math.exp(-(" + a + "))))";
            default -> throw new Unsupported("cannot compile the function " + head);
        };
    }

    private String power(IExpr base, IExpr exponent) throws Unsupported {
        if (base.isSymbol() && base.toString().equals("E")) {
            return "Math.exp(" + of(exponent) + ")";
        }
        String b = of(base);
        if (exponent.isInteger()) {
            int k = exponent.toIntDefault(Integer.MIN_VALUE);
            if (k == Integer.MIN_VALUE) {
                throw new Unsupported("exponent too large: " + exponent);
            }
            if (k >= 0) {
                return "pw(" + b + ", " + k + ")";
            }
            return "(1.0 / pw(" + b + ", " + (-k) + "))";
        }
        if (exponent.isFraction()) {
            IFraction f = (IFraction) exponent;
            if (f.denominator().toIntDefault(0) == 2) {
                int p = f.numerator().toIntDefault(Integer.MIN_VALUE);
                if (p == 1) {
                    return "sqrt0(" + b + ")";
                }
                if (p == -1) {
                    return "(1.0 / Math.sqrt(" + b + "))";
                }
                if (p > 0) {
                    return "pw(sqrt0(" + b + "), " + p + ")";
                }
                return "(1.0 / pw(Math.sqrt(" + b + "), " + (-p) + "))";
            }
        }
        return "Math.pow(" + b + ", " + of(exponent) + ")";
    }

    private static String literal(double v) {
        if (Double.isNaN(v)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return "(" + Double.toString(v) + ")";
    }
}
