package org.aleph.kernel.finite;

import java.util.ArrayList;
import java.util.List;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;

/**
 * A {@link Network} with its sizes fixed: the input (d features, or images of an
 * {@link ImageShape}), {@code width} units or channels for every hidden Dense and Conv layer,
 * {@code outputs} for the last top-level Dense layer, and for the last Dense or Conv layer of a
 * Residual or Parallel branch joined by a sum or product the channels every stream ends with (the
 * input's when some branch has no Dense or Conv, so that {@code x + f(x)} is defined; else the
 * width). A concatenation has the sum of its branches' channels. Repeat is written out.
 * Built by a {@link Layer.Visitor}, so a new layer kind is a compile error here. On images a
 * Dense layer acts per pixel, Flatten only reinterprets the H W C values of a sample as one
 * vector, and LayerNorm normalises each pixel over its channels (DESIGN.md).
 */
final class Architecture {

    final List<Op> ops;
    final List<Op.Linear> linear;
    final int inputs;
    final int outputs;
    final int opCount;
    /** The last top-level op when it is a flat Dense layer (its input is the readout features), else null. */
    final Op.Linear readout;

    private int nextId;

    /** A fully connected network on d = {@code inputs} features. */
    Architecture(Network network, int inputs, int width, int outputs) {
        this(network, null, inputs, width, outputs);
    }

    /** A network on images of the given shape (a fully connected one reads them flattened). */
    Architecture(Network network, ImageShape shape, int width, int outputs) {
        this(network, shape, shape.features(), width, outputs);
    }

