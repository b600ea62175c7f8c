package org.aleph.kernel.finite;

import java.util.SplittableRandom;
import org.aleph.kernel.Matrix;

/**
 * The small built-in regression problem of {@code aleph verify}: points drawn uniformly on the
 * sphere |x|^2 = d (so that the input kernel x.x/d is 1 on the diagonal), and the smooth target
 * {@code y(x) = sin(1.5 u . x)} with the fixed unit direction {@code u = (1, ..., 1)/sqrt(d)}
 * (so u . x is about standard normal and the targets fill [-1, 1]).
 */
public final class SphereData {

    /** Default training set size. */
    public static final int TRAIN = 8;
    /** Default test set size. */
    public static final int TEST = 4;
    /** Default input dimension. */
    public static final int DIM = 4;

    private SphereData() {
    }

    /** {@code count} points on the sphere |x|^2 = d, reproducible from the seed. */
    public static Matrix points(int count, int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[count * dim];
        for (int i = 0; i < count; i++) {
            double q = 0;
            for (int j = 0; j < dim; j++) {
                double g = rng.nextGaussian();
                x[i * dim + j] = g;
                q += g * g;
            }
            double scale = Math.sqrt(dim / q);
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] *= scale;
            }
        }
        return Matrix.wrap(count, dim, x);
    }

    /** {@code sin(1.5 u . x)} for each row, with {@code u = (1, ..., 1)/sqrt(d)}. */
    public static double[] targets(Matrix x) {
        double[] y = new double[x.rows()];
        double inv = 1.0 / Math.sqrt(x.cols());
        for (int i = 0; i < x.rows(); i++) {
            double s = 0;
            for (int j = 0; j < x.cols(); j++) {
                s += x.get(i, j);
            }
            y[i] = Math.sin(1.5 * s * inv);
        }
        return y;
    }
}
