package org.aleph.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A convolutional network compiled for one image shape: the spatial layers up to the
 * reduction as {@link SpatialStep}s with their window geometry, the reduction (Flatten or
 * GlobalAvgPool), and the fully connected layers after it. Compiling checks what depends on
 * the image size, each mistake a {@link SpecException} naming the layer's column: a VALID
 * window larger than the image, a Residual branch that changes the image size, a pooling
 * covariance too large for one array.
 *
 * <p>The state of a pair is the full covariance (H W)^2 when the network pools, and only its
 * diagonal (H W entries) when it reduces by Flatten alone (neural-tangents'
 * {@code diagonal_spatial}): convolutions, activations and Flatten read only S[p, p] then.
 */
final class SpatialPlan {

    /** How the image becomes flat. */
    enum Reduction { FLATTEN, GLOBAL_AVG_POOL }

    final ImageShape shape;
    final boolean full;
    final List<SpatialStep> steps;
    final Reduction reduction;
    final List<Layer> suffix;
    /** The number of per-pixel variance vectors each image records (one per activation or LayerNorm). */
    final int slots;
    /** Entries of the largest state: the input's, as no layer enlarges the image. */
    final int capacity;
    /** Pixels recorded per image over all slots (for memory estimates). */
    final long recordedPixels;
    /** Floating-point operations of the window sums and affine maps per pair of images (both kernels). */
    final long linearFlops;
    /** Activation (or LayerNorm) evaluations per pair of images. */
    final long pointwiseEvaluations;
    /** The image height and width when the reduction is applied. */
    final int finalHeight;
    final int finalWidth;

    private SpatialPlan(ImageShape shape, boolean full, List<SpatialStep> steps, Reduction reduction, List<Layer> suffix,
                        int slots, long recordedPixels, int finalHeight, int finalWidth, long linearFlops,
                        long pointwiseEvaluations) {
        this.shape = shape;
        this.full = full;
        this.steps = steps;
        this.reduction = reduction;
        this.suffix = suffix;
        this.slots = slots;
        this.capacity = full ? shape.pixels() * shape.pixels() : shape.pixels();
        this.recordedPixels = recordedPixels;
        this.finalHeight = finalHeight;
        this.finalWidth = finalWidth;
        this.linearFlops = linearFlops;
        this.pointwiseEvaluations = pointwiseEvaluations;
    }

    /**
     * Compiles a network that takes images ({@link Network#takesImages()}) for the given shape.
     *
     * @throws SpecException when a layer does not fit the image
     */
    static SpatialPlan compile(Network network, ImageShape shape) {
        boolean full = SpatialLayers.anyPooling(network.layers());
        if (full && (long) shape.pixels() * shape.pixels() > Integer.MAX_VALUE - 8) {
            Layer first = network.layers().get(0);
            throw new SpecException(Math.max(1, network.column(first)), "a pooling network needs the covariance of every pair of "
                    + "pixels, (" + shape.pixels() + ")^2 entries for " + shape.height() + "x" + shape.width()
                    + " images, more than one array holds; reduce by Flatten instead or use smaller images");
        }
        Compiler c = new Compiler(network::column, shape.height(), shape.width(), full);
        List<Layer> layers = network.layers();
        List<SpatialStep> steps = new ArrayList<>();
        int i = 0;
        for (; i < layers.size() && c.reduction == null; i++) {
            SpatialStep step = layers.get(i).accept(c);
            if (step != null) {
                steps.add(step);
            }
        }
        if (full) {
            steps = fuse(steps);
        }
        List<Layer> suffix = List.copyOf(layers.subList(i, layers.size()));
        return new SpatialPlan(shape, full, List.copyOf(steps), c.reduction, suffix, c.slots, c.recorded, c.h, c.w,
                c.flops, c.evaluations);
    }

