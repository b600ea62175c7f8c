package org.aleph.cli;

import java.io.PrintWriter;
import java.util.List;
import org.aleph.kernel.UserErrorException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where failures become exit statuses (DESIGN.md, "Errors"):
 * <ul>
 *   <li>a {@link UserErrorException} anywhere in the cause chain, or a picocli parameter
 *       error: its one-sentence message on standard error, status {@value #USER_ERROR},
 *       no stack trace;</li>
 *   <li>anything else: a short message, status {@value #INTERNAL_ERROR}.</li>
 * </ul>
 * Stack traces are printed only with {@code --debug} or {@code ALEPH_DEBUG=1}.
 */
final class ExitCodes implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** A mistake in what the user wrote: spec, file, option. */
    static final int USER_ERROR = 2;
    /** A failure of Aleph itself. */
    static final int INTERNAL_ERROR = 1;
    /** The longest message printed whole; longer ones are cut in the middle. */
    static final int MAX_MESSAGE = 400;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        StringBuilder msg = new StringBuilder(name).append(": ").append(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                msg.append("; did you mean ").append(String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))).append('?');
            }
        }
        msg.append(" (see `").append(name).append(" --help`)");
        err.println(clean(msg.toString()));
        if (debug(cl)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return USER_ERROR;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        UserErrorException user = userError(ex);
        int status;
        if (user != null) {
            err.println("aleph: " + clean(user.getMessage()));
            status = USER_ERROR;
        } else {
            String what = ex.getMessage() == null ? ex.getClass().getName() : ex.getClass().getSimpleName() + ": " + ex.getMessage();
            err.println("aleph: internal error" + origin(ex) + ": " + clean(what)
                    + (debug(cl) ? "" : " (run with --debug or ALEPH_DEBUG=1 for the stack trace)"));
            status = INTERNAL_ERROR;
        }
        if (debug(cl)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return status;
    }

    /**
     * A message as it may go to a terminal: control characters (from data, specs or file
     * names: escape sequences, carriage returns, line breaks) shown as {@code \xNN} or
     * {@code \n}, and a message longer than {@value #MAX_MESSAGE} characters cut in the middle
     * with an ellipsis, so that an error is one readable line.
     */
    static String clean(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(message.length(), MAX_MESSAGE + 16));
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append(' ');
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() > MAX_MESSAGE) {
            int tail = MAX_MESSAGE / 4;
            return b.substring(0, MAX_MESSAGE - tail - 5) + " ... " + b.substring(b.length() - tail);
        }
        return b.toString();
    }

    /**
     * Where a failure comes from when it is not Aleph's own code: " in module M (location)" for
     * the innermost frame of the deepest cause that belongs to a named module outside the JDK,
     * Aleph and picocli, e.g. a plug-in activation that threw; empty otherwise.
     */
    static String origin(Throwable ex) {
        Throwable root = ex;
        for (int depth = 0; root.getCause() != null && depth < 20; depth++) {
            root = root.getCause();
        }
        for (StackTraceElement frame : root.getStackTrace()) {
            String module = frame.getModuleName();
            if (module == null || module.startsWith("java.") || module.startsWith("jdk.") || module.startsWith("org.aleph.")
                    || module.equals("info.picocli")) {
                continue;
            }
            String version = frame.getModuleVersion() == null ? "" : " " + frame.getModuleVersion();
            return " in module " + module + version + PluginPath.location(module).map(l -> " (" + l + ")").orElse("");
        }
        return "";
    }

    private static UserErrorException userError(Throwable t) {
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            if (t instanceof UserErrorException u) {
                return u;
            }
        }
        return null;
    }

    private static boolean debug(CommandLine cl) {
        Object root = cl.getCommandSpec().root().userObject();
        if (root instanceof Aleph aleph) {
            return aleph.debug();
        }
        String env = System.getenv("ALEPH_DEBUG");
        return env != null && !env.isEmpty() && !env.equals("0");
    }
}
