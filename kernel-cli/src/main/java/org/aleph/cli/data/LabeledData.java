package org.aleph.cli.data;

import java.util.Arrays;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;

/**
 * Samples with integer class labels: X (n x d) and n labels in 0..classes-1; when the samples
 * are images, their shape (each row one image in NHWC order, d = H W C).
 *
 * @param x       the samples, one per row
 * @param labels  the class of each row
 * @param source  where the data came from, for messages
 * @param shape   the image shape of every row, or null for plain vectors
 */
public record LabeledData(Matrix x, int[] labels, String source, ImageShape shape) {

    public LabeledData {
        if (x.rows() != labels.length) {
            throw new IllegalArgumentException("inconsistent dimensions: " + x.rows() + " rows != " + labels.length + " labels");
        }
        if (shape != null && shape.features() != x.cols()) {
            throw new IllegalArgumentException("rows of " + x.cols() + " values cannot hold images of shape " + shape);
        }
    }

    /** Plain vectors (no image shape). */
    public LabeledData(Matrix x, int[] labels, String source) {
        this(x, labels, source, null);
    }

    /** The number of classes: the largest label plus one. */
    public int classes() {
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    /** One-hot targets with {@code on} for the true class and {@code off} elsewhere (n x classes). */
    public Matrix oneHot(int classes, double on, double off) {
        double[] y = new double[labels.length * classes];
        Arrays.fill(y, off);
        for (int i = 0; i < labels.length; i++) {
            y[i * classes + labels[i]] = on;
        }
        return Matrix.wrap(labels.length, classes, y);
    }
}
