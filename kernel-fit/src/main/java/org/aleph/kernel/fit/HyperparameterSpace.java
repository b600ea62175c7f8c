package org.aleph.kernel.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;

/**
 * The hyperparameters of an NNGP regression model and their box constraints:
 * <ul>
 *   <li>{@code w_std}, {@code b_std} of every weight layer (Dense and Conv), tied (one pair
 *       shared by all weight layers, as in Lee et al. 2018 and the mean-field theory of
 *       {@code aleph phase}) or per layer ({@code w_std_1, b_std_1, ...} in spec order, the
 *       layers inside Residual, FanOut ... FanIn branches and a Repeat's body included; a
 *       Repeat's body is one set of values for all its copies, as its spec is);</li>
 *   <li>{@code noise}: the variance added to the diagonal, absolute or relative to the mean
 *       diagonal of the scaled kernel (as {@code --diag-reg} is);</li>
 *   <li>{@code scale}: the output variance factor s, prior covariance s K.</li>
 * </ul>
 * The model is {@code y_c ~ N(0, A)} for each target column c, with
 * {@code A = s K(w, b) + c I}, {@code c = noise} (absolute) or {@code noise * s * mean diag K}
 * (relative). A free parameter is optimised as its logarithm within [log lower, log upper]
 * (bounds positive); a parameter that is not free stays at its given value (>= 0, the scale > 0).
 */
public final class HyperparameterSpace {

    /** What a parameter is. */
    public enum Kind {
        /** A Dense or Conv layer's weight standard deviation. */
        W_STD,
        /** A Dense or Conv layer's bias standard deviation. */
        B_STD,
        /** The diagonal noise variance. */
        NOISE,
        /** The output variance factor. */
        SCALE
    }

    /**
     * One hyperparameter.
     *
     * @param name    its name in output ({@code w_std}, {@code b_std_2}, {@code noise}, {@code scale})
     * @param kind    what it is
     * @param layer   the index of its weight layer (Dense or Conv) in spec order, -1 when tied or not a layer parameter
     * @param lower   the lower bound, positive
     * @param upper   the upper bound, at least {@code lower}
     * @param initial the starting value (fixed value when not free), within the bounds
     * @param free    whether it is optimised
     */
    public record Parameter(String name, Kind kind, int layer, double lower, double upper, double initial, boolean free) {
    }

    /** Default bounds of each kind (natural units). */
    static final Map<Kind, double[]> DEFAULT_BOUNDS = Map.of(
            Kind.W_STD, new double[] {0.05, 10},
            Kind.B_STD, new double[] {1e-4, 10},
            Kind.NOISE, new double[] {1e-8, 10},
            Kind.SCALE, new double[] {1e-6, 1e6});

    private final Network template;
    private final boolean tied;
    private final boolean relativeNoise;
    private final List<Parameter> parameters;
    private final int weightLayers;

    private HyperparameterSpace(Network template, boolean tied, boolean relativeNoise, List<Parameter> parameters, int weightLayers) {
        this.template = template;
        this.tied = tied;
        this.relativeNoise = relativeNoise;
        this.parameters = List.copyOf(parameters);
        this.weightLayers = weightLayers;
    }

