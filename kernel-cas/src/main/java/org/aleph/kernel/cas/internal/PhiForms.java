package org.aleph.kernel.cas.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;

/**
 * Rewrites phi into the forms the derivation needs, all with Symja:
 * <ul>
 *   <li>{@link #rectified}: every kink written with UnitStep, Max(a, b) = b + (a - b) UnitStep(a - b),
 *       Min(a, b) = a - (a - b) UnitStep(a - b), Abs(a) = a (2 UnitStep(a) - 1),
 *       Sign(a) = 2 UnitStep(a) - 1, Ramp(a) = a UnitStep(a), Sinh and Cosh as exponentials,
 *       Erfc(a) = 1 - Erf(a);
 *       then UnitStep(k x) normalised to UnitStep(x) or 1 - UnitStep(x), and expanded;</li>
 *   <li>{@link #derivative}: the almost-everywhere derivative, obtained by differentiating the
 *       rectified form with every UnitStep(f) held constant (its derivative is a Dirac delta,
 *       zero almost everywhere), so D[Max(0, x)] = UnitStep(x).</li>
 * </ul>
 * It also collects the kinks (roots of linear UnitStep arguments) for the quadrature.
 */
final class PhiForms {

    private final SymjaSession cas;
    private final IExpr x;
    private final TreeSet<Double> kinks = new TreeSet<>();

    PhiForms(SymjaSession cas) {
        this.cas = cas;
        this.x = cas.parse("x");
    }

