package org.aleph.kernel;

import java.util.List;
import java.util.function.ToIntFunction;
import org.aleph.kernel.spi.Activation;

/**
 * Enforces, once for every network, the preconditions of the kernel recursion that do not
 * depend on the data (DESIGN.md):
 * <ul>
 *   <li>an activation's input must be Gaussian in the infinite-width limit, i.e. come from a
 *       Dense or Conv layer, possibly through Identity, LayerNorm, pooling or a Residual whose
 *       skip path is Gaussian too, as neural-tangents' stax requires. Applied to the raw input,
 *       to another activation's output or after Flatten, E[phi(u)phi(v)] over a Gaussian would
 *       be the wrong kernel: finite networks converge elsewhere (measured: 6.7 standard errors
 *       off for {@code Relu Residual(Relu Dense)});</li>
 *   <li>a network with a convolutional layer takes images and must become flat (Flatten or
 *       GlobalAvgPool) exactly once, outside any Residual, before it ends; Conv and AvgPool
 *       need a spatial input;</li>
 *   <li>Dropout needs an input that went through weights on every path (neural-tangents refuses
 *       it on the input layer: over d fixed features its masks do not average out), and its
 *       output is not Gaussian;</li>
 *   <li>a Dense or Conv layer in the standard parameterisation needs the declared width of its
 *       input (its NTK is {@code N_in K + W_std^2 T + 1}): the data's, or the {@code width} of
 *       the Dense or Conv layer before it.</li>
 * </ul>
 * The walk is a {@link Layer.Visitor}, so a new layer kind cannot be forgotten here.
 */
final class LayerChecks implements Layer.Visitor<Void> {

    private final ToIntFunction<Layer> column;
    private boolean gaussian;
    private boolean spatial;
    private int residualDepth;
    private int index;
    private Layer flattenedBy;
    /** Whether every path to the current layer went through a Dense or Conv layer. */
    private boolean weighted;
    /** Whether the width of the current features is declared (the data's, or a layer's {@code width}). */
    private boolean widthKnown = true;
    private boolean afterDropout;

    private LayerChecks(ToIntFunction<Layer> column, boolean spatial) {
        this.column = column;
        this.spatial = spatial;
    }

    /**
     * Checks the layers; {@code column} gives the 1-based spec column of a layer (0 when
     * unknown, e.g. for a network built in Java).
     *
     * @throws SpecException naming the first layer that breaks a rule
     */
    static void check(List<Layer> layers, ToIntFunction<Layer> column) {
        boolean images = SpatialLayers.anyIn(layers);
        LayerChecks walk = new LayerChecks(column, images);
        walk.walk(layers);
        if (walk.spatial) {
            Layer last = layers.get(layers.size() - 1);
            throw walk.error(last, "the network ends with a spatial kernel after " + last.spec()
                    + "; add Flatten or GlobalAvgPool before the readout, e.g. '... Flatten Dense(1, 0)'");
        }
    }

    private void walk(List<Layer> layers) {
        for (Layer layer : layers) {
            index++;
            layer.accept(this);
        }
    }

    @Override
    public Void dense(Layer.Dense layer) {
        weights(layer, layer.parameterization(), layer.width());
        return null;
    }

    private void weights(Layer layer, Layer.Parameterization parameterization, int width) {
        if (parameterization == Layer.Parameterization.STANDARD && !widthKnown) {
            throw error(layer, layer.spec() + ": in the standard parameterisation the NTK reads the width of the layer's "
                    + "input (N_in K + W_std^2 T + 1), which is not declared; give the Dense or Conv layer before it "
                    + "width=N (neural-tangents' out_dim)");
        }
        gaussian = true;
        weighted = true;
        afterDropout = false;
        widthKnown = width > 0;
    }

    @Override
    public Void dropout(Layer.Dropout layer) {
        if (!weighted) {
            throw error(layer, layer.spec() + " cannot act on the input data (as in neural-tangents): over the d fixed input "
                    + "features its masks do not average out; put it after a Dense or Conv layer");
        }
        gaussian = false;
        afterDropout = true;
        return null;
    }

    @Override
    public Void nonlinearity(Layer.Nonlinearity layer) {
        Activation a = layer.activation();
        boolean identity = a.name().equals("Identity");
        if (!gaussian && !identity) {
            String input = index == 1 ? "the raw data" : afterDropout ? "the output of Dropout"
                    : flattenedBy != null && !spatial ? "the output of Flatten" : "the output of a nonlinearity";
            throw error(layer, a.name() + " must follow a Dense or Conv layer: the kernel recursion needs Gaussian "
                    + "pre-activations, but its input is " + input + "; insert Dense(...) before it");
        }
        gaussian = identity && gaussian;
        afterDropout = false;
        return null;
    }

    @Override
    public Void residual(Layer.Residual layer) {
        boolean skip = gaussian;
        boolean skipWeighted = weighted;
        boolean skipWidth = widthKnown;
        residualDepth++;
        walk(layer.branch());
        residualDepth--;
        gaussian = skip && gaussian;
        weighted = skipWeighted && weighted;
        widthKnown = skipWidth; // x + f(x) has the width of x
        afterDropout = false;
        return null;
    }

    @Override
    public Void layerNorm(Layer.LayerNorm layer) {
        return null; // divides by a deterministic scale in the limit: Gaussian stays Gaussian
    }

    @Override
    public Void conv(Layer.Conv layer) {
        needSpatial(layer);
        weights(layer, layer.parameterization(), layer.width());
        return null;
    }

    @Override
    public Void avgPool(Layer.AvgPool layer) {
        needSpatial(layer);
        return null; // an average of jointly Gaussian pre-activations is Gaussian
    }

    @Override
    public Void globalAvgPool(Layer.GlobalAvgPool layer) {
        reduce(layer);
        return null; // the mean over pixels of a Gaussian field is Gaussian, independently per channel
    }

    @Override
    public Void flatten(Layer.Flatten layer) {
        reduce(layer);
        gaussian = false;
        return null;
    }

    private void needSpatial(Layer layer) {
        if (!spatial) {
            throw error(layer, layer.spec() + " needs a spatial (image) kernel, but the kernel is already flat after "
                    + flattenedBy.spec() + "; move it before " + flattenedBy.spec());
        }
    }

    private void reduce(Layer layer) {
        String name = layer.spec();
        if (residualDepth > 0) {
            throw error(layer, name + " cannot be inside a Residual: the branch must keep the shape of its input");
        }
        if (!spatial) {
            throw error(layer, name + " needs a spatial (image) kernel, but the kernel is already flat after "
                    + flattenedBy.spec() + "; a network reduces the image once");
        }
        spatial = false;
        flattenedBy = layer;
    }

    private SpecException error(Layer layer, String problem) {
        int col = column.applyAsInt(layer);
        return new SpecException(Math.max(col, 1), (col > 0 ? "" : "layer " + index + ": ") + problem);
    }
}