    /**
     * The space of a network.
     *
     * @param template      the network, any spec the kernel computer takes; its weight layers
     *                      (Dense, Conv) give the starting W_std and b_std (tied: those of the first)
     * @param tied          one (W_std, b_std) for every weight layer, or one pair per layer
     * @param relativeNoise whether the noise is relative to the mean diagonal of s K
     * @param noise         the starting noise
     * @param scale         the starting output scale
     * @param free          the names of the free parameters among {@code w_std, b_std, noise, scale}
     *                      (per layer: {@code w_std} frees every layer's W_std)
     * @param bounds        bounds per name ({@code w_std}, {@code b_std}, {@code noise}, {@code scale}) as
     *                      {lower, upper}; missing names keep the defaults
     * @throws UserErrorException when a bound or start is outside the parameter's domain (positive
     *                            numbers), a lower bound exceeds its upper bound, a name is unknown,
     *                            or W_std or b_std is to be fitted in a network without a weight layer
     */
    public static HyperparameterSpace of(Network template, boolean tied, boolean relativeNoise, double noise, double scale,
                                         Set<String> free, Map<String, double[]> bounds) {
        for (String f : free) {
            kindOf(f, "the parameters to fit");
        }
        for (String b : bounds.keySet()) {
            kindOf(b, "the bounds");
        }
        List<Layer> weights = new ArrayList<>();
        collectWeights(template.layers(), weights);
        if (weights.isEmpty() && (free.contains("w_std") || free.contains("b_std"))) {
            throw new UserErrorException("the network " + template.spec() + " has no Dense or Conv layer, so there is no w_std or b_std to fit");
        }
        List<Parameter> ps = new ArrayList<>();
        if (weights.isEmpty()) {
            // nothing to add: only the noise and the scale can be fitted
        } else if (tied) {
            ps.add(parameter("w_std", Kind.W_STD, -1, wStd(weights.get(0)), free, bounds));
            ps.add(parameter("b_std", Kind.B_STD, -1, bStd(weights.get(0)), free, bounds));
        } else {
            for (int i = 0; i < weights.size(); i++) {
                ps.add(parameter("w_std_" + (i + 1), Kind.W_STD, i, wStd(weights.get(i)), free, bounds));
            }
            for (int i = 0; i < weights.size(); i++) {
                ps.add(parameter("b_std_" + (i + 1), Kind.B_STD, i, bStd(weights.get(i)), free, bounds));
            }
        }
        ps.add(parameter("noise", Kind.NOISE, -1, noise, free, bounds));
        ps.add(parameter("scale", Kind.SCALE, -1, scale, free, bounds));
        if (ps.stream().noneMatch(Parameter::free)) {
            throw new UserErrorException("the parameters to fit are none; choose among w_std, b_std, noise, scale");
        }
        return new HyperparameterSpace(template, tied, relativeNoise, ps, weights.size());
    }

    private static Kind kindOf(String name, String option) {
        return switch (name) {
            case "w_std" -> Kind.W_STD;
            case "b_std" -> Kind.B_STD;
            case "noise" -> Kind.NOISE;
            case "scale" -> Kind.SCALE;
            default -> throw new UserErrorException(option + ": unknown parameter '" + name + "'; the parameters are w_std, b_std, noise, scale");
        };
    }

    private static Parameter parameter(String name, Kind kind, int layer, double start, Set<String> free, Map<String, double[]> bounds) {
        String base = kind.name().toLowerCase(Locale.ROOT);
        double[] b = bounds.getOrDefault(base, DEFAULT_BOUNDS.get(kind));
        if (b.length != 2 || !(b[0] > 0) || !Double.isFinite(b[1]) || !(b[1] >= b[0])) {
            throw new UserErrorException("the bounds " + base + "=" + (b.length > 0 ? b[0] : "") + ":" + (b.length > 1 ? b[1] : "")
                    + ": bounds must be positive finite numbers with lower <= upper (the parameter is fitted on a log scale)");
        }
        boolean isFree = free.contains(base);
        double initial = start;
        if (!Double.isFinite(initial) || initial < 0 || (kind == Kind.SCALE && initial == 0)) {
            throw new UserErrorException(name + " = " + start + " is outside its domain: it must be a finite number "
                    + (kind == Kind.SCALE ? "> 0" : ">= 0"));
        }
        if (isFree && initial == 0) {
            initial = Math.sqrt(b[0] * b[1]); // e.g. b_std = 0 in the spec: a log scale cannot start at 0, start mid-box
        }
        if (isFree) {
            initial = Math.min(b[1], Math.max(b[0], initial));
        }
        return new Parameter(name, kind, layer, b[0], b[1], initial, isFree);
    }

    private static double wStd(Layer l) {
        return l.kind() == Layer.Kind.CONV ? ((Layer.Conv) l).wStd() : ((Layer.Dense) l).wStd();
    }

    private static double bStd(Layer l) {
        return l.kind() == Layer.Kind.CONV ? ((Layer.Conv) l).bStd() : ((Layer.Dense) l).bStd();
    }

