package org.aleph.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToIntFunction;
import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;

/**
 * Consecutive nonlinearities as one activation on the Gaussian: {@code Relu Erf} is
 * phi(x) = erf(relu(x)), and its kernel is E[phi(u) phi(v)] over the Gaussian pre-activations
 * (u, v) of the layer before {@code Relu} (DESIGN.md's activation rule applied to the composed
 * function), with E[phi'(u) phi'(v)] for the NTK, phi' = phi2'(phi1(x)) phi1'(x) by the chain
 * rule. The output of a nonlinearity is not Gaussian, so applying {@code Erf}'s own kernel to it
 * would be wrong (neural-tangents' stax refuses it); composing first is exact, and a finite
 * network that applies the two layers one after the other computes the same phi.
 *
 * <p>The expectations come from the quadrature fallback ({@link QuadratureActivation}); the
 * provenance says "composition of Relu then Erf, by quadrature". Kinks: those of the first
 * function, plus the preimages under it of the later functions' kinks (x with phi1(x) = k,
 * found by bisection between sign changes of phi1(x) - k on a grid of step 0.01 over [-20, 20],
 * geometric out to +-1e4); at most {@value #MAX_KINKS} of them, the nearest to 0, are declared,
 * and anything the grid misses (a preimage touched without crossing, kinks beyond the cap) is
 * left to the quadrature's a posteriori panel refinement, which bisects unresolved panels within
 * its budget. {@code Identity} drops out of a composition ({@code Identity Relu} is {@code Relu}).
 *
 * <p>The composed activation's name is the layers' spec joined by spaces ({@code Relu Erf}), so a
 * network's spec parses back to the same network. A nonlinearity without a pointwise phi
 * (ExpNormalized, defined by its kernel) must not be composed; its phi is only its action on
 * unit-variance inputs.
 */
public final class ActivationComposition extends QuadratureActivation {

    /** Most kinks declared for a composition. */
    static final int MAX_KINKS = 64;

    private final List<Activation> chain;
    private final Provenance provenance;

    private ActivationComposition(List<Activation> chain, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks,
            String note) {
        super(name(chain), phi, dphi, kinks, note);
        this.chain = List.copyOf(chain);
        Provenance p = super.provenance();
        this.provenance = new Provenance(Provenance.Kind.QUADRATURE, "composition of " + describe(chain) + ", by quadrature: "
                + p.detail(), p.relativeAccuracy());
    }

    /**
     * The activation x -&gt; phi_n(... phi_2(phi_1(x))) for the chain phi_1, ..., phi_n in layer
     * order; {@code Identity} is dropped, and a chain of one is that activation itself.
     *
     * @param chain the activations in the order the layers apply them, non-empty
     */
    public static Activation of(List<Activation> chain) {
        List<Activation> kept = new ArrayList<>();
        for (Activation a : chain) {
            if (!a.name().equals("Identity")) {
                kept.add(a);
            }
        }
        if (kept.isEmpty()) {
            return chain.get(0);
        }
        if (kept.size() == 1) {
            return kept.get(0);
        }
        return compose(kept);
    }

    /** The composition by quadrature of at least two activations, without simplification. */
    static ActivationComposition compose(List<Activation> chain) {
        Activation[] a = chain.toArray(new Activation[0]);
        DoubleUnaryOperator phi = x -> {
            double y = x;
            for (Activation f : a) {
                y = f.phi(y);
            }
            return y;
        };
        DoubleUnaryOperator dphi = x -> {
            double y = x;
            double d = 1;
            for (Activation f : a) {
                d *= f.dphi(y);
                y = f.phi(y);
            }
            return d;
        };
        double[] kinks = a[0].kinks();
        boolean capped = false;
        for (int i = 1; i < a.length; i++) {
            Activation[] inner = Arrays.copyOf(a, i);
            DoubleUnaryOperator g = x -> {
                double y = x;
                for (Activation f : inner) {
                    y = f.phi(y);
                }
                return y;
            };
            for (double k : a[i].kinks()) {
                kinks = union(kinks, KinkPreimages.of(g, k));
            }
        }
        if (kinks.length > MAX_KINKS) {
            capped = true;
            kinks = nearestToZero(kinks, MAX_KINKS);
        }
        String note = capped ? "the " + MAX_KINKS + " kinks nearest to 0 declared, the others left to panel refinement" : "";
        return new ActivationComposition(chain, phi, dphi, kinks, note);
    }

