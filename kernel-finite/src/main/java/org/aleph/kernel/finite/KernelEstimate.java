package org.aleph.kernel.finite;

import org.aleph.kernel.Matrix;

/**
 * A Monte Carlo estimate of a kernel matrix: the entry-wise sample mean over independent
 * networks and its standard error {@code sd / sqrt(samples)} (sample standard deviation with
 * the n - 1 divisor).
 *
 * @param mean          the sample mean, never null
 * @param standardError the standard error of each entry, never null
 * @param samples       the number of networks averaged
 */
public record KernelEstimate(Matrix mean, Matrix standardError, int samples) {
}
