package org.aleph.kernel;

import java.util.List;
import java.util.Objects;
import org.aleph.kernel.spi.Activation;

/**
 * One layer of a network, as the kernel recursion sees it. Layers are immutable values; a
 * {@link Network} is a serial composition of them.
 *
 * <p>Fully connected layers ({@link Dense}, {@link Nonlinearity}, {@link Residual},
 * {@link LayerNorm}, {@link Dropout}) and the combinators ({@link Branches}: FanOut, Parallel and a
 * fan-in; {@link Repeat}) act on a flat kernel and, per pixel, on a spatial one; convolutional
 * layers ({@link Conv}, {@link AvgPool}) act on spatial kernels only; {@link Flatten} and
 * {@link GlobalAvgPool} turn a spatial kernel into a flat one (DESIGN.md, "Convolutional
 * networks"; Novak et al. 2019, Arora et al. 2019).
 *
 * <p>Every operation over layers dispatches through {@link Visitor}, so that adding a layer
 * kind is a compile error in every place that must handle it (docs/layers.md).
 */
public sealed interface Layer {

    /** The layer as written in a spec. */
    String spec();

    /** Calls the visitor's method for this layer's kind. */
    <R> R accept(Visitor<R> visitor);

    /**
     * This layer's kind, for {@code switch} expressions, which the compiler checks to cover every
     * kind (a quick query such as "is the last layer Dense?" without a visitor).
     */
    Kind kind();

    /**
     * The serial lists of layers nested in this one, for walks over a whole spec: a Residual's
     * branch, the branches of FanOut ... FanIn, a Repeat's body (once); none for the others.
     */
    default List<List<Layer>> nested() {
        return List.of();
    }

    /** The layer kinds, one per record. */
    enum Kind { DENSE, NONLINEARITY, RESIDUAL, LAYER_NORM, CONV, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, BRANCHES, REPEAT, DROPOUT }

    /**
     * One method per layer kind: an operation over layers implements all of them, so the
     * compiler checks that no kind is forgotten.
     *
     * @param <R> what the operation returns per layer
     */
    interface Visitor<R> {
        R dense(Dense layer);

        R nonlinearity(Nonlinearity layer);

        R residual(Residual layer);

        R layerNorm(LayerNorm layer);

        R conv(Conv layer);

        R avgPool(AvgPool layer);

        R globalAvgPool(GlobalAvgPool layer);

        R flatten(Flatten layer);

        R branches(Branches layer);

        R repeat(Repeat layer);

        R dropout(Dropout layer);
    }

    /**
     * How a Dense or Conv layer scales its weights (neural-tangents' {@code parameterization},
     * docs/parameterization.md). Both give the same NNGP; the NTK differs.
     * <ul>
     *   <li>{@code NTK} (Jacot et al. 2018): {@code z = W_std / sqrt(fan_in) * W y + b_std * b},
     *       W, b standard normal and trained: {@code T <- K_new + W_std^2 T}.</li>
     *   <li>{@code STANDARD} (Sohl-Dickstein et al. 2020, "On the infinite width limit of neural
     *       networks with a standard parameterization"): {@code W ~ N(0, W_std^2 / N_in)},
     *       {@code b ~ N(0, b_std^2)} trained directly, with N_in the declared width of the
     *       layer's input (the widths are {@code s} times the declared ones and s goes to
     *       infinity): {@code T <- N_in K + W_std^2 T + [b_std > 0]}, N_in the input's declared
     *       features (times kh kw for a Conv, whose K term is the window sum without division).</li>
     * </ul>
     */
    enum Parameterization {
        NTK, STANDARD;

