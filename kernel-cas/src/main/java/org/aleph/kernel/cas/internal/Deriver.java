package org.aleph.kernel.cas.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.cas.CompiledKernel;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.aleph.kernel.spi.SymbolicDerivation.Check;
import org.matheclipse.core.interfaces.IExpr;

/**
 * Turns the text of phi into an activation: safety check, Symja evaluation, the
 * a.e. derivative, decomposition into closed-form families ({@link Decomposition}), the
 * formulas ({@link GaussianPairs}), compilation ({@link FormulaCompiler}) and verification
 * ({@link Verification}); on any failure of the symbolic route, or when it takes longer than
 * the time limit, a {@link FallbackActivation} with the reason. Results are cached per
 * expression text, so each expression is derived and compiled once per JVM.
 */
public final class Deriver {

    /** The default time limit of a derivation (Symja's one-time start-up not included). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final String TIME_LIMIT = "time limit";

    private static final Map<String, Activation> CACHE = new ConcurrentHashMap<>();

    private Deriver() {
    }

    /**
     * The activation for phi, from the cache or derived now.
     *
     * @param expr    phi as Symja input in x
     * @param name    the activation as written in a spec
     * @param timeout the time limit of the symbolic derivation
     * @throws InvalidArgumentException when the expression is refused or cannot be read
     */
    public static Activation activation(String expr, String name, Duration timeout) {
        String key = expr.strip();
        ExpressionGuard.checkText(key);
        Activation hit = CACHE.get(key);
        if (hit != null) {
            return hit;
        }
        Activation a = derive(key, name, timeout);
        if (a instanceof FallbackActivation f && f.reason().contains(TIME_LIMIT)) {
            return a; // not cached: with more time the derivation may succeed
        }
        Activation prev = CACHE.putIfAbsent(key, a);
        return prev != null ? prev : a;
    }

    /** Partial results shared with the worker thread, so that a timeout still has phi and phi'. */
    private static final class Stage {
        volatile String phiText;
        volatile String dphiText;
        volatile DoubleUnaryOperator phi;
        volatile DoubleUnaryOperator dphi;
        volatile double[] kinks = new double[0];
        final java.util.concurrent.CountDownLatch prepared = new java.util.concurrent.CountDownLatch(1);
    }

    /** The time allowed for reading phi and compiling phi and phi' (before the symbolic time limit starts). */
    private static final Duration PREPARATION_LIMIT = Duration.ofSeconds(60);

