package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.aleph.kernel.spi.GramProvider;
import org.junit.jupiter.api.Test;

/**
 * The path through a {@link GramProvider} (the whole Gram first, then the tiles) gives the
 * same kernels as the pure-Java tiles. The provider here sums each dot product in index order,
 * as the tiles do, so the results must agree bit for bit; in the symmetric case it fills the
 * lower triangle with NaN to prove that only the upper one is read.
 */
class GramProviderPathTest {

    /** Products in index order, NaN in the lower triangle of a symmetric Gram. */
    static class Sequential implements GramProvider {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public void gram(double[] x1, int n1, double[] x2, int n2, int d, double[] out) {
            Arrays.fill(out, Double.NaN);
            double[] b = x2 == null ? x1 : x2;
            for (int i = 0; i < n1; i++) {
                for (int j = x2 == null ? i : 0; j < n2; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += x1[i * d + k] * b[j * d + k];
                    }
                    out[i * n2 + j] = s;
                }
            }
        }
    }

    static final GramProvider SEQUENTIAL = new Sequential();

    @Test
    void fullGramPathEqualsTiles() {
        ActivationRegistry registry = TestActivations.registry();
        Network net = Network.parse("Dense(1.5, 0.05) Relu Dense(1, 0.1) Residual(Erf Dense(1, 0.1)) LayerNorm Dense(1, 0)", registry);
        SplittableRandom rnd = new SplittableRandom(3);
        // n1 n2 d above GramProviders.MIN_WORK so that the provider is used
        Matrix x1 = Matrix.of(RandomCases.inputs(rnd, 150, 200));
        Matrix x2 = Matrix.of(RandomCases.inputs(rnd, 170, 200));
        for (Matrix b : new Matrix[] {null, x2}) {
            KernelResult tiles = new KernelComputer(net, 2, (d, t) -> { }, null).compute(x1, b);
            KernelResult blas = new KernelComputer(net, 2, (d, t) -> { }, SEQUENTIAL).compute(x1, b);
            assertArrayEquals(tiles.nngp().data(), blas.nngp().data(), 0.0);
            assertArrayEquals(tiles.ntk().data(), blas.ntk().data(), 0.0);
            assertArrayEquals(tiles.var1(), blas.var1(), 0.0);
        }
        assertEquals(true, 150L * 170 * 200 >= GramProviders.MIN_WORK);
    }
}
