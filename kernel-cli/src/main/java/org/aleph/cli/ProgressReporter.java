package org.aleph.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.aleph.kernel.KernelComputer;

/**
 * Progress of one long stage on standard error, with the time left estimated from the rate so
 * far: a bar redrawn in place on a terminal, and a
 * line every {@value #LINE_INTERVAL_MS} ms (at most) otherwise, so logs of batch jobs stay short.
 * Stages that finish within {@value #QUIET_MS} ms print nothing at all. Standard output is
 * never touched, so {@code --json} stays one object.
 */
final class ProgressReporter implements KernelComputer.Progress {

    static final long LINE_INTERVAL_MS = 5000;
    static final long QUIET_MS = 1000;
    private static final int BAR = 30;

    private final PrintWriter err;
    private final String stage;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastPrint = start;
    private boolean drawn;
    private int lastPercent = -1;

    ProgressReporter(PrintWriter err, String stage, boolean terminal) {
        this.err = err;
        this.stage = stage;
        this.terminal = terminal;
    }

    /** A reporter drawing a bar when standard error is a terminal (a console is attached). */
    static ProgressReporter forStage(PrintWriter err, String stage) {
        Boolean client = clientTerminal;
        return new ProgressReporter(err, stage, client != null ? client : System.console() != null);
    }

    /** Whether the client's standard error is a terminal, when a server runs the command for it ({@link AlephServer}). */
    static volatile Boolean clientTerminal;

    @Override
    public synchronized void update(long done, long total) {
        int percent = (int) (100 * done / Math.max(1, total));
        long now = System.nanoTime();
        double seconds = (now - start) / 1e9;
        if (seconds * 1000 < QUIET_MS) {
            lastPercent = percent;
            return;
        }
        if (terminal) {
            if (percent == lastPercent && done < total && drawn) {
                return;
            }
            drawn = true;
            int filled = percent * BAR / 100;
            err.printf(Locale.ROOT, "\r%-22s [%s%s] %3d%% %6.1f s%s", stage, "#".repeat(filled), ".".repeat(BAR - filled), percent, seconds,
                    eta(done, total, seconds));
            if (done >= total) {
                err.println();
            }
            err.flush();
        } else if (done >= total || (now - lastPrint) / 1_000_000 >= LINE_INTERVAL_MS) {
            lastPrint = now;
            err.printf(Locale.ROOT, "%s: %d%% (%d/%d) after %.1f s%s%n", stage, percent, done, total, seconds, eta(done, total, seconds));
            err.flush();
        }
        lastPercent = percent;
    }

    /** ", about N s left" from the rate so far (work done per second), or nothing when done or not started. */
    static String eta(long done, long total, double seconds) {
        if (done <= 0 || done >= total) {
            return "";
        }
        double left = seconds * (total - done) / done;
        return left < 120 ? String.format(Locale.ROOT, ", about %.0f s left", left)
                : left < 7200 ? String.format(Locale.ROOT, ", about %.0f min left", left / 60)
                : String.format(Locale.ROOT, ", about %.1f h left", left / 3600);
    }
}
