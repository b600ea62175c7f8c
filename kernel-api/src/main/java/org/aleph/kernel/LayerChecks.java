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
 *       is; that of a product or a concatenation is not. A stream that leaves Dropout without
 *       fresh weights after it is refused in a sum or product with other streams (its masks make it
 *       neither equal to nor independent of them);</li>
 *   <li>Dropout needs an input that went through weights on every path (neural-tangents refuses
 *       it on the input layer: over d fixed features its masks do not average out), and its
 *       output is not Gaussian;</li>
 *   <li>a Dense or Conv layer in the standard parameterisation needs the declared width of its
 *       input (its NTK is {@code N_in K + W_std^2 T + 1}): the data's, or the {@code width} of
 *       the Dense or Conv layer before it; a sum or product of streams has their common declared
 *       width (declared widths that differ are refused there), a concatenation the sum of its
 *       branches' widths, an empty branch its input's.</li>
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
    /** Whether every path to the current layer went through a Dense or Conv layer. */
    private boolean weighted;
    private boolean afterDropout;

    /**
     * The declared width of the current features: a number of features or channels ({@code n > 0}),
     * the data's ({@code n = DATA}: known once the data are read, times H W after Flatten), or not
     * declared ({@code why} says where it was lost, for the message).
     */
    private record Width(long n, String why) {
        static final long DATA = -1;
        static final Width OF_DATA = new Width(DATA, null);
        static final Width UNDECLARED = new Width(0, "");

        boolean known() {
            return why == null;
        }
    }

    private Width width = Width.OF_DATA;

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

    private void weights(Layer layer, Layer.Parameterization parameterization, int declared) {
        if (parameterization == Layer.Parameterization.STANDARD && !width.known()) {
            throw error(layer, layer.spec() + ": in the standard parameterisation the NTK reads the width of the layer's "
                    + "input (N_in K + W_std^2 T + 1), which is not declared" + width.why() + "; give the Dense or Conv layer "
                    + "before it width=N (neural-tangents' out_dim)");
        }
        gaussian = true;
        joined = null;
        mean = Mean.ZERO;
        unitWidth = true;
        weighted = true;
        afterDropout = false;
        width = declared > 0 ? new Width(declared, null) : Width.UNDECLARED;
    }

    @Override
    public Void dropout(Layer.Dropout layer) {
        if (!weighted) {
            throw error(layer, layer.spec() + " cannot act on the input data (as in neural-tangents): over the d fixed input "
                    + "features its masks do not average out; put it after a Dense or Conv layer");
        }
        gaussian = false;
        afterDropout = true;
        joined = null;
        return null; // the mean is kept: E[mask] / keep = 1
    }

    @Override
    public Void nonlinearity(Layer.Nonlinearity layer) {
        Activation a = layer.activation();
        boolean identity = a.name().equals("Identity");
        if (!gaussian && !identity) {
            String input = index == 1 ? "the raw data" : afterDropout ? "the output of Dropout" : joined != null ? joined
                    : flattenedBy != null && !spatial ? "the output of Flatten" : "the output of a nonlinearity";
            throw error(layer, a.name() + " must follow a Dense or Conv layer: the kernel recursion needs Gaussian "
                    + "pre-activations, but its input is " + input + "; insert Dense(...) before it");
        }
        gaussian = identity && gaussian;
        mean = identity ? mean : spatial ? Mean.UNKNOWN : Mean.KNOWN; // per-pixel means are not tracked
        joined = identity ? joined : null;
        afterDropout = identity && afterDropout;
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
        boolean[] u = new boolean[b.branches().size()];
        boolean weighted0 = weighted;
        boolean dropped0 = afterDropout;
        String joined0 = joined;
        Width width0 = width;
        int n = b.branches().size();
        boolean[] g = new boolean[n];
        Mean[] z = new Mean[n];
        Width[] widths = new Width[n];
        boolean allWeighted = true;
        String outer = nestedIn;
        nestedIn = at.kind() == Layer.Kind.RESIDUAL ? "a Residual" : "a Parallel branch";
        residualDepth++;
        for (int i = 0; i < n; i++) {
            gaussian = g0;
            mean = z0;
            unitWidth = u0;
            weighted = weighted0;
            afterDropout = dropped0;
            joined = joined0;
            width = width0;
            walk(b.branches().get(i));
            g[i] = gaussian;
            z[i] = mean;
            widths[i] = width;
            u[i] = unitWidth;
            allWeighted &= weighted;
        }
        weighted = allWeighted;
        afterDropout = false;
        width = joinedWidth(at, name, b.join(), widths);
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
            boolean equalDeclared = true; // the same declared width on every branch (e.g. identities of one stream)
            for (int i = 0; i < n; i++) {
                equalDeclared &= widths[i].known() && widths[i].n() == widths[0].n();
            }
            for (int i = 0; i < n && !equalDeclared; i++) {
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
                    case NONE -> {
                        if (rule.dropoutAtTop(i) || rule.dropoutAtTop(j)) {
                            throw error(at, name + ": " + pair + " share their input and one of them leaves Dropout without "
                                    + "fresh weights after it; its masks make that stream neither equal to nor independent of "
                                    + "the other, and Aleph has no exact rule for their cross-covariance; put a Dense or Conv "
                                    + "layer after the Dropout in its branch (fresh weights make it independent), or move the "
                                    + "Dropout before the FanOut or after the join");
                        }
                        throw error(at, name + ": " + pair + " share their input and Aleph has no exact rule for "
                                + "their cross-covariance; give one of them a Dense or Conv layer (fresh weights make it independent), "
                                + "make them equal, or make one the identity and the other a single activation");
                    }
                    case STEIN -> {
                        if (!g0) {
                            throw error(at, name + ": the cross term of " + pair + " (identity and an activation) needs "
                                    + "a Gaussian shared input, but their input is " + (dropped0 ? "the output of Dropout" : "not the output of a Dense or Conv layer"));
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

    /**
     * The declared width after a join: a sum or product has the common width of its streams (an
     * undeclared stream takes the declared one; the data's width is checked against a declared one
     * when the data are read), a concatenation the sum of its branches' widths.
     */
    private Width joinedWidth(Layer at, String name, Layer.FanIn join, Width[] widths) {
        String where = " (the streams joined by " + name + " at column " + Math.max(column.applyAsInt(at), 1);
        if (join == Layer.FanIn.CONCAT) {
            long sum = 0;
            for (int i = 0; i < widths.length; i++) {
                if (!widths[i].known()) {
                    return new Width(0, where + ": branch " + (i + 1) + " has no declared width, so their concatenation has none)");
                }
                if (widths[i].n() == Width.DATA || sum == Width.DATA) {
                    sum = Width.DATA; // known once the data are read
                } else {
                    sum += widths[i].n();
                }
            }
            return new Width(sum, null);
        }
        Width common = null;
        for (Width w : widths) {
            if (!w.known()) {
                continue;
            }
            if (common == null || common.n() == Width.DATA) {
                common = w;
            } else if (w.n() != Width.DATA && w.n() != common.n()) {
                return new Width(0, where + " have different declared widths, " + common.n() + " and " + w.n() + ")");
            }
        }
        return common != null ? common : new Width(0, where + " have no declared width)");
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
