package org.aleph.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.aleph.kernel.io.Inputs;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;

/**
 * Decides, before any kernel is computed, how a command's inputs reach the network
 * (DESIGN.md, "Convolutional networks"): every input that holds images must hold the same
 * image shape; a network that takes images (Conv, AvgPool, GlobalAvgPool, Flatten) needs
 * images in every input; a fully connected network reads images as flat vectors. The
 * mistakes are user errors in one sentence naming the files or the spec column.
 */
final class ImageInputs {

    private ImageInputs() {
    }

    /**
     * The image shape the kernels are computed with, or null to compute on flat vectors.
     *
     * @param inputs the inputs of one job (nulls are skipped), in the order they were named
     * @throws UserErrorException when two inputs hold different image shapes, or a network
     *                            that takes images is given plain vectors
     */
    static ImageShape common(Network network, Inputs... inputs) {
        List<Inputs> given = new ArrayList<>();
        for (Inputs in : inputs) {
            if (in != null) {
                given.add(in);
            }
        }
        Inputs first = null;
        for (Inputs in : given) {
            if (!in.images()) {
                continue;
            }
            if (first == null) {
                first = in;
            } else if (!first.shape().equals(in.shape())) {
                throw new UserErrorException(in.where() + " holds " + in.shape() + " images but " + first.where() + " holds "
                        + first.shape() + "; every input needs the same image shape");
            }
        }
        if (network.takesImages()) {
            for (Inputs in : given) {
                if (!in.images()) {
                    throw needsImages(network, in, first);
                }
            }
            return first == null ? null : first.shape();
        }
        for (Inputs in : given) {
            if (!in.images()) {
                return null; // a fully connected network reads images flat; mixed inputs need only equal widths
            }
        }
        return first == null ? null : first.shape();
    }

    private static UserErrorException needsImages(Network network, Inputs plain, Inputs images) {
        Layer layer = Objects.requireNonNull(network.firstSpatialLayer(), "a network that takes images has an image layer");
        String where = layer.spec() + " at spec column " + Math.max(1, network.column(layer)) + " needs images, but "
                + plain.where() + " holds " + plain.holds() + "; ";
        if (images != null) {
            ImageShape s = images.shape();
            return new UserErrorException(where + "give --shape " + s.height() + "," + s.width() + "," + s.channels()
                    + " to read its rows as the " + s + " images of " + images.where() + ", or save it as a .npy of shape (n, "
                    + s.height() + ", " + s.width() + ", " + s.channels() + ")");
        }
        return new UserErrorException(where + "give images as a .npy of shape (n, H, W, C) or (n, H, W), or read a 2-D file"
                + " as images with --shape H,W,C");
    }

    /** The kernels of X1 against X2 (X1 against itself when {@code x2} is null), as images when {@code shape} is not null. */
    static KernelResult compute(KernelComputer computer, Matrix x1, Matrix x2, ImageShape shape) {
        KernelResult r = shape == null ? computer.compute(x1, x2) : computer.compute(x1, x2, shape);
        KernelChecks.require(r, x2 == null);
        return r;
    }

    /** The bytes the kernels of n1 x n2 inputs hold at their peak (the conv estimate for images). */
    static long memoryEstimate(Network network, ImageShape shape, long n1, long n2, int workers) {
        return shape == null ? KernelComputer.memoryEstimate(n1, n2, workers)
                : KernelComputer.memoryEstimate(network, shape, n1, n2, workers);
    }

    /** Writes the shape as {@code [H, W, C]}, or null. */
    static JsonWriter json(JsonWriter j, ImageShape shape) {
        if (shape == null) {
            return j.nullValue();
        }
        return j.beginArray().value(shape.height()).value(shape.width()).value(shape.channels()).endArray();
    }
}
