package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.aleph.kernel.spi.GramProvider;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java whole Gram ({@link InputGram#products}, what the deferred provider computes
 * when no native one is available) equals plain index-order dot products bit for bit on any
 * number of threads, and the kernels through it equal the per-tile path bit for bit.
 */
class PureJavaProductsTest {

    private static double dot(double[] a, int i, double[] b, int j, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += a[i * d + k] * b[j * d + k];
        }
        return s;
    }

    @Test
    void productsAreIndexOrderDotProducts() {
        SplittableRandom rnd = new SplittableRandom(5);
        int d = 37;
        for (int n1 : new int[] {1, 63, 64, 65, 130}) {
            int n2 = n1 + 7;
            double[] x1 = rnd.doubles((long) n1 * d).toArray();
            double[] x2 = rnd.doubles((long) n2 * d).toArray();
            for (int threads : new int[] {1, 2, 3}) {
                double[] sym = new double[n1 * n1];
                Arrays.fill(sym, Double.NaN);
                InputGram.products(x1, n1, null, n1, d, sym, threads);
                double[] rect = new double[n1 * n2];
                InputGram.products(x1, n1, x2, n2, d, rect, threads);
                for (int i = 0; i < n1; i++) {
                    for (int j = i; j < n1; j++) {
                        assertEquals(dot(x1, i, x1, j, d), sym[i * n1 + j], 0.0);
                    }
                    for (int j = 0; j < n2; j++) {
                        assertEquals(dot(x1, i, x2, j, d), rect[i * n2 + j], 0.0);
                    }
                }
            }
        }
    }

    @Test
    void kernelsThroughProductsEqualTheTiles() {
        GramProvider pure = new GramProvider() {
            @Override
            public String name() {
                return "pure";
            }

            @Override
            public boolean available() {
                return true;
            }

            @Override
            public void gram(double[] x1, int n1, double[] x2, int n2, int d, double[] out) {
                InputGram.products(x1, n1, x2, n2, d, out, 2);
            }
        };
        Network net = Network.parse("Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Erf Dense(1, 0)", TestActivations.registry());
        SplittableRandom rnd = new SplittableRandom(11);
        Matrix x1 = Matrix.of(RandomCases.inputs(rnd, 150, 200));
        Matrix x2 = Matrix.of(RandomCases.inputs(rnd, 170, 200));
        for (Matrix b : new Matrix[] {null, x2}) {
            KernelResult tiles = new KernelComputer(net, 2, (done, total) -> { }, null).compute(x1, b);
            KernelResult full = new KernelComputer(net, 2, (done, total) -> { }, pure).compute(x1, b);
            assertArrayEquals(tiles.nngp().data(), full.nngp().data(), 0.0);
            assertArrayEquals(tiles.ntk().data(), full.ntk().data(), 0.0);
            assertArrayEquals(tiles.var1(), full.var1(), 0.0);
        }
    }

    @Test
    void theBackendIsNamed() {
        assertNotNull(KernelComputer.gramBackend());
    }
}
