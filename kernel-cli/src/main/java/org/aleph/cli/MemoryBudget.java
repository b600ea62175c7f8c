package org.aleph.cli;

import java.util.Locale;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.UserErrorException;

/**
 * The up-front memory check of the commands that build kernels and factorise them: the bytes a
 * job will hold at its peak, compared with the Java heap before any work is done, and a
 * refusal that says what the job needs and what to change.
 */
final class MemoryBudget {

    private MemoryBudget() {
    }

    /**
     * Refuses a job with n training and m test points of dimension d: the train-train and
     * test-train kernels (NNGP and NTK), a factorisation of n x n with its workspace, the data,
     * and {@code extraBytes} more (e.g. an m x m covariance).
     *
     * @param fewer how the user asks for fewer training samples, for the message, e.g. {@code --n-train}
     */
    static void requireKernelJob(long n, long m, long d, int workers, long extraBytes, String fewer) {
        long bytes = KernelComputer.memoryEstimate(n, n, workers) + KernelComputer.memoryEstimate(m, n, workers)
                + 16L * n * n + 8L * (n + m) * d + 8L * m * 16 + extraBytes;
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > 0.9 * max) {
            throw new UserErrorException(String.format(Locale.ROOT,
                    "this job needs about %.1f GiB but the Java heap allows %.1f GiB; use fewer training samples (%s) "
                            + "or a larger heap (ALEPH_JAVA_OPTS=-Xmx%dg ./aleph ...)",
                    bytes / 1073741824.0, max / 1073741824.0, fewer, (long) Math.ceil(bytes / 0.85 / 1073741824.0)));
        }
    }
}
