package org.aleph.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random architectures and inputs for property tests, including the hard regimes: duplicate
 * rows (rho = 1), negated rows (rho = -1), zero rows (zero variance) and huge and tiny norms.
 */
final class RandomCases {

    private RandomCases() {
    }

    /** A random network of depth 1-4 from Dense, Relu, Erf, Identity, Residual and LayerNorm. */
    static Network network(SplittableRandom rnd, ActivationRegistry registry, boolean homogeneous) {
        List<Layer> layers = new ArrayList<>();
        int depth = 1 + rnd.nextInt(4);
        for (int l = 0; l < depth; l++) {
            layers.add(dense(rnd, homogeneous));
            int kind = rnd.nextInt(homogeneous ? 3 : 6);
            switch (kind) {
                case 0, 1 -> layers.add(new Layer.Nonlinearity(registry.create("Relu")));
                case 2 -> layers.add(new Layer.Residual(List.of(new Layer.Nonlinearity(registry.create("Relu")), dense(rnd, homogeneous))));
                case 3 -> layers.add(new Layer.Nonlinearity(registry.create("Erf")));
                case 4 -> layers.add(new Layer.LayerNorm());
                default -> layers.add(new Layer.Nonlinearity(registry.create("Identity")));
            }
        }
        layers.add(dense(rnd, homogeneous));
        return new Network(layers);
    }

    private static Layer.Dense dense(SplittableRandom rnd, boolean homogeneous) {
        return new Layer.Dense(0.3 + 2 * rnd.nextDouble(), homogeneous || rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble());
    }

    /** n rows of dimension d with duplicates, negations, zero rows and varied norms. */
    static double[][] inputs(SplittableRandom rnd, int n, int d) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            int kind = i == 0 ? 4 : rnd.nextInt(8);
            double scale = switch (rnd.nextInt(4)) {
                case 0 -> 1e-4;
                case 1 -> 1e3;
                default -> 1;
            };
            for (int c = 0; c < d; c++) {
                x[i][c] = switch (kind) {
                    case 0 -> i > 0 ? x[rnd.nextInt(i)][c] : 0;          // duplicate
                    case 1 -> i > 0 ? -x[i - 1][c] : 0;                  // negation
                    case 2 -> 0;                                         // zero row
                    default -> scale * rnd.nextGaussian();
                };
            }
        }
        return x;
    }
}
