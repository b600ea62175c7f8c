package org.aleph.kernel.io;

import java.nio.file.Path;
import java.util.Objects;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;

/**
 * Input samples as a command read them: one sample per row of {@link #x()} and, when the rows
 * are images, their shape (docs/DESIGN.md, "Convolutional networks": NHWC, pixel (h, w), channel c
 * at column {@code (h W + w) C + c}). A {@code .npy} of shape (n, H, W, C) or (n, H, W) carries
 * its shape; a 2-D file gets one from {@code --shape H,W,C}; otherwise the rows are plain
 * vectors and {@link #shape()} is null.
 *
 * @param x      the samples, one per row
 * @param shape  the image shape of every row, or null for plain vectors
 * @param path   the file they came from
 * @param option the option that named the file (e.g. {@code --x1}), for messages
 */
public record Inputs(Matrix x, ImageShape shape, Path path, String option) {

    public Inputs {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(option, "option");
        if (shape != null && shape.features() != x.cols()) {
            throw new IllegalArgumentException("rows of " + x.cols() + " values cannot hold images of shape " + shape);
        }
    }

    /** True when the rows are images. */
    public boolean images() {
        return shape != null;
    }

    /** The option and the file, e.g. {@code --x1 train.npy}, for messages. */
    public String where() {
        return option + " " + path;
    }

    /** What the rows hold, e.g. {@code 8x8x1 images} or {@code plain vectors of 64 values}. */
    public String holds() {
        return shape != null ? shape + " images" : "plain vectors of " + x.cols() + " value" + (x.cols() == 1 ? "" : "s");
    }
}
