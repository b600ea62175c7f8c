package org.aleph.kernel.cas.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.cas.CompiledKernel;
import org.codehaus.janino.SimpleCompiler;
import org.matheclipse.core.interfaces.IExpr;

/**
 * Compiles Symja expressions to Java byte code with Janino: phi(x) and phi'(x) as
 * {@link DoubleUnaryOperator}s, and the two expectations as one {@link CompiledKernel}
 * whose loop over the arrays calls two static methods (no interface call per entry).
 * Measured by DESIGN.md at about 3.5e7 evaluations/s, against 2e6 for Symja's own Compile.
 */
final class FormulaCompiler {

    private static final AtomicLong COUNTER = new AtomicLong();

    private FormulaCompiler() {
    }

    /** A function of x. */
    static DoubleUnaryOperator function(IExpr f) throws Unsupported {
        String body = new JavaSource("x").of(f);
        String name = "AlephExprFunction" + COUNTER.incrementAndGet();
        String src = "public final class " + name + " implements java.util.function.DoubleUnaryOperator {\n"
                + "public double applyAsDouble(double x) { return " + body + "; }\n"
                + JavaSource.HELPERS + "}\n";
        try {
            return (DoubleUnaryOperator) compile(src, name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new Unsupported("compiled phi could not be instantiated: " + e);
        }
    }

    /**
     * The two expectations in q11, q12, q22. When a formula is a sum of several pair terms,
     * the compiled code also adds up their magnitudes and returns NaN where the sum has
     * cancelled by more than {@value #CANCELLATION} (fewer than about 12 significant digits
     * left, e.g. ELU's terms at tiny variances); {@link CancellationGuard} recomputes those
     * entries by quadrature.
     */
    static CompiledKernel kernel(IExpr nngp, IExpr dnngp, List<IExpr> nngpTerms, List<IExpr> dnngpTerms)
            throws Unsupported {
        JavaSource js = new JavaSource("q11", "q12", "q22");
        String name = "AlephExprKernel" + COUNTER.incrementAndGet();
        StringBuilder src = new StringBuilder("public final class " + name + " implements org.aleph.kernel.cas.CompiledKernel {\n"
                + "public void expectations(double[] a11, double[] a12, double[] a22, int n, double[] out, double[] dout) {\n"
                + "  for (int i = 0; i < n; i++) { out[i] = nngp(a11[i], a12[i], a22[i]); }\n"
                + "  if (dout != null) { for (int i = 0; i < n; i++) { dout[i] = dnngp(a11[i], a12[i], a22[i]); } }\n"
                + "}\n");
        guarded(src, js, "nngp", nngp, nngpTerms);
        guarded(src, js, "dnngp", dnngp, dnngpTerms);
        src.append(JavaSource.HELPERS).append("}\n");
        try {
            return (CompiledKernel) compile(src.toString(), name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new Unsupported("compiled kernel could not be instantiated: " + e);
        }
    }

    /** How far a sum may cancel (sum of magnitudes / |sum|) before an entry goes to quadrature. */
    static final double CANCELLATION = 1e4;

    private static void guarded(StringBuilder src, JavaSource js, String method, IExpr formula, List<IExpr> terms)
            throws Unsupported {
        src.append("static double ").append(method).append("(double q11, double q12, double q22) {\n")
                .append("  double v = ").append(js.of(formula)).append(";\n");
        if (terms.size() > 1) {
            src.append("  double a = 0;\n");
            for (int i = 0; i < terms.size(); i++) {
                src.append("  a += Math.abs(").append(method).append("Term").append(i).append("(q11, q12, q22));\n");
            }
            src.append("  return Math.abs(v) * ").append(CANCELLATION).append(" >= a ? v : Double.NaN;\n}\n");
            for (int i = 0; i < terms.size(); i++) {
                src.append("static double ").append(method).append("Term").append(i)
                        .append("(double q11, double q12, double q22) { return ").append(js.of(terms.get(i))).append("; }\n");
            }
        } else {
            src.append("  return v;\n}\n");
        }
    }

    private static Class<?> compile(String source, String name) throws Unsupported {
        SimpleCompiler compiler = new SimpleCompiler();
        compiler.setParentClassLoader(FormulaCompiler.class.getClassLoader());
        try {
            compiler.cook(source);
            return compiler.getClassLoader().loadClass(name);
        } catch (Exception | Error e) {
            String msg = String.valueOf(e.getMessage());
            throw new Unsupported("the formula could not be compiled (" + (msg.length() > 120 ? msg.substring(0, 120) + "..." : msg) + ")");
        }
    }
}
