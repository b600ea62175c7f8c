package org.aleph.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code aleph} in-process with captured standard output and error. */
final class Cli {

    /** The exit status and everything printed. */
    record Result(int status, String out, String err) {
        /** True when standard error holds no stack trace. */
        boolean noStackTrace() {
            return !err.contains("\tat ") && !err.contains("Exception") && !err.contains("Caused by");
        }

        /** The number of non-empty lines on standard error. */
        long errLines() {
            return err.lines().filter(l -> !l.isBlank()).count();
        }

        @Override
        public String toString() {
            return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) {
        return run(Aleph.commandLine(new Aleph(env)), args);
    }

    static Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }
}