    private Architecture(Network network, ImageShape shape, int inputs, int width, int outputs) {
        if (inputs < 1) {
            throw new UserErrorException("the input dimension must be at least 1, got " + inputs);
        }
        if (width < 1) {
            throw new UserErrorException("the width must be at least 1, got " + width);
        }
        if (outputs < 1) {
            throw new UserErrorException("the number of outputs must be at least 1, got " + outputs);
        }
        boolean images = network.takesImages();
        if (images && shape == null) {
            throw new UserErrorException("network '" + network.spec() + "' is convolutional and needs images; "
                    + "give their shape (H, W, C) instead of a number of input features");
        }
        List<Layer> layers = unrolled(network.layers());
        int lastDense = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).kind() == Layer.Kind.DENSE) {
                lastDense = i;
            }
        }
        this.linear = new ArrayList<>();
        this.inputs = inputs;
        Builder b = images ? new Builder(shape.height(), shape.width(), shape.channels(), width) : new Builder(1, 1, inputs, width);
        this.ops = List.copyOf(b.build(layers, lastDense, outputs, -1));
        if (b.h * b.w != 1) {
            throw new UserErrorException("network '" + network.spec() + "' ends with " + b.h + "x" + b.w
                    + " images; add Flatten or GlobalAvgPool before the readout");
        }
        this.outputs = b.c;
        this.opCount = nextId;
        Op last = ops.get(ops.size() - 1);
        this.readout = last instanceof Op.Linear d && d.window().isIdentity() && d.rowsPerSample() == 1 ? d : null;
    }

    /** The layers with every top-level Repeat written out (each copy gets its own ops and weights). */
    private static List<Layer> unrolled(List<Layer> layers) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (l.kind() == Layer.Kind.REPEAT) {
                out.addAll(unrolled(((Layer.Repeat) l).unrolled()));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    /** Whether a branch holds a Dense or Conv layer at its top level (it then sets its own channels). */
    private static boolean linearTop(List<Layer> layers) {
        return layers.stream().anyMatch(l -> l.kind() == Layer.Kind.DENSE || l.kind() == Layer.Kind.CONV);
    }

    /** The number of parameters (every weight and bias, including biases whose b_std is 0). */
    long parameterCount() {
        long p = 0;
        for (Op.Linear d : linear) {
            p += (long) d.out() * d.fanIn() + d.out();
        }
        return p;
    }

    /** Walks the layers, tracking the image size h x w and the channels c (h = w = 1 when flat). */
    private final class Builder implements Layer.Visitor<Op> {
        int h;
        int w;
        int c;
        final int width;
        /** The output units of the Dense or Conv layer being visited. */
        private int units;
        /** The declared width of the current features (standard parameterisation), NaN if undeclared. */
        private double declared;
        private int id;

        Builder(int h, int w, int c, int width) {
            this.h = h;
            this.w = w;
            this.c = c;
            this.width = width;
            this.declared = c;
        }

        /**
         * @param lastTop   index of the top-level Dense that gets {@code outputs} units (-1 if none or nested)
         * @param branchOut the channels the last layer of this (branch) list must produce, or -1
         */
        List<Op> build(List<Layer> given, int lastTop, int outputs, int branchOut) {
            List<Layer> layers = unrolled(given);
            int lastLinear = -1;
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i).kind() == Layer.Kind.DENSE || layers.get(i).kind() == Layer.Kind.CONV) {
                    lastLinear = i;
                }
            }
            List<Op> out = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                units = i == lastTop ? outputs : (branchOut > 0 && i == lastLinear ? branchOut : width);
                id = nextId++;
                Op op = layers.get(i).accept(this);
                if (op != null) {
                    out.add(op);
                }
            }
            return out;
        }

        @Override
        public Op dense(Layer.Dense layer) {
            return linear(layer, Window.pointwise(h, w), layer.wStd(), layer.bStd(), layer.parameterization(), layer.width());
        }

        @Override
        public Op conv(Layer.Conv layer) {
            Window win = window(layer, layer.filterH(), layer.filterW(), layer.strideH(), layer.strideW(), layer.padding());
            return linear(layer, win, layer.wStd(), layer.bStd(), layer.parameterization(), layer.width());
        }

        private Op linear(Layer layer, Window win, double wStd, double bStd, Layer.Parameterization parameterization, int declaredOut) {
            double standardFanIn = 0;
            if (parameterization == Layer.Parameterization.STANDARD) {
                if (!(declared > 0)) {
                    throw new UserErrorException(layer.spec() + " needs the declared width of its input; give the Dense or Conv "
                            + "layer before it width=N");
                }
                if (wStd == 0) {
                    throw new UserErrorException(layer.spec() + ": a finite network in the standard parameterisation keeps its "
                            + "weights in units of W_std, so W_std must be positive");
                }
                standardFanIn = declared * win.taps();
            }
            declared = declaredOut > 0 ? declaredOut : Double.NaN;
            Op.Linear op = new Op.Linear(id, linear.size(), win, c, units, wStd, bStd, standardFanIn);
            linear.add(op);
            h = win.outH;
            w = win.outW;
            c = units;
            return op;
        }

        @Override
        public Op nonlinearity(Layer.Nonlinearity layer) {
            return new Op.Act(id, layer.activation(), h * w * c);
        }

        @Override
        public Op layerNorm(Layer.LayerNorm layer) {
            return new Op.Norm(id, h * w, c, layer.eps());
        }

        @Override
        public Op dropout(Layer.Dropout layer) {
            return new Op.Drop(id, layer.keep(), h * w * c);
        }

        @Override
        public Op residual(Layer.Residual layer) {
            return fork(layer, layer.asBranches());
        }

        @Override
        public Op branches(Layer.Branches layer) {
            return fork(layer, layer);
        }

        @Override
        public Op repeat(Layer.Repeat layer) {
            throw new IllegalStateException(layer.spec() + " reached the op builder; build() writes every Repeat out");
        }

        /**
         * Every branch from the input's size; a sum or product needs every branch to end with the
         * same channels: the input's when some branch has no Dense or Conv of its own, else the width.
         */
        private Op fork(Layer at, Layer.Branches layer) {
            int myId = id;
            int h0 = h;
            int w0 = w;
            int c0 = c;
            int saved = units;
            boolean join = layer.join() != Layer.FanIn.CONCAT;
            int target = !join ? -1 : layer.branches().stream().allMatch(Architecture::linearTop) ? width : c0;
            List<List<Op>> branches = new ArrayList<>();
            int n = layer.branches().size();
            int[] channels = new int[n];
            int[] outIds = new int[n];
            int h1 = -1;
            int w1 = -1;
            double declared0 = declared;
            double[] declaredOut = new double[n];
            for (int b = 0; b < n; b++) {
                h = h0;
                w = w0;
                c = c0;
                declared = declared0;
                branches.add(List.copyOf(build(layer.branches().get(b), -1, 0, target)));
                declaredOut[b] = declared;
                outIds[b] = nextId++;
                channels[b] = c;
                if ((b > 0 && (h != h1 || w != w1)) || (join && c != target)) {
                    throw new UserErrorException(at.spec() + ": a branch turns " + h0 + "x" + w0 + "x" + c0 + " into " + h + "x" + w
                            + "x" + c + ", which does not match the other streams; keep the image size and end each branch "
                            + "in Dense or Conv (or in its input's channels)");
                }
                h1 = h;
                w1 = w;
            }
            units = saved;
            c = join ? target : java.util.Arrays.stream(channels).sum();
            declared = joinedDeclared(layer.join(), declaredOut);
            return new Op.Fork(myId, List.copyOf(branches), layer.join(), outIds, h * w, channels);
        }

        /**
         * The declared width after a join (as the kernel recursion reads it, docs/parameterization.md):
         * a sum or product has the common declared width of its streams (NaN when none is declared or
         * two differ), a concatenation the sum of its branches' (NaN when one has none).
         */
        private static double joinedDeclared(Layer.FanIn join, double[] widths) {
            if (join == Layer.FanIn.CONCAT) {
                double sum = 0;
                for (double d : widths) {
                    sum += d;
                }
                return sum;
            }
            double common = Double.NaN;
            for (double d : widths) {
                if (d > 0) {
                    if (common > 0 && common != d) {
                        return Double.NaN;
                    }
                    common = d;
                }
            }
            return common;
        }

        @Override
        public Op avgPool(Layer.AvgPool layer) {
            Window win = window(layer, layer.windowH(), layer.windowW(), layer.strideH(), layer.strideW(), layer.padding());
            h = win.outH;
            w = win.outW;
            return new Op.Pool(id, win, c);
        }

        @Override
        public Op globalAvgPool(Layer.GlobalAvgPool layer) {
            Op op = new Op.GlobalPool(id, h * w, c);
            h = 1;
            w = 1;
            return op;
        }

        @Override
        public Op flatten(Layer.Flatten layer) {
            declared *= (double) h * w;
            c = h * w * c;
            h = 1;
            w = 1;
            return null; // NHWC rows already hold each sample as one vector
        }

        private Window window(Layer layer, int kh, int kw, int sh, int sw, Layer.Padding padding) {
            if (padding.outputSize(h, kh, sh) < 1 || padding.outputSize(w, kw, sw) < 1) {
                throw new UserErrorException(layer.spec() + " does not fit the " + h + "x" + w
                        + " images it receives; use a smaller window or padding=SAME");
            }
            return new Window(h, w, kh, kw, sh, sw, padding);
        }
    }
}
