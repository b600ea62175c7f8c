package org.aleph.kernel;

/**
 * The shape of the images a convolutional network reads: height H, width W and channels C.
 * Each row of an input {@link Matrix} holds one image of H W C values in NHWC order (pixel
 * (h, w), channel c at column {@code (h W + w) C + c}), as NumPy's C order stores an array of
 * shape (n, H, W, C) and as neural-tangents expects.
 *
 * @param height   H, at least 1
 * @param width    W, at least 1
 * @param channels C, at least 1
 */
public record ImageShape(int height, int width, int channels) {

    public ImageShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("an image shape needs H, W, C >= 1, got " + height + "x" + width + "x" + channels);
        }
        if ((long) height * width * channels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an image of " + height + "x" + width + "x" + channels + " values is too large");
        }
    }

    /** H W, the number of pixels. */
    public int pixels() {
        return height * width;
    }

    /** H W C, the number of values per image (columns of the input matrix). */
    public int features() {
        return height * width * channels;
    }

    /** {@code HxWxC}. */
    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