        /** The word a spec uses: {@code ntk} or {@code standard}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Dense layer (neural-tangents {@code stax.Dense}). In the NTK parameterisation (Jacot et al.
     * 2018), {@code z = W_std * W y / sqrt(fan_in) + b_std * b} with W, b standard normal;
     * kernel map {@code K <- W_std^2 K + b_std^2}, {@code T <- K_new + W_std^2 T}. In the
     * standard parameterisation (Sohl-Dickstein et al. 2020) the NNGP map is the same and
     * {@code T <- N_in K + W_std^2 T + 1} (the 1 only with a bias, b_std &gt; 0), N_in the
     * declared width of the input: the data's features for the first layer, else the
     * {@code width} of the Dense or Conv before (times H W after Flatten); see
     * {@link Parameterization}.
     *
     * @param wStd             weight standard deviation, finite and non-negative
     * @param bStd             bias standard deviation, finite and non-negative (0: no bias)
     * @param parameterization NTK or STANDARD, never null
     * @param width            the declared output width (neural-tangents' {@code out_dim}),
     *                         which a later standard-parameterised layer's NTK reads; 0 when
     *                         not declared
     */
    record Dense(double wStd, double bStd, Parameterization parameterization, int width) implements Layer {
        public Dense {
            standardDeviations(wStd, bStd);
            Objects.requireNonNull(parameterization, "parameterization");
            declaredWidth(width);
        }

        /** A Dense layer in the NTK parameterisation without a declared width. */
        public Dense(double wStd, double bStd) {
            this(wStd, bStd, Parameterization.NTK, 0);
        }

        @Override
        public String spec() {
            return "Dense(" + fmt(wStd) + ", " + fmt(bStd) + options(parameterization, width) + ")";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dense(this);
        }

        @Override
        public Kind kind() {
            return Kind.DENSE;
        }
    }

    /**
     * A pointwise nonlinearity: {@code K <- E[phi(u)phi(v)]}, {@code T <- T E[phi'(u)phi'(v)]}.
     *
     * @param activation the nonlinearity, never null
     */
    record Nonlinearity(Activation activation) implements Layer {
        public Nonlinearity {
            Objects.requireNonNull(activation, "activation");
        }

        @Override
        public String spec() {
            return activation.name();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.nonlinearity(this);
        }

        @Override
        public Kind kind() {
            return Kind.NONLINEARITY;
        }
    }

    /**
     * {@code x + f(x)}, shorthand for {@code FanOut(2) Parallel(Identity; f) FanInSum} and computed
     * by the same rule as {@link Branches}: {@code K <- K + K_f + cross terms}, the cross terms
     * between the skip path and the branch exact where a rule exists (zero when f contains fresh
     * weights, Stein's lemma when f is one activation; docs/layers.md). {@link LayerChecks} refuses
     * a branch for which no exact rule exists.
     *
     * @param branch the layers of f, non-empty
     */
    record Residual(List<Layer> branch) implements Layer {
        public Residual {
            branch = List.copyOf(branch);
            if (branch.isEmpty()) {
                throw new IllegalArgumentException("a Residual branch needs at least one layer");
            }
        }

        /** The same network as FanOut(2) Parallel(Identity; f) FanInSum, with an empty skip path. */
        public Branches asBranches() {
            return new Branches(List.of(List.of(), branch), FanIn.SUM);
        }

        @Override
        public String spec() {
            StringBuilder b = new StringBuilder("Residual(");
            for (int i = 0; i < branch.size(); i++) {
                b.append(i == 0 ? "" : " ").append(branch.get(i).spec());
            }
            return b.append(')').toString();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.residual(this);
        }

        @Override
        public Kind kind() {
            return Kind.RESIDUAL;
        }

        @Override
        public List<List<Layer>> nested() {
            return List.of(branch);
        }
    }

    /**
     * Layer normalisation over the features of a fully connected layer, with neural-tangents'
     * epsilon ({@code stax.LayerNorm(eps)}: {@code y = (x - mean) / sqrt(eps + var)}):
     * {@code K(x,x') <- K(x,x') / sqrt((eps + K(x,x)) (eps + K(x',x')))}, T scaled the same way,
     * so the variance becomes {@code K(x,x) / (eps + K(x,x))}. On a spatial kernel it
     * normalises each pixel over its channels (neural-tangents' default {@code axis=-1}):
     * {@code S[p,p'] <- S[p,p'] / sqrt((eps + S_aa[p,p]) (eps + S_bb[p',p']))}. With eps = 0
     * (Aleph's default; neural-tangents' is 1e-12) an input of zero variance is left unchanged
     * (its normalisation is undefined).
     *
     * @param eps added to each variance, finite and non-negative
     */
    record LayerNorm(double eps) implements Layer {
        public LayerNorm {
            if (!Double.isFinite(eps) || eps < 0) {
                throw new IllegalArgumentException("eps must be finite and non-negative, got " + eps);
            }
        }

