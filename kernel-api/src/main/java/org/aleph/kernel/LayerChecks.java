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
 *       GlobalAvgPool) exactly once, outside any Residual, branch or Repeat, before it ends; Conv
 *       and AvgPool need a spatial input;</li>
 *   <li>streams that share their input are joined only where an exact rule gives their
 *       cross-covariance ({@link BranchRule}): a sum needs every pair to be independent (with
 *       one of the two of zero mean), equal, or identity and one activation of a Gaussian; a
 *       product needs independent streams. The output of a sum is Gaussian when every stream
 *       is; that of a product or a concatenation is not.</li>
 * </ul>
 * The walk is a {@link Layer.Visitor}, so a new layer kind cannot be forgotten here.
 */
final class LayerChecks implements Layer.Visitor<Void> {

    private final ToIntFunction<Layer> column;
    private boolean gaussian;
    /**
     * The mean of the current stream in the limit: zero (after fresh weights, before any
     * activation), known (the fully connected recursion computes it per point: an activation of a
     * centred Gaussian, sums and products of such), or unknown (the raw data, images).
     */
    private enum Mean { ZERO, KNOWN, UNKNOWN }

    private Mean mean = Mean.UNKNOWN;
    /**
     * Whether the current stream has the common width n of the Dense and Conv layers (false for
     * the raw data, a flattened image, a concatenation): FanInConcat's mean of kernels needs equal widths.
     */
    private boolean unitWidth;

