package org.aleph.cli.demo;

import java.util.SplittableRandom;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.dynamics.LinearAlgebra;

/**
 * Draws functions from the zero-mean Gaussian process with a given covariance K on a finite
 * set of points: f = L z with L L^T = K + j I and z standard normal (Rasmussen &amp; Williams,
 * Gaussian Processes for Machine Learning, 2006, appendix A.2). A kernel on a fine grid is
 * numerically singular, so a jitter j = {@value #JITTER} times the mean diagonal is added;
 * should the factorisation still fail, the jitter is multiplied by 10 (at most
 * {@value #MAX_RAISES} times) and the value used is reported by {@link #jitter()}.
 */
public final class GaussianProcessSampler {

    /** The jitter relative to the mean diagonal of K. */
    public static final double JITTER = 1e-10;
    /** How often the jitter may be raised tenfold before giving up. */
    static final int MAX_RAISES = 6;

    private final int n;
    private final double[] factor;
    private final double jitter;

    private GaussianProcessSampler(int n, double[] factor, double jitter) {
        this.n = n;
        this.factor = factor;
        this.jitter = jitter;
    }

    /**
     * Factorises K + jitter I.
     *
     * @param kernel a symmetric positive semi-definite n x n covariance
     * @throws ArithmeticException when K + jitter I is not positive definite even after raising the jitter
     */
    public static GaussianProcessSampler of(Matrix kernel, LinearAlgebra la) {
        int n = kernel.rows();
        if (kernel.cols() != n) {
            throw new IllegalArgumentException("covariance must be square, got " + n + " x " + kernel.cols());
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += kernel.get(i, i);
        }
        mean = n == 0 ? 0 : mean / n;
        double j = JITTER * (mean > 0 ? mean : 1);
        for (int raise = 0; raise <= MAX_RAISES; raise++, j *= 10) {
            double[] a = kernel.data().clone();
            for (int i = 0; i < n; i++) {
                a[i * n + i] += j;
            }
            if (la.choleskyInPlace(a, n) == 0) {
                return new GaussianProcessSampler(n, a, j);
            }
        }
        throw new ArithmeticException("the GP covariance is not positive definite even with a jitter of " + j / 10);
    }

    /** The jitter j actually added to the diagonal (absolute). */
    public double jitter() {
        return jitter;
    }

    /** The number of points. */
    public int size() {
        return n;
    }

    /** {@code count} functions, each a row of n values, drawn from {@code rng} in row order. */
    public double[][] sample(int count, SplittableRandom rng) {
        double[][] out = new double[count][n];
        double[] z = new double[n];
        for (int s = 0; s < count; s++) {
            for (int i = 0; i < n; i++) {
                z[i] = rng.nextGaussian();
            }
            double[] f = out[s];
            for (int i = 0; i < n; i++) {
                double acc = 0;
                int row = i * n;
                for (int k = 0; k <= i; k++) {
                    acc += factor[row + k] * z[k];
                }
                f[i] = acc;
            }
        }
        return out;
    }
}