    /** The Dense and Conv layers in spec order, nested lists (Residual, FanOut ... FanIn, Repeat) walked in place. */
    private static void collectWeights(List<Layer> layers, List<Layer> out) {
        for (Layer l : layers) {
            switch (l.kind()) { // a switch statement over every kind: the compiler does not check it, the rebuild below does
                case DENSE, CONV -> out.add(l);
                case RESIDUAL, BRANCHES, REPEAT -> l.nested().forEach(branch -> collectWeights(branch, out));
                case NONLINEARITY, LAYER_NORM, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, DROPOUT -> { } // no W_std, b_std
                default -> throw new IllegalStateException("unknown layer kind " + l.kind());
            }
        }
    }

    /** Every parameter, free or not, in order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The free parameters, in order. */
    public List<Parameter> free() {
        return parameters.stream().filter(Parameter::free).toList();
    }

    /** Whether W_std and b_std are shared by all Dense layers. */
    public boolean tied() {
        return tied;
    }

    /** Whether the noise is relative to the mean diagonal of s K. */
    public boolean relativeNoise() {
        return relativeNoise;
    }

    /** The network the space was made from. */
    public Network template() {
        return template;
    }

    /** The full parameter vector (natural units) with the free ones taken from {@code logFree}. */
    public double[] values(double[] logFree) {
        double[] v = new double[parameters.size()];
        int f = 0;
        for (int i = 0; i < v.length; i++) {
            Parameter p = parameters.get(i);
            v[i] = p.free() ? Math.exp(logFree[f++]) : p.initial();
        }
        return v;
    }

    /** The log of the free parameters' starting values. */
    public double[] initialLogFree() {
        return free().stream().mapToDouble(p -> Math.log(p.initial())).toArray();
    }

    /** The log lower bounds of the free parameters. */
    public double[] lowerLog() {
        return free().stream().mapToDouble(p -> Math.log(p.lower())).toArray();
    }

    /** The log upper bounds of the free parameters. */
    public double[] upperLog() {
        return free().stream().mapToDouble(p -> Math.log(p.upper())).toArray();
    }

    /** The value of the parameter of the given kind (tied or the output parameters) in a full vector. */
    public double value(double[] values, Kind kind) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).kind() == kind) {
                return values[i];
            }
        }
        throw new IllegalArgumentException("no parameter of kind " + kind);
    }

    /**
     * The network with the W_std and b_std of a full parameter vector; every other argument of
     * every layer (filter, stride, padding, parameterisation, width, the branches and their join,
     * Repeat's count) is kept.
     */
    public Network network(double[] values) {
        double[] w = new double[weightLayers];
        double[] b = new double[weightLayers];
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (p.kind() == Kind.W_STD || p.kind() == Kind.B_STD) {
                double[] target = p.kind() == Kind.W_STD ? w : b;
                if (p.layer() < 0) {
                    java.util.Arrays.fill(target, values[i]);
                } else {
                    target[p.layer()] = values[i];
                }
            }
        }
        int[] next = {0};
        return new Network(rebuild(template.layers(), w, b, next));
    }

    private static List<Layer> rebuild(List<Layer> layers, double[] w, double[] b, int[] next) {
        List<Layer> out = new ArrayList<>(layers.size());
        for (Layer l : layers) {
            out.add(switch (l.kind()) { // a switch expression: the compiler checks that every kind is named
                case DENSE -> {
                    Layer.Dense d = (Layer.Dense) l;
                    int i = next[0]++;
                    yield new Layer.Dense(w[i], b[i], d.parameterization(), d.width());
                }
                case CONV -> {
                    Layer.Conv c = (Layer.Conv) l;
                    int i = next[0]++;
                    yield new Layer.Conv(w[i], b[i], c.filterH(), c.filterW(), c.strideH(), c.strideW(), c.padding(),
                            c.parameterization(), c.width());
                }
                case RESIDUAL -> new Layer.Residual(rebuild(((Layer.Residual) l).branch(), w, b, next));
                case BRANCHES -> {
                    Layer.Branches br = (Layer.Branches) l;
                    List<List<Layer>> branches = new ArrayList<>();
                    for (List<Layer> branch : br.branches()) {
                        branches.add(rebuild(branch, w, b, next));
                    }
                    yield new Layer.Branches(branches, br.join());
                }
                case REPEAT -> new Layer.Repeat(((Layer.Repeat) l).times(), rebuild(((Layer.Repeat) l).body(), w, b, next));
                case NONLINEARITY, LAYER_NORM, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, DROPOUT -> l;
            });
        }
        return out;
    }
}