    private boolean spatial;
    private int residualDepth;
    private String nestedIn;
    /** What made the current stream non-Gaussian when it was a join (for messages), else null. */
    private String joined;
    private int index;
    private Layer flattenedBy;

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
        gaussian = true;
        joined = null;
        mean = Mean.ZERO;
        unitWidth = true;
        return null;
    }

    @Override
    public Void nonlinearity(Layer.Nonlinearity layer) {
        Activation a = layer.activation();
        boolean identity = a.name().equals("Identity");
        if (!gaussian && !identity) {
            String input = index == 1 ? "the raw data" : joined != null ? joined
                    : flattenedBy != null && !spatial ? "the output of Flatten" : "the output of a nonlinearity";
            throw error(layer, a.name() + " must follow a Dense or Conv layer: the kernel recursion needs Gaussian "
                    + "pre-activations, but its input is " + input + "; insert Dense(...) before it");
        }
        gaussian = identity && gaussian;
        mean = identity ? mean : spatial ? Mean.UNKNOWN : Mean.KNOWN; // per-pixel means are not tracked
        joined = identity ? joined : null;
        return null;
    }

    @Override
    public Void residual(Layer.Residual layer) {
        join(layer, "Residual", layer.asBranches(), "the skip path");
        return null;
    }

    @Override
    public Void branches(Layer.Branches layer) {
        join(layer, layer.join().specName(), layer, null);
        return null;
    }

    @Override
    public Void repeat(Layer.Repeat layer) {
        // The state after the body is a function of the state before it, which takes six values
        // (Gaussian, mean): seven passes meet every state the later copies can see.
        String outer = nestedIn;
        nestedIn = "Repeat";
        residualDepth++;
        for (int i = 0; i < Math.min(layer.times(), 7); i++) {
            walk(layer.body());
        }
        residualDepth--;
        nestedIn = outer;
        return null;
    }

    /** Walks every branch from the shared input and checks that the join has an exact rule. */
    private void join(Layer at, String name, Layer.Branches b, String firstName) {
        boolean g0 = gaussian;
        Mean z0 = mean;
        boolean u0 = unitWidth;
        int n = b.branches().size();
        boolean[] g = new boolean[n];
        Mean[] z = new Mean[n];
        boolean[] u = new boolean[n];
        String outer = nestedIn;
        nestedIn = at.kind() == Layer.Kind.RESIDUAL ? "a Residual" : "a Parallel branch";
        residualDepth++;
        for (int i = 0; i < n; i++) {
            gaussian = g0;
            mean = z0;
            unitWidth = u0;
            walk(b.branches().get(i));
            g[i] = gaussian;
            z[i] = mean;
            u[i] = unitWidth;
        }
        residualDepth--;
        nestedIn = outer;
        BranchRule rule = BranchRule.of(b);
        boolean allGaussian = true;
        boolean allZero = true;
        boolean anyZero = false;
        boolean anyUnknown = false;
        boolean allUnit = true;
        for (int i = 0; i < n; i++) {
            allUnit &= u[i];
            allGaussian &= g[i];
            allZero &= z[i] == Mean.ZERO;
            anyZero |= z[i] == Mean.ZERO;
            anyUnknown |= z[i] == Mean.UNKNOWN;
        }
        if (b.join() == Layer.FanIn.CONCAT) {
            for (int i = 0; i < n; i++) {
                if (!u[i]) {
                    throw error(at, name + ": branch " + (i + 1) + " (" + rule.describe(i) + ") does not end at the common "
                            + "width of the Dense and Conv layers (it carries the raw data, a flattened image or a "
                            + "concatenation), and the mean of the kernels holds only for streams of equal widths; "
                            + "add a Dense or Conv layer to it");
                }
            }
            unitWidth = false; // k n features
            gaussian = false; // features drawn from different kernels: no single E[phi(u)phi(v)] describes them
            mean = allZero ? Mean.ZERO : Mean.UNKNOWN; // features with different means
            joined = "the output of FanInConcat (features from different kernels)";
            return;
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                String pair = (i == 0 && firstName != null ? firstName : "branch " + (i + 1) + " (" + rule.describe(i) + ")")
                        + " and " + (firstName != null ? "the branch" : "branch " + (j + 1) + " (" + rule.describe(j) + ")");
                BranchRule.Relation r = rule.relation(i, j);
                if (b.join() == Layer.FanIn.PROD && r != BranchRule.Relation.INDEPENDENT) {
                    throw error(at, name + ": " + pair + " share their input and are not independent, and the kernel of "
                            + "their product is known only for independent streams; give all but one of them a Dense or Conv layer");
                }
                switch (r) {
                    case NONE -> throw error(at, name + ": " + pair + " share their input and Aleph has no exact rule for "
                            + "their cross-covariance; give one of them a Dense or Conv layer (fresh weights make it independent), "
                            + "make them equal, or make one the identity and the other a single activation");
                    case STEIN -> {
                        if (!g0) {
                            throw error(at, name + ": the cross term of " + pair + " (identity and an activation) needs "
                                    + "a Gaussian shared input, but their input is not the output of a Dense or Conv layer");
                        }
                    }
                    case INDEPENDENT -> {
                        if (b.join() == Layer.FanIn.SUM && z[i] != Mean.ZERO && z[j] != Mean.ZERO) {
                            if (z[i] == Mean.UNKNOWN || z[j] == Mean.UNKNOWN) {
                                throw error(at, name + ": " + pair + " are independent but their cross term is the product "
                                        + "of their means, which Aleph tracks only for activations of Gaussians in fully "
                                        + "connected layers (not the raw data, not per pixel); end one of them in a Dense or Conv layer");
                            }
                        }
                    }
                    case SAME -> { }
                }
            }
        }
        gaussian = b.join() == Layer.FanIn.SUM && allGaussian;
        unitWidth = allUnit;
        mean = b.join() == Layer.FanIn.SUM ? (allZero ? Mean.ZERO : anyUnknown ? Mean.UNKNOWN : Mean.KNOWN)
                : (anyZero ? Mean.ZERO : anyUnknown ? Mean.UNKNOWN : Mean.KNOWN);
        joined = gaussian ? null : "the output of " + name + (b.join() == Layer.FanIn.PROD ? " (a product of Gaussians)"
                : " of streams that are not all Gaussian");
    }

    @Override
    public Void layerNorm(Layer.LayerNorm layer) {
        return null; // divides by a deterministic scale in the limit: Gaussian stays Gaussian
    }

    @Override
    public Void conv(Layer.Conv layer) {
        needSpatial(layer);
        gaussian = true;
        joined = null;
        mean = Mean.ZERO;
        unitWidth = true;
        return null;
    }

    @Override
    public Void avgPool(Layer.AvgPool layer) {
        needSpatial(layer);
        mean = mean == Mean.ZERO ? Mean.ZERO : Mean.UNKNOWN;
        return null; // an average of jointly Gaussian pre-activations is Gaussian
    }

    @Override
    public Void globalAvgPool(Layer.GlobalAvgPool layer) {
        reduce(layer);
        mean = mean == Mean.ZERO ? Mean.ZERO : Mean.UNKNOWN;
        return null; // the mean over pixels of a Gaussian field is Gaussian, independently per channel
    }

    @Override
    public Void flatten(Layer.Flatten layer) {
        reduce(layer);
        unitWidth = false; // H W n features
        mean = mean == Mean.ZERO ? Mean.ZERO : Mean.UNKNOWN;
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
            throw error(layer, name + " cannot be inside " + nestedIn + ": a network reduces the image once, "
                    + "at its top level, and branches must keep the shape of their input");
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
