package org.aleph.kernel;

import java.util.ArrayList;
import java.util.List;
import org.aleph.kernel.spi.Activation;

/**
 * How the streams of a {@link Layer.Branches} layer are correlated, decided from the layers alone
 * (the numbers come later, in {@link TileRecursion} and {@link SpatialPlan}). Streams that share
 * their input are correlated unless one of them passes through fresh weights. For each pair of
 * branches (i, j) the rule is one of (docs/layers.md):
 * <ul>
 *   <li>{@link Relation#INDEPENDENT}: one branch holds a Dense or Conv layer at its top level
 *       (fresh zero-mean weights; Yang 2019, "Tensor Programs I"): the cross-covariance is
 *       {@code E[s_i(x)] E[s_j(x')]} (zero when either stream has zero mean; the recursion tracks the
 *       means of activations of centred Gaussians per point), and the cross-NTK is 0;</li>
 *   <li>{@link Relation#SAME}: both branches are the same parameter-free layers (Identity
 *       ignored): the streams are equal, cross-covariance {@code K_i}, cross-NTK {@code T_i};</li>
 *   <li>{@link Relation#STEIN}: one branch is the identity of a centred Gaussian g, the other a
 *       single activation phi(g): {@code E[g(x) phi(g(x'))] = K(x,x') E[v phi(v)] / q(x')} with
 *       {@code v ~ N(0, q(x'))} (Stein's lemma, {@code = K E[phi'(v)]} for a.e.-differentiable phi;
 *       the form with {@code v phi(v)} holds for any phi), cross-NTK {@code T(x,x') E[phi'(v)]};</li>
 *   <li>{@link Relation#NONE}: no exact rule; {@link LayerChecks} refuses a sum or product over such a pair.
 *       A branch that leaves Dropout without fresh weights after it falls here (its masks, drawn per
 *       branch, make it neither equal to nor independent of the others).</li>
 * </ul>
 */
final class BranchRule {

    /** The correlation rule of one pair of streams. */
    enum Relation { INDEPENDENT, SAME, STEIN, NONE }

    final Layer.Branches layer;
    private final Relation[][] relation;
    private final Activation[][] steinActivation;

