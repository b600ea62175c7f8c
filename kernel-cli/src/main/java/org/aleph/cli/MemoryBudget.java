package org.aleph.cli;

import java.util.Locale;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Network;
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
        requireKernelJob(null, null, n, m, d, workers, extraBytes, fewer);
    }

    /**
     * As {@link #requireKernelJob(long, long, long, int, long, String)} for a network reading
     * images of the given shape (null: flat vectors): a convolutional network's kernels are
     * estimated by {@link KernelComputer#memoryEstimate(Network, ImageShape, long, long, int)},
     * which counts per worker the spatial covariance of a pair of images in flight ((H W)^2
     * doubles when the network pools, H W when it reduces by Flatten alone).
     *
     * @throws org.aleph.kernel.SpecException when a layer does not fit the image
     */
    static void requireKernelJob(Network network, ImageShape shape, long n, long m, long d, int workers, long extraBytes,
                                 String fewer) {
        boolean images = network != null && shape != null;
        long kernels = images ? KernelComputer.memoryEstimate(network, shape, n, n, workers)
                + KernelComputer.memoryEstimate(network, shape, m, n, workers)
                : KernelComputer.memoryEstimate(n, n, workers) + KernelComputer.memoryEstimate(m, n, workers);
        long bytes = kernels + 16L * n * n + 8L * (n + m) * d + 8L * m * 16 + extraBytes;
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > 0.9 * max) {
            throw new UserErrorException(String.format(Locale.ROOT,
                    "this job needs about %.1f GiB on %d thread%s but the Java heap allows %.1f GiB; use fewer training samples (%s) "
                            + "or a larger heap (ALEPH_JAVA_OPTS=-Xmx%dg ./aleph ...)",
                    bytes / 1073741824.0, workers, workers == 1 ? "" : "s", max / 1073741824.0, fewer, (long) Math.ceil(bytes / 0.85 / 1073741824.0)));
        }
    }
}
