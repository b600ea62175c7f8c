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
        err.println(msg);
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
            err.println("aleph: " + user.getMessage());
            status = USER_ERROR;
        } else {
            String what = ex.getMessage() == null ? ex.getClass().getName() : ex.getClass().getSimpleName() + ": " + ex.getMessage();
            err.println("aleph: internal error: " + what
                    + (debug(cl) ? "" : " (run with --debug or ALEPH_DEBUG=1 for the stack trace)"));
            status = INTERNAL_ERROR;
        }
        if (debug(cl)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return status;
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