        /** LayerNorm with eps = 0. */
        public LayerNorm() {
            this(0.0);
        }

        @Override
        public String spec() {
            return eps == 0 ? "LayerNorm" : "LayerNorm(eps=" + fmt(eps) + ")";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.layerNorm(this);
        }

        @Override
        public Kind kind() {
            return Kind.LAYER_NORM;
        }
    }

    /**
     * How a window treats the border of an image (neural-tangents' {@code Padding}).
     * {@code SAME} keeps {@code ceil(L / s)} outputs and pads with zeros, the extra padding at
     * the end when it is odd; {@code CIRCULAR} has the same outputs but wraps positions modulo
     * L; {@code VALID} keeps only windows inside the image, {@code (L - k) / s + 1} outputs.
     */
    enum Padding {
        SAME, VALID, CIRCULAR;

        /** The number of outputs along an axis of length {@code length} (may be below 1 for VALID). */
        public int outputSize(int length, int window, int stride) {
            return this == VALID ? Math.floorDiv(length - window, stride) + 1 : (length + stride - 1) / stride;
        }

        /** The padding before the first position: window position d of output o reads input o s + d - low. */
        public int low(int length, int window, int stride) {
            if (this == VALID) {
                return 0;
            }
            int out = outputSize(length, window, stride);
            return Math.max((out - 1) * stride + window - length, 0) / 2;
        }
    }

    /**
     * 2-D convolution over NHWC images in the NTK parameterisation (neural-tangents
     * {@code stax.Conv}): {@code z = W_std / sqrt(C_in kh kw) * conv(W, y) + b_std * b} with W,
     * b standard normal. Kernel map (Novak et al. 2019, eq. 7; Arora et al. 2019):
     * {@code S'[p,p'] = W_std^2 / (kh kw) * sum_d S[p s + d - lo, p' s + d - lo] + b_std^2},
     * {@code T'[p,p'] = S'[p,p'] + W_std^2 / (kh kw) * sum_d T[...]}, the sum over the window
     * offsets d, positions outside the image contributing 0 (SAME) or wrapping (CIRCULAR).
     *
     * @param wStd    weight standard deviation, finite and non-negative
     * @param bStd    bias standard deviation, finite and non-negative
     * @param filterH filter height, at least 1
     * @param filterW filter width, at least 1
     * @param strideH vertical stride, at least 1
     * @param strideW horizontal stride, at least 1
     * @param padding border handling, never null
     * @param parameterization NTK or STANDARD ({@link Parameterization}; standard:
     *                {@code T' = C_in kh kw * (1/(kh kw)) sum_d S[...] + W_std^2/(kh kw) sum_d T[...] + [b_std > 0]},
     *                C_in the input's declared channels), never null
     * @param width   the declared output channels (neural-tangents' {@code out_chan}), 0 when not declared
     */
    record Conv(double wStd, double bStd, int filterH, int filterW, int strideH, int strideW, Padding padding,
                Parameterization parameterization, int width) implements Layer {
        public Conv {
            standardDeviations(wStd, bStd);
            positive("filter", filterH, filterW);
            positive("stride", strideH, strideW);
            Objects.requireNonNull(padding, "padding");
            Objects.requireNonNull(parameterization, "parameterization");
            declaredWidth(width);
        }

        /** A Conv layer in the NTK parameterisation without a declared width. */
        public Conv(double wStd, double bStd, int filterH, int filterW, int strideH, int strideW, Padding padding) {
            this(wStd, bStd, filterH, filterW, strideH, strideW, padding, Parameterization.NTK, 0);
        }

        @Override
        public String spec() {
            return "Conv(" + fmt(wStd) + ", " + fmt(bStd) + ", filter=" + dims(filterH, filterW)
                    + ", stride=" + dims(strideH, strideW) + ", padding=" + padding + options(parameterization, width) + ")";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.conv(this);
        }

        @Override
        public Kind kind() {
            return Kind.CONV;
        }
    }

