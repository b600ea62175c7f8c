package org.aleph.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import org.aleph.kernel.KernelComputer;

/**
 * The percentage of kernel tiles done, redrawn in place on standard error — only when a
 * person is watching (a console is attached) and the job is large enough to take a while,
 * so that pipes, files and tests see no progress noise.
 */
final class ProgressBar implements KernelComputer.Progress {

    /** Kernels with fewer entries finish in well under a second: no progress is shown. */
    static final long MIN_ENTRIES = 4_000_000L;

    private final PrintWriter err;
    private final AtomicInteger shown = new AtomicInteger(-1);

    private ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** A bar on {@code err} when a console is attached and the job is large; otherwise a no-op. */
    static KernelComputer.Progress forTerminal(PrintWriter err, long entries) {
        if (System.console() == null || entries < MIN_ENTRIES) {
            return (done, total) -> { };
        }
        return new ProgressBar(err);
    }

    @Override
    public void update(long done, long total) {
        int percent = (int) (100 * done / Math.max(1, total));
        int before = shown.get();
        if (percent > before && shown.compareAndSet(before, percent)) {
            synchronized (err) {
                err.print("\rkernels " + percent + "% ");
                err.flush();
            }
        }
    }

    /** Clears the line. */
    void finish() {
        if (shown.get() >= 0) {
            synchronized (err) {
                err.print("\r              \r");
                err.flush();
            }
        }
    }
}