    private BranchRule(Layer.Branches layer) {
        this.layer = layer;
        int n = layer.branches().size();
        relation = new Relation[n][n];
        steinActivation = new Activation[n][n];
        List<List<Layer>> paths = new ArrayList<>();
        for (List<Layer> b : layer.branches()) {
            paths.add(withoutIdentity(b));
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    relation[i][j] = relate(paths.get(i), paths.get(j), i, j);
                }
            }
        }
    }

    /** The rule for the given layer. */
    static BranchRule of(Layer.Branches layer) {
        return new BranchRule(layer);
    }

    /** The rule of branches i and j (i != j). */
    Relation relation(int i, int j) {
        return relation[i][j];
    }

    /**
     * The factor of branch i's own kernels in a sum: 1 plus 2 for every later branch equal to it
     * ({@code sum_ij K_ij} with {@code K_ij = K_i} for equal streams).
     */
    double sumWeight(int i) {
        int w = 1;
        for (int j = i + 1; j < relation.length; j++) {
            if (relation[i][j] == Relation.SAME) {
                w += 2;
            }
        }
        return w;
    }

    /** The activations of the Stein pairs of a sum, one entry per unordered pair. */
    List<Activation> steinTerms() {
        List<Activation> out = new ArrayList<>();
        for (int i = 0; i < relation.length; i++) {
            for (int j = i + 1; j < relation.length; j++) {
                if (relation[i][j] == Relation.STEIN) {
                    out.add(steinActivation[i][j]);
                }
            }
        }
        return out;
    }

    /** A branch for messages: its spec, or Identity when it is empty. */
    String describe(int i) {
        List<Layer> b = layer.branches().get(i);
        return b.isEmpty() ? "Identity" : specOf(b);
    }

    private Relation relate(List<Layer> a, List<Layer> b, int i, int j) {
        if (fresh(a) || fresh(b)) {
            return Relation.INDEPENDENT;
        }
        if (parameterFree(a) && parameterFree(b) && specOf(a).equals(specOf(b))) {
            return Relation.SAME;
        }
        if (a.isEmpty() && single(b) != null) {
            steinActivation[i][j] = single(b);
            return Relation.STEIN;
        }
        if (b.isEmpty() && single(a) != null) {
            steinActivation[i][j] = single(a);
            return Relation.STEIN;
        }
        return Relation.NONE;
    }

    private static Activation single(List<Layer> path) {
        return path.size() == 1 && path.get(0).kind() == Layer.Kind.NONLINEARITY ? ((Layer.Nonlinearity) path.get(0)).activation() : null;
    }

    /** Whether a branch makes its stream independent of every other: a top-level layer with fresh weights. */
    static boolean fresh(List<Layer> layers) {
        for (Layer l : layers) {
            boolean f = switch (l.kind()) { // a switch expression: the compiler checks that every kind is named
                case DENSE, CONV -> true;
                case BRANCHES -> ((Layer.Branches) l).branches().stream().allMatch(BranchRule::fresh);
                case REPEAT -> fresh(((Layer.Repeat) l).body());
                case NONLINEARITY, RESIDUAL, LAYER_NORM, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN, DROPOUT -> false;
            };
            if (f) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the branch's stream certainly has zero mean: its last layer, Identity and LayerNorm
     * aside, is a Dense or Conv layer (an over-cautious test, for deciding whether means are tracked).
     */
    static boolean endsInWeights(List<Layer> layers) {
        List<Layer> path = withoutIdentity(layers);
        for (int i = path.size() - 1; i >= 0; i--) {
            Layer.Kind k = path.get(i).kind();
            if (k != Layer.Kind.LAYER_NORM && k != Layer.Kind.DROPOUT) { // both keep a zero mean
                return k == Layer.Kind.DENSE || k == Layer.Kind.CONV;
            }
        }
        return false;
    }

    /** Whether a sum over these branches may add a product of two nonzero means (an independent pair, neither ending in weights). */
    boolean mayNeedMeans() {
        if (layer.join() != Layer.FanIn.SUM) {
            return false;
        }
        for (int i = 0; i < relation.length; i++) {
            for (int j = i + 1; j < relation.length; j++) {
                if (relation[i][j] == Relation.INDEPENDENT && !endsInWeights(layer.branches().get(i))
                        && !endsInWeights(layer.branches().get(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether branch i holds a Dropout that no fresh weights follow at its top level (its masks make
     * the stream neither equal to nor independent of the others; no exact rule covers it).
     */
    boolean dropoutAtTop(int i) {
        boolean open = false;
        for (Layer l : layer.branches().get(i)) {
            switch (l.kind()) {
                case DROPOUT -> open |= ((Layer.Dropout) l).rate() > 0;
                case DENSE, CONV -> open = false;
                case BRANCHES -> open |= ((Layer.Branches) l).branches().stream().anyMatch(BranchRule::containsDropout);
                case REPEAT -> open |= containsDropout(((Layer.Repeat) l).body());
                case RESIDUAL -> open |= containsDropout(((Layer.Residual) l).branch());
                case NONLINEARITY, LAYER_NORM, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN -> { }
            }
        }
        return open;
    }

    private static boolean containsDropout(List<Layer> layers) {
        for (Layer l : layers) {
            boolean d = switch (l.kind()) {
                case DROPOUT -> true;
                case BRANCHES -> ((Layer.Branches) l).branches().stream().anyMatch(BranchRule::containsDropout);
                case REPEAT -> containsDropout(((Layer.Repeat) l).body());
                case RESIDUAL -> containsDropout(((Layer.Residual) l).branch());
                case DENSE, CONV, NONLINEARITY, LAYER_NORM, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN -> false;
            };
            if (d) {
                return true;
            }
        }
        return false;
    }

    /**
     * The declared width of the joined stream from the widths the branches end with (NaN: not
     * declared): a sum or product has the common width of its streams (the declared ones must agree,
     * and an undeclared stream has theirs), a concatenation the sum of its branches' widths.
     * NaN when no width is declared, when declared widths differ, or when a concatenated branch has none.
     */
    static double joinedWidth(Layer.FanIn join, double[] widths) {
        if (join == Layer.FanIn.CONCAT) {
            double sum = 0;
            for (double w : widths) {
                sum += w; // NaN propagates
            }
            return sum;
        }
        double common = Double.NaN;
        for (double w : widths) {
            if (w > 0) {
                if (common > 0 && common != w) {
                    return Double.NaN;
                }
                common = w;
            }
        }
        return common;
    }

    /** Whether the layers hold no weights at any depth (a deterministic map of their input). */
    static boolean parameterFree(List<Layer> layers) {
        for (Layer l : layers) {
            boolean free = switch (l.kind()) {
                case DENSE, CONV -> false;
                case BRANCHES -> ((Layer.Branches) l).branches().stream().allMatch(BranchRule::parameterFree);
                case REPEAT -> parameterFree(((Layer.Repeat) l).body());
                case RESIDUAL -> parameterFree(((Layer.Residual) l).branch());
                case NONLINEARITY, LAYER_NORM, AVG_POOL, GLOBAL_AVG_POOL, FLATTEN -> true;
                // random masks, fresh in every branch: two Dropout branches are not equal streams
                case DROPOUT -> false;
            };
            if (!free) {
                return false;
            }
        }
        return true;
    }

    /** Identity, or Dropout(0) (no layer, bit for bit). */
    private static boolean isIdentity(Layer l) {
        return l.kind() == Layer.Kind.NONLINEARITY && ((Layer.Nonlinearity) l).activation().name().equals("Identity")
                || l.kind() == Layer.Kind.DROPOUT && ((Layer.Dropout) l).rate() == 0;
    }

    private static List<Layer> withoutIdentity(List<Layer> layers) {
        return layers.stream().filter(l -> !isIdentity(l)).toList();
    }

    private static String specOf(List<Layer> layers) {
        StringBuilder b = new StringBuilder();
        for (Layer l : layers) {
            b.append(b.length() == 0 ? "" : " ").append(l.spec());
        }
        return b.toString();
    }
}