    /**
     * Average pooling over windows of {@code windowH x windowW} pixels (neural-tangents
     * {@code stax.AvgPool}, but with the stride defaulting to the window as in PyTorch):
     * {@code S'[p,p'] = 1 / (wh ww)^2 * sum over q in window(p), q' in window(p') of S[q,q']},
     * both kernels; SAME pads with zeros and still divides by the full window.
     *
     * @param windowH window height, at least 1
     * @param windowW window width, at least 1
     * @param strideH vertical stride, at least 1
     * @param strideW horizontal stride, at least 1
     * @param padding border handling, never null
     */
    record AvgPool(int windowH, int windowW, int strideH, int strideW, Padding padding) implements Layer {
        public AvgPool {
            positive("window", windowH, windowW);
            positive("stride", strideH, strideW);
            Objects.requireNonNull(padding, "padding");
        }

        @Override
        public String spec() {
            return "AvgPool(window=" + dims(windowH, windowW) + ", stride=" + dims(strideH, strideW)
                    + ", padding=" + padding + ")";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.avgPool(this);
        }

        @Override
        public Kind kind() {
            return Kind.AVG_POOL;
        }
    }

    /**
     * Global average pooling: the mean over all pixels, per channel. The kernel becomes flat:
     * {@code K = mean over (p, p') of S[p, p']}, the same for T (Novak et al. 2019, eq. 11).
     */
    record GlobalAvgPool() implements Layer {
        @Override
        public String spec() {
            return "GlobalAvgPool";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.globalAvgPool(this);
        }

        @Override
        public Kind kind() {
            return Kind.GLOBAL_AVG_POOL;
        }
    }

    /**
     * Flattening an image into one vector of H W C features. The kernel becomes flat:
     * {@code K = mean over p of S[p, p]} (only the diagonal: a Dense layer after it has fan-in
     * H W C and sums over pixels with independent weights; Novak et al. 2019, eq. 10). Its
     * output is not Gaussian-distributed per feature in the sense the recursion needs, so an
     * activation may not follow it directly.
     */
    record Flatten() implements Layer {
        @Override
        public String spec() {
            return "Flatten";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.flatten(this);
        }

        @Override
        public Kind kind() {
            return Kind.FLATTEN;
        }
    }

    /** How {@link Branches} joins its streams (neural-tangents' {@code FanInSum}, {@code FanInProd}, {@code FanInConcat}). */
    enum FanIn {
        /** The sum of the streams. */
        SUM("FanInSum"),
        /** The entry-wise product of the streams. */
        PROD("FanInProd"),
        /** The concatenation of the streams over features (channels on images). */
        CONCAT("FanInConcat");

        private final String specName;

        FanIn(String specName) {
            this.specName = specName;
        }

        /** The name in a spec. */
        public String specName() {
            return specName;
        }
    }

    /**
     * {@code FanOut(k) Parallel(f_1; ...; f_k) FanInX}: the input goes to k branches (each a
     * serial list of layers, possibly empty: the stream passes unchanged) whose outputs are joined
     * (neural-tangents' {@code stax.FanOut}, {@code stax.parallel}, {@code stax.FanInSum},
     * {@code FanInProd}, {@code FanInConcat}). Kernel maps (docs/layers.md; Yang 2019, Novak et al.
     * 2020): sum {@code K = sum_ij K_ij} over the streams' NNGPs and cross-covariances, the same
     * for T with the cross-NTKs; product of independent streams {@code K = prod K_i},
     * {@code T = sum_i T_i prod_(j != i) K_j}; concatenation {@code K = mean K_i}, {@code T = mean T_i}
     * (equal widths). The cross terms are exact where a rule exists ({@link BranchRule});
     * {@link LayerChecks} refuses the rest.
     *
     * @param branches the branches, at least 2
     * @param join     how the streams are joined, never null
     */
    record Branches(List<List<Layer>> branches, FanIn join) implements Layer {
        public Branches {
            branches = branches.stream().map(List::copyOf).toList();
            Objects.requireNonNull(join, "join");
            if (branches.size() < 2) {
                throw new IllegalArgumentException("FanOut needs at least 2 branches, got " + branches.size());
            }
        }

        @Override
        public String spec() {
            StringBuilder b = new StringBuilder("FanOut(").append(branches.size()).append(')');
            if (branches.stream().anyMatch(l -> !l.isEmpty())) {
                b.append(" Parallel(");
                for (int i = 0; i < branches.size(); i++) {
                    b.append(i == 0 ? "" : "; ").append(serial(branches.get(i)));
                }
                b.append(')');
            }
            return b.append(' ').append(join.specName()).toString();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.branches(this);
        }

