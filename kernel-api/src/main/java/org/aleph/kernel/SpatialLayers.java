package org.aleph.kernel;

import java.util.List;

/**
 * What a network asks of its input: a network holding any of Conv, AvgPool, GlobalAvgPool or
 * Flatten (at any depth) takes images; one without them is fully connected and reads an image
 * as one flat vector of H W C features. A network that pools (AvgPool, GlobalAvgPool) needs
 * the full spatial covariance of every pair of images; one that reduces by Flatten alone needs
 * only its diagonal (neural-tangents' {@code diagonal_spatial}).
 */
final class SpatialLayers implements Layer.Visitor<Integer> {

    private static final int SPATIAL = 1;
    private static final int POOLING = 2;
    private static final SpatialLayers INSTANCE = new SpatialLayers();

    private SpatialLayers() {
    }

    /** Whether any of the layers (Residual branches included) is a spatial layer. */
    static boolean anyIn(List<Layer> layers) {
        return (flags(layers) & SPATIAL) != 0;
    }

    /** Whether any of the layers (Residual branches included) pools, so that pairs need their full covariance. */
    static boolean anyPooling(List<Layer> layers) {
        return (flags(layers) & POOLING) != 0;
    }

    private static int flags(List<Layer> layers) {
        int f = 0;
        for (Layer layer : layers) {
            f |= layer.accept(INSTANCE);
        }
        return f;
    }

    @Override
    public Integer dense(Layer.Dense layer) {
        return 0;
    }

    @Override
    public Integer nonlinearity(Layer.Nonlinearity layer) {
        return 0;
    }

    @Override
    public Integer residual(Layer.Residual layer) {
        return flags(layer.branch());
    }

    @Override
    public Integer layerNorm(Layer.LayerNorm layer) {
        return 0;
    }

    @Override
    public Integer conv(Layer.Conv layer) {
        return SPATIAL;
    }

    @Override
    public Integer avgPool(Layer.AvgPool layer) {
        return SPATIAL | POOLING;
    }

    @Override
    public Integer globalAvgPool(Layer.GlobalAvgPool layer) {
        return SPATIAL | POOLING;
    }

    @Override
    public Integer flatten(Layer.Flatten layer) {
        return SPATIAL;
    }

    @Override
    public Integer branches(Layer.Branches layer) {
        int f = 0;
        for (List<Layer> b : layer.branches()) {
            f |= flags(b);
        }
        return f;
    }

    @Override
    public Integer repeat(Layer.Repeat layer) {
        return flags(layer.body());
    }

    @Override
    public Integer dropout(Layer.Dropout layer) {
        return 0; // per unit: acts per pixel on images and on flat features alike
    }
}