    /** Replaces each Convolution directly followed by a Nonlinearity (at any Residual depth) by the fused step. */
    private static List<SpatialStep> fuse(List<SpatialStep> steps) {
        List<SpatialStep> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            SpatialStep s = steps.get(i);
            if (s instanceof SpatialStep.Residual r) {
                out.add(new SpatialStep.Residual(fuse(r.branch()), r.depth()));
            } else if (s instanceof SpatialStep.Convolution conv && i + 1 < steps.size()
                    && steps.get(i + 1) instanceof SpatialStep.Nonlinearity act) {
                out.add(new SpatialStep.ConvolutionThenActivation(conv, act));
                i++;
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Turns layers into steps, tracking the image size; a reduction ends the spatial part (and returns null). */
    private static final class Compiler implements Layer.Visitor<SpatialStep> {
        private final ToIntFunction<Layer> column;
        int h;
        int w;
        int slots;
        long recorded;
        int depth;
        Reduction reduction;
        final boolean full;
        long flops;
        long evaluations;

        Compiler(ToIntFunction<Layer> column, int h, int w, boolean full) {
            this.column = column;
            this.h = h;
            this.w = w;
            this.full = full;
        }

        /** Entries of the state at the current image size. */
        long entries() {
            long p = (long) h * w;
            return full ? p * p : p;
        }

        @Override
        public SpatialStep dense(Layer.Dense layer) {
            flops += 4 * entries();
            return new SpatialStep.PerPixelDense(layer.wStd() * layer.wStd(), layer.bStd() * layer.bStd());
        }

        @Override
        public SpatialStep nonlinearity(Layer.Nonlinearity layer) {
            recorded += (long) h * w;
            evaluations += entries();
            return new SpatialStep.Nonlinearity(layer.activation(), slots++);
        }

        @Override
        public SpatialStep residual(Layer.Residual layer) {
            int h0 = h;
            int w0 = w;
            List<SpatialStep> branch = new ArrayList<>();
            int myDepth = depth++;
            for (Layer l : layer.branch()) {
                branch.add(l.accept(this));
            }
            depth--;
            if (h != h0 || w != w0) {
                throw error(layer, "the Residual branch turns the " + h0 + "x" + w0 + " image into " + h + "x" + w
                        + ", so x + f(x) is undefined; keep stride 1 and SAME or CIRCULAR padding inside it");
            }
            return new SpatialStep.Residual(List.copyOf(branch), myDepth);
        }

        @Override
        public SpatialStep layerNorm(Layer.LayerNorm layer) {
            recorded += (long) h * w;
            evaluations += entries();
            return new SpatialStep.PixelNorm(slots++);
        }

        @Override
        public SpatialStep conv(Layer.Conv layer) {
            AxisWindow rows = window(layer, h, layer.filterH(), layer.strideH(), layer.padding(), "filter", "height", 0);
            AxisWindow cols = window(layer, w, layer.filterW(), layer.strideW(), layer.padding(), "filter", "width",
                    Math.max(w, rows.out));
            long rowSums = full ? (long) rows.out * rows.out * w * w * rows.window : (long) rows.out * w * rows.window;
            h = rows.out;
            w = cols.out;
            flops += 2 * (rowSums + entries() * cols.window) + 4 * entries();
            double w2 = layer.wStd() * layer.wStd();
            return new SpatialStep.Convolution(w2 / ((double) layer.filterH() * layer.filterW()), layer.bStd() * layer.bStd(), rows, cols);
        }

        @Override
        public SpatialStep avgPool(Layer.AvgPool layer) {
            AxisWindow rows = window(layer, h, layer.windowH(), layer.strideH(), layer.padding(), "window", "height", 0);
            AxisWindow cols = window(layer, w, layer.windowW(), layer.strideW(), layer.padding(), "window", "width", 0);
            long before = entries();
            h = rows.out;
            w = cols.out;
            flops += 2 * (before * rows.window + entries() * cols.window * 3) + 2 * entries();
            return new SpatialStep.Pooling(rows, cols);
        }

        @Override
        public SpatialStep globalAvgPool(Layer.GlobalAvgPool layer) {
            reduction = Reduction.GLOBAL_AVG_POOL;
            return null;
        }

        @Override
        public SpatialStep flatten(Layer.Flatten layer) {
            reduction = Reduction.FLATTEN;
            return null;
        }

        private AxisWindow window(Layer layer, int length, int size, int stride, Layer.Padding padding, String what, String axis,
                                  int maskRows) {
            if (padding.outputSize(length, size, stride) < 1) {
                throw error(layer, layer.spec() + ": its " + what + " " + axis + " " + size + " is larger than the image "
                        + axis + " " + length + " here, which VALID padding does not allow; use a smaller " + what
                        + " or padding=SAME");
            }
            return new AxisWindow(length, size, stride, padding, maskRows);
        }

        private SpecException error(Layer layer, String problem) {
            return new SpecException(Math.max(1, column.applyAsInt(layer)), problem);
        }
    }
}
