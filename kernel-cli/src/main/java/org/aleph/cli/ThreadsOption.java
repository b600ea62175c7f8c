package org.aleph.cli;

import org.aleph.kernel.UserErrorException;
import picocli.CommandLine.Option;

/**
 * The {@code --threads} option every computing command shares (a picocli {@code @Mixin}), and
 * its one check: a worker count from 1 to {@link #max()} (default: every core). More threads
 * than that would only cost memory (each worker holds its own buffers) and time, so a larger
 * count is refused with a sentence that names it, before any memory estimate or work.
 */
final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: every core; at most 1024).")
    Integer threads;

    /** The number of workers this run uses. */
    int workers() {
        return workers(threads, "--threads");
    }

    /** The most workers accepted on any machine, whatever its cores. */
    static final int LIMIT = 1024;

    /** The largest accepted count: {@value #LIMIT}, or 4 per core on a machine with more than 256 cores. */
    static int max() {
        return Math.max(LIMIT, 4 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * The number of workers: {@code threads}, or every core when it is null.
     *
     * @param option the option's name for the message, e.g. {@code --threads}
     * @throws UserErrorException when the count lies outside 1..{@link #max()}
     */
    static int workers(Integer threads, String option) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads == null) {
            return cores;
        }
        if (threads < 1 || threads > max()) {
            throw new UserErrorException(option + " " + threads + ": the number of worker threads must lie in 1.." + max()
                    + " (this machine has " + cores + " core" + (cores == 1 ? "" : "s") + ")");
        }
        return threads;
    }
}
