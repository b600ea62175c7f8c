package org.aleph.kernel.cas.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import org.matheclipse.core.basic.Config;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.parser.ExprParser;

/**
 * One Symja evaluator for one derivation, used by one thread.
 *
 * <p>Symja's first start is slow (docs/performance.md) and prints Log4j / SLF4J warnings; {@link #open()} starts
 * it once per JVM with those warnings discarded (standard error is silenced only during that
 * first start), with Symja's file system functions disabled, and only when an {@code Expr}
 * activation is created. Each session owns its own {@link EvalEngine}, so a derivation that
 * timed out and is still running in an abandoned thread never blocks the next one.
 */
final class SymjaSession {

    private static final Object START_LOCK = new Object();
    private static volatile boolean started;

    private final ExprEvaluator evaluator;
    private final ExprParser parser;

    private SymjaSession(ExprEvaluator evaluator) {
        this.evaluator = evaluator;
        // Symja prints evaluation messages ("Power: Indeterminate expression ...") itself;
        // they are not for the user's terminal (a failed derivation reports its own reason).
        EvalEngine engine = evaluator.getEvalEngine();
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        engine.setOutPrintStream(sink);
        engine.setErrorPrintStream(sink);
        engine.setQuietMode(true);
        this.parser = new ExprParser(evaluator.getEvalEngine(), true);
    }

    /** A new session for the calling thread; starts Symja quietly on first use. */
    static SymjaSession open() {
        if (!started) {
            synchronized (START_LOCK) {
                if (!started) {
                    quietStart();
                    started = true;
                }
            }
        }
        return new SymjaSession(new ExprEvaluator(false, (short) 100));
    }

    private static void quietStart() {
        setIfAbsent("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        setIfAbsent("log4j2.statusLoggerLevel", "OFF");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "off");
        PrintStream err = System.err;
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        try {
            System.setErr(sink);
            Config.FILESYSTEM_ENABLED = false;
            new ExprEvaluator(false, (short) 100).eval("1+1");
        } finally {
            System.setErr(err);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Parses Symja input (relaxed syntax, {@code Sin(x)}) without evaluating anything. */
    IExpr parse(String text) {
        return parser.parse(text);
    }

    /** Evaluates an expression that has passed {@link ExpressionGuard} or was built by this module. */
    IExpr eval(IExpr expr) {
        return evaluator.eval(expr);
    }

    /** Parses and evaluates text built by this module. */
    IExpr eval(String text) {
        return evaluator.eval(parse(text));
    }

    /** The numeric value of an x-free expression, NaN when it is not a real number. */
    double number(IExpr expr) {
        try {
            return evaluator.evalf(expr);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Symja input form, suitable for parsing back. */
    static String text(IExpr expr) {
        // Symja wraps long output lines at token boundaries; the newlines carry no meaning
        return expr.toString().replace("\n", "");
    }

    /** LaTeX by Symja's TeXForm. */
    String tex(IExpr expr) {
        return evaluator.eval(F.TeXForm(expr)).toString().replace("\n", "");
    }
}
