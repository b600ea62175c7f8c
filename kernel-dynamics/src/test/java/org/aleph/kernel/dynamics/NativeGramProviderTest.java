package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The native Gram equals plain dot products (to rounding) in both layouts. */
class NativeGramProviderTest {

    @Test
    void dsyrkAndDgemmGiveTheRowMajorProducts() {
        NativeGramProvider p = new NativeGramProvider();
        assumeTrue(p.available() || System.getenv("CI") != null, "no native BLAS on this machine");
        SplittableRandom rnd = new SplittableRandom(5);
        int n1 = 37;
        int n2 = 23;
        int d = 19;
        double[] x1 = new double[n1 * d];
        double[] x2 = new double[n2 * d];
        for (int i = 0; i < x1.length; i++) {
            x1[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < x2.length; i++) {
            x2[i] = rnd.nextGaussian();
        }
        double[] sym = new double[n1 * n1];
        p.gram(x1, n1, null, n1, d, sym);
        double[] cross = new double[n1 * n2];
        p.gram(x1, n1, x2, n2, d, cross);
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n1; j++) {
                if (j >= i) {
                    assertEquals(dot(x1, i, x1, j, d), sym[i * n1 + j], 1e-12, "X X^T at " + i + "," + j);
                }
            }
            for (int j = 0; j < n2; j++) {
                assertEquals(dot(x1, i, x2, j, d), cross[i * n2 + j], 1e-12, "X1 X2^T at " + i + "," + j);
            }
        }
    }

    private static double dot(double[] a, int i, double[] b, int j, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += a[i * d + k] * b[j * d + k];
        }
        return s;
    }
}
