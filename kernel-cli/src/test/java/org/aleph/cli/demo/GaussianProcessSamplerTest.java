package org.aleph.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.junit.jupiter.api.Test;

/** {@link GaussianProcessSampler}: the sample covariance is K, a singular K still samples. */
class GaussianProcessSamplerTest {

    @Test
    void sampleCovarianceIsTheKernelWithinStandardErrors() {
        double[] k = {
            2.0, 0.9, -0.4,
            0.9, 1.0, 0.3,
            -0.4, 0.3, 0.5,
        };
        GaussianProcessSampler gp = GaussianProcessSampler.of(Matrix.wrap(3, 3, k), LinearAlgebra.pureJava());
        assertEquals(GaussianProcessSampler.JITTER * 3.5 / 3, gp.jitter(), 1e-25, "jitter relative to the mean diagonal");
        int n = 20000;
        double[][] f = gp.sample(n, new SplittableRandom(7));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double[] a = new double[n];
                double[] b = new double[n];
                for (int s = 0; s < n; s++) {
                    a[s] = f[s][i];
                    b[s] = f[s][j];
                }
                double[] cov = SampleStatistics.covariance(a, b);
                assertEquals(k[i * 3 + j], cov[0], 4 * cov[1], "K[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void aRankOneKernelIsSampledThanksToTheJitterAndGivesConstantFunctions() {
        int n = 60;
        double[] ones = new double[n * n];
        java.util.Arrays.fill(ones, 1.0);
        GaussianProcessSampler gp = GaussianProcessSampler.of(Matrix.wrap(n, n, ones), LinearAlgebra.pureJava());
        assertTrue(gp.jitter() >= GaussianProcessSampler.JITTER && gp.jitter() < 1e-3, "jitter " + gp.jitter());
        for (double[] f : gp.sample(5, new SplittableRandom(1))) {
            for (double v : f) {
                assertEquals(f[0], v, 1e-3, "K = 1 1^T: every sample is a constant function");
            }
        }
    }

    @Test
    void sameRandomStreamSameSamples() {
        double[] k = {1, 0.5, 0.5, 1};
        GaussianProcessSampler gp = GaussianProcessSampler.of(Matrix.wrap(2, 2, k), LinearAlgebra.pureJava());
        double[][] a = gp.sample(3, new SplittableRandom(11));
        double[][] b = gp.sample(3, new SplittableRandom(11));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a[i], b[i], 0);
        }
    }
}