    /** The points where phi or phi' may not be smooth, found so far. */
    double[] kinks() {
        return kinks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** phi with its kinks written as UnitStep(x), expanded. */
    IExpr rectified(IExpr phi) {
        IExpr r = cas.eval(text(phi, true, null));
        IExpr normal = cas.eval(normalizeSteps(r));
        return idempotentSteps(cas.eval(F.ExpandAll(normal)));
    }

    /** The almost-everywhere derivative of a rectified expression, expanded. */
    IExpr derivative(IExpr rectified) {
        Map<String, String> steps = new LinkedHashMap<>();
        IExpr held = cas.eval(text(rectified, false, steps));
        IExpr d = cas.eval(F.D(held, x));
        if (steps.isEmpty()) {
            return idempotentSteps(cas.eval(F.ExpandAll(d)));
        }
        StringBuilder rules = new StringBuilder("{");
        for (Map.Entry<String, String> e : steps.entrySet()) {
            if (rules.length() > 1) {
                rules.append(',');
            }
            rules.append(e.getValue()).append("->UnitStep(").append(e.getKey()).append(')');
        }
        rules.append('}');
        return idempotentSteps(cas.eval("ExpandAll(ReplaceAll(" + SymjaSession.text(d) + "," + rules + "))"));
    }

    /** UnitStep(x)^k = UnitStep(x). */
    private IExpr idempotentSteps(IExpr e) {
        if (!e.toString().contains("UnitStep")) {
            return e;
        }
        return cas.eval("ReplaceAll(" + SymjaSession.text(e) + ", UnitStep(a_)^k_ :> UnitStep(a))");
    }

    /** Symja input text of an evaluated tree, optionally rewriting kinks or holding UnitSteps as symbols. */
    String text(IExpr e, boolean rewrite, Map<String, String> steps) {
        if (e.isNumber()) {
            return "(" + number(e) + ")";
        }
        if (!e.isAST()) {
            return SymjaSession.text(e);
        }
        IAST ast = (IAST) e;
        String head = ast.head().toString();
        String[] a = new String[ast.argSize()];
        for (int i = 1; i <= ast.argSize(); i++) {
            a[i - 1] = text(ast.get(i), rewrite, steps);
        }
        if (steps != null && head.equals("UnitStep") && a.length == 1) {
            return steps.computeIfAbsent(a[0], k -> "stepheld" + (char) ('a' + steps.size() % 26) + steps.size());
        }
        switch (head) {
            case "Plus":
                return "(" + String.join("+", a) + ")";
            case "Times":
                return "(" + String.join("*", a) + ")";
            case "Power":
                return "(" + a[0] + ")^(" + a[1] + ")";
            default:
                break;
        }
        if (rewrite) {
            switch (head) {
                case "Max":
                case "Min": {
                    String r = a[0];
                    for (int i = 1; i < a.length; i++) {
                        String diff = "((" + r + ")-(" + a[i] + "))";
                        r = head.equals("Max")
                                ? "((" + a[i] + ")+" + diff + "*UnitStep(" + diff + "))"
                                : "((" + r + ")-" + diff + "*UnitStep(" + diff + "))";
                    }
                    return r;
                }
                case "Abs":
                    return "((" + a[0] + ")*(2*UnitStep(" + a[0] + ")-1))";
                case "Sign":
                    return "(2*UnitStep(" + a[0] + ")-1)";
                case "Ramp":
                    return "((" + a[0] + ")*UnitStep(" + a[0] + "))";
                case "HeavisideTheta":
                    return "UnitStep(" + a[0] + ")";
                case "Erfc":
                    return "(1-Erf(" + a[0] + "))";
                case "Sinh":
                    return "((E^(" + a[0] + ")-E^(-(" + a[0] + ")))/2)";
                case "Cosh":
                    return "((E^(" + a[0] + ")+E^(-(" + a[0] + ")))/2)";
                default:
                    break;
            }
        }
        return head + "(" + String.join(",", a) + ")";
    }

    /** UnitStep(k x) as UnitStep(x) or 1 - UnitStep(x); other steps kept, their linear roots recorded. */
    private String normalizeSteps(IExpr e) {
        if (e.isNumber()) {
            return "(" + number(e) + ")";
        }
        if (!e.isAST()) {
            return e.toString();
        }
        IAST ast = (IAST) e;
        String head = ast.head().toString();
        if (head.equals("UnitStep") && ast.argSize() == 1) {
            double[] c = linear(ast.arg1());
            if (c != null && c[1] != 0) {
                kinks.add(-c[0] / c[1] == 0 ? 0.0 : -c[0] / c[1]);
                if (c[0] == 0) {
                    return c[1] > 0 ? "UnitStep(x)" : "(1-UnitStep(x))";
                }
                // UnitStep(k x + m) = UnitStep(x - t) (k > 0) or 1 - UnitStep(x - t) (k < 0), t = -m/k
                List<IExpr> q = Decomposition.coefficients(cas, ast.arg1(), x, 1);
                String t = text(cas.eval(F.Divide(F.Negate(q.get(0)), q.get(1))), false, null);
                return c[1] > 0 ? "UnitStep(x-" + t + ")" : "(1-UnitStep(x-" + t + "))";
            }
            return "UnitStep(" + text(ast.arg1(), false, null) + ")";
        }
        String[] a = new String[ast.argSize()];
        for (int i = 1; i <= ast.argSize(); i++) {
            a[i - 1] = normalizeSteps(ast.get(i));
        }
        return switch (head) {
            case "Plus" -> "(" + String.join("+", a) + ")";
            case "Times" -> "(" + String.join("*", a) + ")";
            case "Power" -> "(" + a[0] + ")^(" + a[1] + ")";
            default -> head + "(" + String.join(",", a) + ")";
        };
    }

    /** {c0, c1} when f = c0 + c1 x with numeric coefficients, else null. */
    double[] linear(IExpr f) {
        List<IExpr> c = Decomposition.coefficients(cas, f, x, 1);
        if (c == null) {
            return null;
        }
        double c0 = cas.number(c.get(0));
        double c1 = c.size() > 1 ? cas.number(c.get(1)) : 0;
        return Double.isFinite(c0) && Double.isFinite(c1) ? new double[] {c0, c1} : null;
    }

    /** A number as Symja input text that reads back to the same value. */
    static String number(IExpr e) {
        if (e.isReal() && !e.isRational()) {
            double v = e.evalf();
            return bigDecimal(v);
        }
        return e.toString();
    }

    private static String bigDecimal(double v) {
        String s = new java.math.BigDecimal(Double.toString(v)).toPlainString();
        return s.contains(".") ? s : s + ".0";
    }
}
