package org.aleph.kernel.finite;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;

/**
 * Random fully connected specs for property tests, built from one long so that QuickTheories
 * can draw them: 1-3 hidden layers of Dense(W_std in [0.5, 2], b_std in [0, 0.5]), sometimes
 * a Residual(activation Dense) block, then Relu, Erf, Tanh (quadrature) or Identity, sometimes
 * a LayerNorm, and a final Dense.
 *
 * <p>Every activation sees a Gaussian input in the infinite-width limit (a Dense output, or a
 * Dense output plus a Residual branch ending in Dense): the kernel recursion assumes it, and an
 * activation applied straight to another activation's output (e.g. {@code Relu Residual(Relu
 * Dense)}) has a different finite-network limit than the recursion computes.
 */
final class RandomSpecs {

    private RandomSpecs() {
    }

    static Network network(long seed) {
        return network(seed, true);
    }

    /** @param allowStructure whether Residual and LayerNorm may appear */
    static Network network(long seed, boolean allowStructure) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int hidden = 1 + r.nextInt(3);
        for (int h = 0; h < hidden; h++) {
            layers.add(dense(r));
            if (allowStructure && r.nextInt(5) == 0) {
                layers.add(new Layer.Residual(List.of(activation(r), dense(r))));
            }
            layers.add(activation(r));
            if (allowStructure && r.nextInt(5) == 0) {
                layers.add(new Layer.LayerNorm());
            }
        }
        layers.add(dense(r));
        return new Network(layers);
    }

    static Layer dense(SplittableRandom r) {
        double w = Math.round((0.5 + 1.5 * r.nextDouble()) * 100) / 100.0;
        double b = Math.round(0.5 * r.nextDouble() * 100) / 100.0;
        return new Layer.Dense(w, b);
    }

    static Layer activation(SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0:
                return TestActivations.relu();
            case 1:
                return TestActivations.erf();
            case 2:
                return TestActivations.tanh();
            default:
                return TestActivations.identity();
        }
    }
}
