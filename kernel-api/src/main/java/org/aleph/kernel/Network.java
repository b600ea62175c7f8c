package org.aleph.kernel;

import java.util.List;
import java.util.Objects;

/**
 * An architecture: a serial composition of {@link Layer}s, fully connected or convolutional
 * (then it {@link #takesImages() takes images} of an {@link ImageShape}). Built from the
 * spec syntax with {@link #parse(String)} or from Java with {@link Layers#serial}; both give
 * equal objects.
 *
 * <pre>{@code
 * Network net = Network.parse("Dense(1.5, 0.05) Relu Dense(1, 0)");
 * KernelResult k = net.kernels(x1, null);          // X1 against itself
 * }</pre>
 */
public final class Network {

    private final List<Layer> layers;
    private final java.util.function.ToIntFunction<Layer> column;

    /**
     * @param layers the layers in order, non-empty; copied
     * @throws SpecException when an activation's input is not Gaussian (it must follow a Dense
     *                       layer, possibly through Identity, LayerNorm or a Residual)
     */
    public Network(List<Layer> layers) {
        this(layers, layer -> 0);
    }

    Network(List<Layer> layers, java.util.function.ToIntFunction<Layer> column) {
        ActivationComposition.Fused fused = ActivationComposition.fuse(List.copyOf(layers), column); // Relu Erf: one activation
        this.layers = fused.layers();
        this.column = fused.column();
        if (this.layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        LayerChecks.check(this.layers, column);
    }

    /**
     * Parses a spec using the activations of {@link ActivationRegistry#defaultRegistry()}.
     *
     * @throws SpecException naming the column of the first mistake
     */
    public static Network parse(String spec) {
        return parse(spec, ActivationRegistry.defaultRegistry());
    }

    /** Parses a spec using the activations of the given registry. */
    public static Network parse(String spec, ActivationRegistry registry) {
        Objects.requireNonNull(spec, "spec");
        java.util.Map<Layer, Integer> columns = new java.util.IdentityHashMap<>();
        List<Layer> layers = SpecParser.parse(spec, registry, columns);
        return new Network(layers, layer -> columns.getOrDefault(layer, 0));
    }

    /** The layers in order (unmodifiable). */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The NNGP and NTK of this network for X1 against X2 (or X1 against itself when
     * {@code x2} is null), on all cores.
     */
    public KernelResult kernels(Matrix x1, Matrix x2) {
        return new KernelComputer(this).compute(x1, x2);
    }

    /**
     * The NNGP and NTK of this network for images X1 against X2 (X1 against itself when
     * {@code x2} is null): each row one image of the given shape in NHWC order.
     */
    public KernelResult kernels(Matrix x1, Matrix x2, ImageShape shape) {
        return new KernelComputer(this).compute(x1, x2, shape);
    }

    /**
     * Whether the network takes images: it holds Conv, AvgPool, GlobalAvgPool or Flatten. A
     * network without them reads an image as one flat vector.
     */
    public boolean takesImages() {
        return SpatialLayers.anyIn(layers);
    }

    /** The first layer (in spec order, Residual, Parallel and Repeat bodies included) that needs images, or null if none does. */
    public Layer firstSpatialLayer() {
        return firstSpatial(layers);
    }

    private static Layer firstSpatial(List<Layer> layers) {
        for (Layer l : layers) {
            if (SpatialLayers.anyIn(List.of(l))) {
                return switch (l.kind()) { // a switch expression: the compiler checks that every kind is named
                    case RESIDUAL -> firstSpatial(((Layer.Residual) l).branch());
                    case REPEAT -> firstSpatial(((Layer.Repeat) l).body());
                    case BRANCHES -> firstSpatial(((Layer.Branches) l).branches().stream().flatMap(List::stream).toList());
                    case DENSE, NONLINEARITY, LAYER_NORM, CONV, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, DROPOUT -> l;
                };
            }
        }
        return null;
    }

    /**
     * The 1-based spec column where the given layer object was written, or 0 when the
     * network was built in Java or the layer is not one of this network's.
     */
    public int column(Layer layer) {
        return column.applyAsInt(layer);
    }

    /** The spec text, which parses back to an equal network. */
    public String spec() {
        StringBuilder b = new StringBuilder();
        for (Layer l : layers) {
            b.append(b.length() == 0 ? "" : " ").append(l.spec());
        }
        return b.toString();
    }

    /** Equal when the specs are equal (activations compare by their canonical names). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && n.spec().equals(spec());
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }

    @Override
    public String toString() {
        return spec();
    }
}