    /** The activations composed, in layer order. */
    public List<Activation> chain() {
        return chain;
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    private static String name(List<Activation> chain) {
        StringBuilder b = new StringBuilder();
        for (Activation a : chain) {
            b.append(b.length() == 0 ? "" : " ").append(a.name());
        }
        return b.toString();
    }

    private static String describe(List<Activation> chain) {
        StringBuilder b = new StringBuilder(chain.get(0).name());
        for (int i = 1; i < chain.size(); i++) {
            b.append(" then ").append(chain.get(i).name());
        }
        return b.toString();
    }

    private static double[] union(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        int m = 0;
        for (double x : all) {
            if (m == 0 || Math.abs(x - all[m - 1]) > 1e-12 * (1 + Math.abs(x))) {
                all[m++] = x;
            }
        }
        return Arrays.copyOf(all, m);
    }

    private static double[] nearestToZero(double[] kinks, int n) {
        double[] sorted = Arrays.stream(kinks).boxed().sorted((x, y) -> Double.compare(Math.abs(x), Math.abs(y)))
                .mapToDouble(Double::doubleValue).limit(n).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** Layers with their runs of consecutive nonlinearities fused, and where each came from. */
    record Fused(List<Layer> layers, ToIntFunction<Layer> column) {
    }

    /**
     * Replaces every run of two or more consecutive {@link Layer.Nonlinearity} layers (also inside
     * Residual, Parallel and Repeat bodies) by one whose activation is their composition
     * ({@link #of}); a fused layer reports the spec column of the run's first layer.
     */
    static Fused fuse(List<Layer> layers, ToIntFunction<Layer> column) {
        Map<Layer, Layer> origin = new IdentityHashMap<>();
        List<Layer> out = fuseList(layers, origin);
        if (out == layers) {
            return new Fused(layers, column);
        }
        return new Fused(List.copyOf(out), layer -> column.applyAsInt(origin.getOrDefault(layer, layer)));
    }

    /** The layers with their runs fused; the same list object when nothing changed. */
    private static List<Layer> fuseList(List<Layer> layers, Map<Layer, Layer> origin) {
        List<Layer> out = new ArrayList<>(layers.size());
        boolean changed = false;
        int i = 0;
        while (i < layers.size()) {
            Layer l = layers.get(i);
            int j = i;
            List<Activation> run = new ArrayList<>();
            while (j < layers.size() && layers.get(j).kind() == Layer.Kind.NONLINEARITY) {
                run.add(((Layer.Nonlinearity) layers.get(j)).activation());
                j++;
            }
            if (run.size() >= 2) {
                Activation composed = of(run);
                Layer fused = null;
                for (int k = i; k < j && fused == null; k++) {
                    if (((Layer.Nonlinearity) layers.get(k)).activation() == composed) {
                        fused = layers.get(k); // all but one were Identity: that layer itself
                    }
                }
                if (fused == null) {
                    fused = new Layer.Nonlinearity(composed);
                    origin.put(fused, l);
                }
                out.add(fused);
                changed = true;
                i = j;
                continue;
            }
            Layer n = nested(l, origin);
            changed |= n != l;
            out.add(n);
            i++;
        }
        return changed ? out : layers;
    }

    /** A container layer with its bodies fused (the same object when nothing changed). */
    private static Layer nested(Layer l, Map<Layer, Layer> origin) {
        Layer result = switch (l.kind()) {
            case RESIDUAL -> {
                List<Layer> branch = ((Layer.Residual) l).branch();
                List<Layer> f = fuseList(branch, origin);
                yield f == branch ? l : new Layer.Residual(f);
            }
            case BRANCHES -> {
                Layer.Branches b = (Layer.Branches) l;
                List<List<Layer>> branches = new ArrayList<>();
                boolean changed = false;
                for (List<Layer> branch : b.branches()) {
                    List<Layer> f = fuseList(branch, origin);
                    changed |= f != branch;
                    branches.add(f);
                }
                yield changed ? new Layer.Branches(branches, b.join()) : l;
            }
            case REPEAT -> {
                Layer.Repeat r = (Layer.Repeat) l;
                List<Layer> f = fuseList(r.body(), origin);
                yield f == r.body() ? l : new Layer.Repeat(r.times(), f);
            }
            default -> l;
        };
        if (result != l) {
            origin.put(result, l);
        }
        return result;
    }
}