    private static Activation derive(String expr, String name, Duration timeout) {
        SymjaSession.open(); // one-time start-up outside the time limit
        Stage stage = new Stage();
        FutureTask<Activation> task = new FutureTask<>(() -> work(expr, name, stage));
        Thread worker = new Thread(task, "aleph-expr-derivation");
        worker.setDaemon(true);
        worker.start();
        try {
            long deadline = System.nanoTime() + PREPARATION_LIMIT.toNanos();
            while (!stage.prepared.await(10, TimeUnit.MILLISECONDS) && !task.isDone()) {
                if (System.nanoTime() > deadline) {
                    task.cancel(true);
                    throw new InvalidArgumentException("expr", "Expr: reading \"" + expr + "\" took longer than "
                            + PREPARATION_LIMIT.toSeconds() + " s.");
                }
            }
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return fallback(expr, name, stage, "symbolic derivation exceeded the " + TIME_LIMIT + " of "
                    + timeout.toMillis() / 1000.0 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            return fallback(expr, name, stage, "symbolic derivation interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof InvalidArgumentException iae) {
                throw iae;
            }
            return fallback(expr, name, stage, "symbolic derivation failed: " + c);
        }
    }

    private static Activation fallback(String expr, String name, Stage stage, String reason) {
        if (stage.phi == null || stage.dphi == null) {
            throw new InvalidArgumentException("expr", "Expr: could not evaluate \"" + expr + "\" (" + reason + ").");
        }
        return new FallbackActivation(name, stage.phiText, stage.dphiText, stage.phi, stage.dphi, stage.kinks,
                "quadrature: " + reason);
    }

    private static Activation work(String expr, String name, Stage stage) throws Unsupported {
        long t0 = System.nanoTime();
        SymjaSession cas = SymjaSession.open();
        IExpr parsed;
        try {
            parsed = cas.parse(expr);
        } catch (RuntimeException e) {
            throw new InvalidArgumentException("expr", "Expr: cannot read \"" + expr + "\": "
                    + firstLine(e.getMessage()) + ".");
        }
        ExpressionGuard.check(parsed);
        IExpr phi = cas.eval(parsed);
        PhiForms forms = new PhiForms(cas);
        IExpr rect = forms.rectified(phi);
        IExpr dphi = forms.derivative(rect);
        stage.kinks = forms.kinks();
        stage.phiText = SymjaSession.text(phi);
        stage.dphiText = SymjaSession.text(dphi);
        try {
            stage.phi = FormulaCompiler.function(phi);
            stage.dphi = FormulaCompiler.function(dphi);
        } catch (Unsupported u) {
            throw new InvalidArgumentException("expr", "Expr: cannot evaluate \"" + expr + "\": " + u.getMessage() + ".");
        }
        if (hasKinkHeads(phi) && stage.kinks.length == 0) {
            stage.kinks = new double[] {0.0};
        }
        stage.prepared.countDown();
        try {
            return symbolic(expr, name, stage, cas, forms, rect, dphi, t0);
        } catch (Unsupported u) {
            return fallback(expr, name, stage, u.getMessage());
        }
    }

    private static Activation symbolic(String expr, String name, Stage stage, SymjaSession cas, PhiForms forms,
                                       IExpr rect, IExpr dphi, long t0) throws Unsupported {
        Timer timer = new Timer(t0);
        Decomposition dec = new Decomposition(cas);
        List<Decomposition.Term> tp = dec.terms(rect);
        List<Decomposition.Term> td = dec.terms(dphi);
        GaussianPairs pairs = new GaussianPairs();
        List<String> nngpTerms = assemble(forms, pairs, tp);
        List<String> dnngpTerms = assemble(forms, pairs, td);
        timer.lap("decompose and build");
        IExpr nngp = cas.eval(sum(nngpTerms));
        IExpr dnngp = cas.eval(sum(dnngpTerms));
        timer.lap("evaluate");
        CompiledKernel compiled = FormulaCompiler.kernel(nngp, dnngp, parsed(cas, nngpTerms), parsed(cas, dnngpTerms));
        CompiledKernel kernel = new CancellationGuard(compiled, stage.phi, stage.dphi, stage.kinks);
        timer.lap("compile");
        double growth = 0, frequency = 0, sharpness = 0;
        for (List<Decomposition.Term> ts : List.of(tp, td)) {
            for (Decomposition.Term t : ts) {
                Atom a = t.atom();
                growth = Math.max(growth, Math.abs(cas.number(cas.parse(a.a()))));
                frequency = Math.max(frequency, Math.abs(cas.number(cas.parse(a.b()))));
                sharpness = Math.max(sharpness, Math.sqrt(Math.abs(cas.number(cas.parse(a.c())))));
                if (a.erfK() != null) {
                    sharpness = Math.max(sharpness, Math.abs(cas.number(cas.parse(a.erfK()))));
                }
            }
        }
        Verification v = new Verification(new SplitQuadrature(stage.kinks, growth, frequency, sharpness));
        List<Check> checks = v.run(stage.phi, stage.dphi, kernel, expr.hashCode());
        double err = Verification.maxError(checks);
        timer.lap("verify");
        if (Boolean.getBoolean("aleph.cas.debug")) {
            checks.forEach(System.err::println);
        }
        if (!(err <= Verification.TOLERANCE)) {
            Check worst = checks.stream().max((a, b) -> Double.compare(
                    Double.isNaN(a.relativeError()) ? Double.MAX_VALUE : a.relativeError(),
                    Double.isNaN(b.relativeError()) ? Double.MAX_VALUE : b.relativeError())).orElseThrow();
            throw new Unsupported(String.format(java.util.Locale.ROOT,
                    "the derived formula disagrees with quadrature (relative error %.2g at q11=%.4g, q12=%.4g, q22=%.4g)",
                    err, worst.q11(), worst.q12(), worst.q22()));
        }
        IExpr nngpShown = readable(cas, nngp);
        IExpr dnngpShown = readable(cas, dnngp);
        SymbolicActivation.Formulas f = new SymbolicActivation.Formulas(stage.phiText, stage.dphiText,
                named(SymjaSession.text(nngpShown)), named(SymjaSession.text(dnngpShown)),
                namedTex(cas.tex(nngpShown)), namedTex(cas.tex(dnngpShown)));
        timer.lap("print");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String detail = String.format(java.util.Locale.ROOT,
                "Symja: %d + %d Gaussian-family terms, derived in %.2f s; checked against quadrature at %d triples,"
                        + " max relative error %.1e", tp.size(), td.size(), seconds, checks.size(), err);
        return new SymbolicActivation(name, f, stage.phi, stage.dphi, kernel, stage.kinks, checks, err, detail);
    }

    /** The terms K_i K_j E[A_i(u) A_j(v)] of sum_ij, as Symja input. */
    private static List<String> assemble(PhiForms forms, GaussianPairs pairs, List<Decomposition.Term> terms)
            throws Unsupported {
        List<String> out = new java.util.ArrayList<>();
        for (Decomposition.Term ti : terms) {
            for (Decomposition.Term tj : terms) {
                out.add("(" + forms.text(ti.coefficient(), false, null) + ")*(" + forms.text(tj.coefficient(), false, null)
                        + ")*(" + pairs.pair(GaussianPairs.Cov.SYMBOLIC, ti.atom(), tj.atom()) + ")");
            }
        }
        return out;
    }

    private static String sum(List<String> terms) {
        return terms.isEmpty() ? "0" : String.join("+", terms);
    }

    /** The terms read (not evaluated) by Symja, for the cancellation estimate of the compiled code. */
    private static List<IExpr> parsed(SymjaSession cas, List<String> terms) {
        List<IExpr> out = new java.util.ArrayList<>();
        for (String t : terms) {
            out.add(cas.parse(t));
        }
        return out;
    }

    /** The formula with the clamped correlation written out as q12 / Sqrt(q11 q22). */
    private static IExpr readable(SymjaSession cas, IExpr formula) {
        return cas.eval("ReplaceAll(" + SymjaSession.text(formula) + ", corr(a_,b_,c_):>a/Sqrt(b*c))");
    }

    /**
     * The formula text with Dawson's integral under its name: Symja's relaxed parser keeps the
     * internal head in lower case ({@code dawson}), shown as {@code Dawson(...)}.
     */
    static String named(String text) {
        return text.replace("dawson(", "Dawson(");
    }

    /** The TeX form with Dawson's integral written as the operator D (Symja prints an unknown head as text). */
    static String namedTex(String tex) {
        return tex.replace("\\text{dawson}", "\\operatorname{D}");
    }

    /** Phase times on standard error when the system property aleph.cas.debug is true. */
    private static final class Timer {
        private long last;

        Timer(long start) {
            last = start;
        }

        void lap(String phase) {
            long now = System.nanoTime();
            if (Boolean.getBoolean("aleph.cas.debug")) {
                System.err.printf(java.util.Locale.ROOT, "aleph.cas: %-20s %.3f s%n", phase, (now - last) / 1e9);
            }
            last = now;
        }
    }

    private static boolean hasKinkHeads(IExpr e) {
        String s = e.toString();
        return s.contains("Max(") || s.contains("Min(") || s.contains("Abs(") || s.contains("Sign(")
                || s.contains("UnitStep(") || s.contains("Ramp(") || s.contains("HeavisideTheta(");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int i = s.indexOf('\n');
        return (i < 0 ? s : s.substring(0, i)).strip();
    }

}
