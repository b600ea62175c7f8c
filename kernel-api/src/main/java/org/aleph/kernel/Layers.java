package org.aleph.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.spi.Activation;

/**
 * A Java builder for networks, mirroring neural-tangents' stax:
 * <pre>{@code
 * import static org.aleph.kernel.Layers.*;
 * Network net = serial(dense(1.5, 0.05), relu(), dense(1, 0));   // equals Network.parse("Dense(1.5, 0.05) Relu Dense(1, 0)")
 * Network cnn = serial(conv(1.5, 0.05, 3), relu(), avgPool(2), conv(1.5, 0.05, 3), relu(), globalAvgPool(), dense(1, 0));
 * }</pre>
 * Activations are looked up by name in {@link ActivationRegistry#defaultRegistry()}.
 */
public final class Layers {

    private Layers() {
    }

    /** The serial composition of the given layers. */
    public static Network serial(Layer... layers) {
        return new Network(Arrays.asList(layers));
    }

    /** A dense layer with the given weight and bias standard deviations. */
    public static Layer dense(double wStd, double bStd) {
        return new Layer.Dense(wStd, bStd);
    }

    /** {@code Dense(1, 0)}. */
    public static Layer dense() {
        return new Layer.Dense(1, 0);
    }

    /** {@code x + f(x)} where f is the serial composition of the branch. */
    public static Layer residual(Layer... branch) {
        return new Layer.Residual(List.of(branch));
    }

    /**
     * {@code FanOut(k) Parallel(b_1; ...; b_k) FanInSum}: the sum of the branches, each a list of
     * layers (empty: the stream unchanged), e.g. {@code fanInSum(List.of(), List.of(relu(), dense()))}.
     */
    @SafeVarargs
    public static Layer fanInSum(List<Layer>... branches) {
        return new Layer.Branches(List.of(branches), Layer.FanIn.SUM);
    }

    /** {@code FanOut(k) Parallel(b_1; ...; b_k) FanInProd}: the entry-wise product of the branches. */
    @SafeVarargs
    public static Layer fanInProd(List<Layer>... branches) {
        return new Layer.Branches(List.of(branches), Layer.FanIn.PROD);
    }

    /** {@code FanOut(k) Parallel(b_1; ...; b_k) FanInConcat}: the branches concatenated over features. */
    @SafeVarargs
    public static Layer fanInConcat(List<Layer>... branches) {
        return new Layer.Branches(List.of(branches), Layer.FanIn.CONCAT);
    }

    /** {@code Repeat(n, body)}: the body n times, each copy with its own weights. */
    public static Layer repeat(int times, Layer... body) {
        return new Layer.Repeat(times, List.of(body));
    }

    /** A k x k convolution with stride 1 and SAME padding: {@code Conv(W_std, b_std, filter=k)}. */
    public static Layer conv(double wStd, double bStd, int filter) {
        return new Layer.Conv(wStd, bStd, filter, filter, 1, 1, Layer.Padding.SAME);
    }

    /** A convolution with every parameter given: filter and stride as height and width, and the padding. */
    public static Layer conv(double wStd, double bStd, int filterH, int filterW, int strideH, int strideW, Layer.Padding padding) {
        return new Layer.Conv(wStd, bStd, filterH, filterW, strideH, strideW, padding);
    }

    /** Average pooling over w x w windows with stride w and VALID padding: {@code AvgPool(window=w)}. */
    public static Layer avgPool(int window) {
        return new Layer.AvgPool(window, window, window, window, Layer.Padding.VALID);
    }

    /** Global average pooling over all pixels. */
    public static Layer globalAvgPool() {
        return new Layer.GlobalAvgPool();
    }

    /** Flattening an image into one vector of H W C features. */
    public static Layer flatten() {
        return new Layer.Flatten();
    }

    /** Layer normalisation over features. */
    public static Layer layerNorm() {
        return new Layer.LayerNorm();
    }

    /** Layer normalisation over features with neural-tangents' eps added to each variance. */
    public static Layer layerNorm(double eps) {
        return new Layer.LayerNorm(eps);
    }

    /** A dense layer in the standard parameterisation declaring its output width (neural-tangents' out_dim). */
    public static Layer standardDense(double wStd, double bStd, int width) {
        return new Layer.Dense(wStd, bStd, Layer.Parameterization.STANDARD, width);
    }

    /** Dropout in training mode dropping each unit with probability {@code rate} (keep = 1 - rate). */
    public static Layer dropout(double rate) {
        return new Layer.Dropout(rate);
    }

    /** A given activation as a layer. */
    public static Layer activation(Activation activation) {
        return new Layer.Nonlinearity(activation);
    }

    /**
     * The activation of the given name with positional arguments, e.g.
     * {@code activation("LeakyRelu", 0.1)}.
     */
    public static Layer activation(String name, double... args) {
        List<Object> positional = Arrays.stream(args).boxed().map(Object.class::cast).toList();
        return new Layer.Nonlinearity(ActivationRegistry.defaultRegistry().create(name, positional, Map.of()));
    }

    /** {@code Identity}. */
    public static Layer identity() {
        return activation("Identity");
    }

    /** {@code Relu}. */
    public static Layer relu() {
        return activation("Relu");
    }

    /** {@code Erf} with its defaults. */
    public static Layer erf() {
        return activation("Erf");
    }
}
