package org.aleph.kernel.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bundled OpenBLAS Gram against plain triple loops, for X against itself (upper triangle)
 * and X1 against X2, with panels smaller than the matrix so that several panels, a short last
 * panel and the diagonal blocks are all exercised.
 */
class BundledOpenBlasGramTest {

    /** The natives are in the build for linux-x86_64, so there the provider must load. */
    @Test
    void loadsOnLinuxX8664() {
        boolean platform = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")
                && System.getProperty("os.arch").equals("amd64");
        assertEquals(platform, new BundledOpenBlasGram().available());
    }

    @Test
    void disabledByProperty() {
        System.setProperty(BundledOpenBlasGram.DISABLE_PROPERTY, "false");
        try {
            assertEquals(false, new BundledOpenBlasGram().available());
        } finally {
            System.clearProperty(BundledOpenBlasGram.DISABLE_PROPERTY);
        }
    }

    @Test
    void symmetricUpperTriangleEqualsDotProducts() {
        BundledOpenBlasGram p = new BundledOpenBlasGram(7);
        assertTrue(p.available());
        qt().withExamples(40).forAll(integers().between(1, 40), integers().between(1, 30), integers().between(0, 1000))
                .checkAssert((n, d, seed) -> {
                    double[] x = random(n * d, seed);
                    double[] out = new double[n * n];
                    p.gram(x, n, null, n, d, out);
                    for (int i = 0; i < n; i++) {
                        for (int j = i; j < n; j++) {
                            double e = dot(x, i, x, j, d);
                            assertEquals(e, out[i * n + j], 1e-12 * (1 + Math.abs(e)) * d, () -> "n=" + n + " d=" + d);
                        }
                    }
                });
    }

    @Test
    void rectangularEqualsDotProducts() {
        BundledOpenBlasGram p = new BundledOpenBlasGram(5);
        assertTrue(p.available());
        qt().withExamples(40).forAll(integers().between(1, 30), integers().between(1, 30), integers().between(1, 20),
                integers().between(0, 1000)).checkAssert((n1, n2, d, seed) -> {
                    double[] x1 = random(n1 * d, seed);
                    double[] x2 = random(n2 * d, seed + 1);
                    double[] out = new double[n1 * n2];
                    p.gram(x1, n1, x2, n2, d, out);
                    for (int i = 0; i < n1; i++) {
                        for (int j = 0; j < n2; j++) {
                            double e = dot(x1, i, x2, j, d);
                            assertEquals(e, out[i * n2 + j], 1e-12 * (1 + Math.abs(e)) * d);
                        }
                    }
                });
    }

    /** The default panels (about 8 MB) at a size where there are several of them. */
    @Test
    void defaultPanelsAtSeveralHundredRows() {
        BundledOpenBlasGram p = new BundledOpenBlasGram();
        assertTrue(p.available());
        int n = 2100;
        int d = 3;
        double[] x = random(n * d, 7);
        double[] out = new double[n * n];
        p.gram(x, n, null, n, d, out);
        for (int i = 0; i < n; i += 97) {
            for (int j = i; j < n; j += 31) {
                assertEquals(dot(x, i, x, j, d), out[i * n + j], 1e-12);
            }
        }
    }

    private static double[] random(int len, long seed) {
        Random r = new Random(seed);
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    private static double dot(double[] a, int i, double[] b, int j, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += a[i * d + k] * b[j * d + k];
        }
        return s;
    }
}