        @Override
        public Kind kind() {
            return Kind.BRANCHES;
        }

        @Override
        public List<List<Layer>> nested() {
            return branches;
        }
    }

    /**
     * {@code Repeat(n, f)}: the serial list f applied n times, each copy with its own weights, i.e.
     * exactly the spec {@code f f ... f} (neural-tangents' {@code stax.repeat} with fresh
     * parameters per copy as {@code stax.serial(*[f] * n)}).
     *
     * @param times how many copies, 1 to {@link #MAX_TIMES}
     * @param body  the layers of f, non-empty
     */
    record Repeat(int times, List<Layer> body) implements Layer {
        /** The most copies a Repeat may hold (the recursion runs every copy). */
        public static final int MAX_TIMES = 100_000;

        public Repeat {
            body = List.copyOf(body);
            if (times < 1 || times > MAX_TIMES) {
                throw new IllegalArgumentException("Repeat needs a count from 1 to " + MAX_TIMES + ", got " + times);
            }
            if (body.isEmpty()) {
                throw new IllegalArgumentException("Repeat needs at least one layer to repeat");
            }
        }

        /** The body written out {@code times} times. */
        public List<Layer> unrolled() {
            List<Layer> out = new java.util.ArrayList<>(times * body.size());
            for (int i = 0; i < times; i++) {
                out.addAll(body);
            }
            return out;
        }

        @Override
        public String spec() {
            return "Repeat(" + times + ", " + serial(body) + ")";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.repeat(this);
        }

        @Override
        public Kind kind() {
            return Kind.REPEAT;
        }

        @Override
        public List<List<Layer>> nested() {
            return List.of(body);
        }
    }

    /** The layers' specs separated by spaces. */
    private static String serial(List<Layer> layers) {
        StringBuilder b = new StringBuilder();
        for (Layer l : layers) {
            b.append(b.length() == 0 ? "" : " ").append(l.spec());
        }
        return b.toString();
    }

    /**
     * Dropout in training mode (neural-tangents {@code stax.Dropout(keep, mode='train')} with
     * {@code keep = 1 - rate}): each unit (each pixel and channel of an image) is kept with
     * probability keep and scaled by 1/keep, a fresh mask per input. Kernel map: the entries of
     * an input with itself (its variance, and on images the same-pixel entries
     * {@code S[p, p]} of an image with itself) are multiplied by 1/keep, both kernels; entries
     * between different inputs, or different pixels, are unchanged. Its output is not Gaussian,
     * so an activation may not follow it directly, and it may not be the first layer.
     *
     * @param rate the probability of dropping a unit, in [0, 1)
     */
    record Dropout(double rate) implements Layer {
        public Dropout {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("rate is the probability of dropping a unit and must lie in [0, 1), got "
                        + rate);
            }
        }

        /** The probability of keeping a unit, 1 - rate (neural-tangents' {@code rate}). */
        public double keep() {
            return 1 - rate;
        }

        @Override
        public String spec() {
            return "Dropout(" + fmt(rate) + ")";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropout(this);
        }

        @Override
        public Kind kind() {
            return Kind.DROPOUT;
        }
    }

    private static void declaredWidth(int width) {
        if (width < 0) {
            throw new IllegalArgumentException("width must be a positive whole number (or 0 for none), got " + width);
        }
    }

    private static String options(Parameterization parameterization, int width) {
        return (parameterization == Parameterization.NTK ? "" : ", parameterization=" + parameterization.word())
                + (width == 0 ? "" : ", width=" + width);
    }

    private static void standardDeviations(double wStd, double bStd) {
        if (!Double.isFinite(wStd) || wStd < 0) {
            throw new IllegalArgumentException("W_std must be finite and non-negative, got " + wStd);
        }
        if (!Double.isFinite(bStd) || bStd < 0) {
            throw new IllegalArgumentException("b_std must be finite and non-negative, got " + bStd);
        }
    }

    private static void positive(String what, int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(what + " must be at least 1 in each direction, got " + dims(h, w));
        }
    }

    private static String dims(int h, int w) {
        return h == w ? Integer.toString(h) : h + "x" + w;
    }

    private static String fmt(double x) {
        return org.aleph.kernel.spi.Arguments.formatNumber(x);
    }
}
