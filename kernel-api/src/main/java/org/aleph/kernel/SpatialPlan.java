package org.aleph.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.aleph.kernel.spi.Activation;

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

    /** The images the network reads. */
    final ImageShape inputShape;
    /** The images after the leading AvgPools, as the steps read them. */
    final ImageShape shape;
    /** The windows (rows, columns) of the leading AvgPool layers, applied to the images themselves. */
    private final List<AxisWindow[]> inputPools;
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
    /**
     * The declared width of the features after the reduction (C, or H W C after Flatten), which
     * a standard-parameterised Dense layer of the suffix reads; NaN when not declared.
     */
    final double suffixWidth;

    private SpatialPlan(ImageShape inputShape, ImageShape shape, List<AxisWindow[]> inputPools, boolean full, List<SpatialStep> steps, Reduction reduction, List<Layer> suffix,
                        int slots, long recordedPixels, int finalHeight, int finalWidth, long linearFlops,
                        long pointwiseEvaluations, double suffixWidth) {
        this.suffixWidth = suffixWidth;
        this.inputShape = inputShape;
        this.shape = shape;
        this.inputPools = inputPools;
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
        List<Layer> layers = network.layers();
        // Leading AvgPools act on the inputs before anything nonlinear: pooling the Gram of the images
        // equals the Gram of the pooled images (both are linear in each image), so they pool the images
        // once instead of every pair's (H W)^2 covariance.
        int lead = 0;
        while (lead < layers.size() && layers.get(lead).kind() == Layer.Kind.AVG_POOL) {
            lead++;
        }
        List<Layer> rest = layers.subList(lead, layers.size());
        boolean full = SpatialLayers.anyPooling(rest);
        Compiler c = new Compiler(network::column, shape.height(), shape.width(), full);
        c.channels = shape.channels();
        List<AxisWindow[]> inputPools = new ArrayList<>();
        for (Layer pool : layers.subList(0, lead)) {
            Layer.AvgPool p = (Layer.AvgPool) pool;
            inputPools.add(c.poolWindows(p));
        }
        ImageShape pooled = new ImageShape(c.h, c.w, shape.channels());
        if (full && (long) pooled.pixels() * pooled.pixels() > Integer.MAX_VALUE - 8) {
            Layer first = layers.get(0);
            throw new SpecException(Math.max(1, network.column(first)), "a pooling network needs the covariance of every pair of "
                    + "pixels, (" + pooled.pixels() + ")^2 entries for " + pooled.height() + "x" + pooled.width()
                    + " images, more than one array holds; reduce by Flatten instead or use smaller images");
        }
        List<SpatialStep> steps = new ArrayList<>();
        int i = lead;
        for (; i < layers.size() && c.reduction == null; i++) {
            SpatialStep step = layers.get(i).accept(c);
            if (step != null) {
                add(steps, step);
            }
        }
        if (full) {
            steps = fuse(steps);
        }
        List<Layer> suffix = List.copyOf(layers.subList(i, layers.size()));
        return new SpatialPlan(shape, pooled, List.copyOf(inputPools), full, List.copyOf(steps), c.reduction, suffix, c.slots,
                c.recorded, c.h, c.w, c.flops, c.evaluations, c.channels);
    }

    /**
     * The images as the spatial steps read them: each row of x (one image of {@link #inputShape})
     * average-pooled by the network's leading AvgPool layers, per channel, positions outside
     * the image counting 0 and the division by the full window (DESIGN.md). x itself when there
     * are none.
     */
    Matrix poolInputs(Matrix x) {
        if (inputPools.isEmpty()) {
            return x;
        }
        int n = x.rows();
        int c = inputShape.channels();
        double[] cur = x.data();
        int h = inputShape.height();
        int w = inputShape.width();
        for (AxisWindow[] pool : inputPools) {
            AxisWindow ah = pool[0];
            AxisWindow aw = pool[1];
            int oh = ah.out;
            int ow = aw.out;
            double inv = 1.0 / ((double) ah.window * aw.window);
            double[] next = new double[n * oh * ow * c];
            for (int img = 0; img < n; img++) {
                int in0 = img * h * w * c;
                int out0 = img * oh * ow * c;
                for (int o1 = 0; o1 < oh; o1++) {
                    for (int o2 = 0; o2 < ow; o2++) {
                        int dst = out0 + (o1 * ow + o2) * c;
                        for (int d1 = 0; d1 < ah.window; d1++) {
                            int i1 = ah.source[d1][o1];
                            for (int d2 = 0; d2 < aw.window && i1 >= 0; d2++) {
                                int i2 = aw.source[d2][o2];
                                if (i2 >= 0) {
                                    int src = in0 + (i1 * w + i2) * c;
                                    for (int ch = 0; ch < c; ch++) {
                                        next[dst + ch] += cur[src + ch];
                                    }
                                }
                            }
                        }
                        for (int ch = 0; ch < c; ch++) {
                            next[dst + ch] *= inv;
                        }
                    }
                }
            }
            cur = next;
            h = oh;
            w = ow;
        }
        return Matrix.wrap(n, h * w * c, cur);
    }

    /** Adds a step, splicing in the steps of a Sequence (a Repeat's copies) so that fusion sees across copies. */
    private static void add(List<SpatialStep> steps, SpatialStep step) {
        if (step instanceof SpatialStep.Sequence seq) {
            seq.steps().forEach(s -> add(steps, s));
        } else {
            steps.add(step);
        }
    }

    /** Replaces each Convolution directly followed by a Nonlinearity (at any branch depth) by the fused step. */
    private static List<SpatialStep> fuse(List<SpatialStep> steps) {
        List<SpatialStep> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            SpatialStep s = steps.get(i);
            if (s instanceof SpatialStep.Branching r) {
                out.add(new SpatialStep.Branching(r.branches().stream().map(SpatialPlan::fuse).toList(), r.join(), r.weights(),
                        r.stein(), r.slot(), r.depth()));
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
        /** The declared channels of the current features (NaN if not declared), for the standard parameterisation. */
        double channels;

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
            double n = channels;
            channels = layer.width() > 0 ? layer.width() : Double.NaN;
            if (layer.parameterization() == Layer.Parameterization.STANDARD) {
                return new SpatialStep.StandardPerPixelDense(layer.wStd() * layer.wStd(), layer.bStd() * layer.bStd(),
                        declared(layer, n), layer.bStd() > 0 ? 1 : 0);
            }
            return new SpatialStep.PerPixelDense(layer.wStd() * layer.wStd(), layer.bStd() * layer.bStd());
        }

        @Override
        public SpatialStep dropout(Layer.Dropout layer) {
            flops += entries();
            return new SpatialStep.Dropout(1.0 / layer.keep());
        }

        private double declared(Layer layer, double n) {
            if (!(n > 0)) {
                throw new IllegalStateException(layer.spec() + " has no declared input width; LayerChecks should have refused it");
            }
            return n;
        }

        @Override
        public SpatialStep nonlinearity(Layer.Nonlinearity layer) {
            recorded += (long) h * w;
            evaluations += entries();
            return new SpatialStep.Nonlinearity(layer.activation(), slots++);
        }

        @Override
        public SpatialStep residual(Layer.Residual layer) {
            return join(layer, layer.asBranches(), "the Residual branch turns");
        }

        @Override
        public SpatialStep branches(Layer.Branches layer) {
            return join(layer, layer, "a Parallel branch turns");
        }

        @Override
        public SpatialStep repeat(Layer.Repeat layer) {
            List<SpatialStep> steps = new ArrayList<>();
            for (int i = 0; i < layer.times(); i++) {
                for (Layer l : layer.body()) {
                    add(steps, l.accept(this));
                }
            }
            return new SpatialStep.Sequence(List.copyOf(steps));
        }

        /** Compiles every branch from the input's size; all must end at one size (the input's, for a Residual). */
        private SpatialStep join(Layer at, Layer.Branches layer, String what) {
            int h0 = h;
            int w0 = w;
            BranchRule rule = BranchRule.of(layer);
            List<Activation> stein = layer.join() == Layer.FanIn.SUM ? rule.steinTerms() : List.of();
            int slot = -1;
            if (!stein.isEmpty()) {
                slot = slots;
                slots += 1 + 2 * stein.size(); // the variances, then dK and dT of each Stein term
                recorded += (long) h * w * (1 + 2 * stein.size());
                evaluations += entries() * stein.size();
            }
            int myDepth = depth++;
            List<List<SpatialStep>> branches = new ArrayList<>();
            double[] weights = new double[layer.branches().size()];
            int h1 = -1;
            int w1 = -1;
            double c0 = channels;
            double[] widths = new double[layer.branches().size()];
            for (int b = 0; b < layer.branches().size(); b++) {
                h = h0;
                w = w0;
                channels = c0;
                List<SpatialStep> steps = new ArrayList<>();
                for (Layer l : layer.branches().get(b)) {
                    add(steps, l.accept(this));
                }
                branches.add(List.copyOf(steps));
                widths[b] = channels;
                weights[b] = rule.sumWeight(b);
                boolean mismatch = at.kind() == Layer.Kind.RESIDUAL ? h != h0 || w != w0 : b > 0 && (h != h1 || w != w1);
                if (mismatch) {
                    int hh = at.kind() == Layer.Kind.RESIDUAL ? h0 : h1;
                    int ww = at.kind() == Layer.Kind.RESIDUAL ? w0 : w1;
                    depth--;
                    throw error(at, what + " the " + h0 + "x" + w0 + " image into " + h + "x" + w + " but another stream is "
                            + hh + "x" + ww + ", so the streams cannot be joined; keep stride 1 and SAME or CIRCULAR padding, "
                            + "or give every branch the same strides");
                }
                h1 = h;
                w1 = w;
            }
            depth--;
            channels = BranchRule.joinedWidth(layer.join(), widths);
            flops += 2L * entries() * layer.branches().size();
            return new SpatialStep.Branching(List.copyOf(branches), layer.join(), weights, stein, slot, myDepth);
        }

        @Override
        public SpatialStep layerNorm(Layer.LayerNorm layer) {
            recorded += (long) h * w;
            evaluations += entries();
            return new SpatialStep.PixelNorm(slots++, layer.eps());
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
            double n = channels;
            channels = layer.width() > 0 ? layer.width() : Double.NaN;
            if (layer.parameterization() == Layer.Parameterization.STANDARD) {
                return new SpatialStep.StandardConvolution(w2 / ((double) layer.filterH() * layer.filterW()),
                        layer.bStd() * layer.bStd(), declared(layer, n), layer.bStd() > 0 ? 1 : 0, rows, cols);
            }
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

        /** The windows of an AvgPool applied to the images themselves (no step, no flops per pair). */
        AxisWindow[] poolWindows(Layer.AvgPool layer) {
            AxisWindow rows = window(layer, h, layer.windowH(), layer.strideH(), layer.padding(), "window", "height", 0);
            AxisWindow cols = window(layer, w, layer.windowW(), layer.strideW(), layer.padding(), "window", "width", 0);
            h = rows.out;
            w = cols.out;
            return new AxisWindow[] {rows, cols};
        }

        @Override
        public SpatialStep globalAvgPool(Layer.GlobalAvgPool layer) {
            reduction = Reduction.GLOBAL_AVG_POOL;
            return null;
        }

        @Override
        public SpatialStep flatten(Layer.Flatten layer) {
            channels *= (double) h * w;
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
