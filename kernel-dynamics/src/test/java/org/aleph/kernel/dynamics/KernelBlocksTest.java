package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/** {@link KernelBlocks}: the one-call blocks equal the kernels computed one by one, and hold what each prediction needs. */
class KernelBlocksTest {

    private static Matrix gaussian(Random r, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Matrix.wrap(rows, cols, d);
    }

    @Test
    void blocksEqualTheKernelsComputedOneByOneAndVariancesNeedOnlyTheDiagonal() {
        Random r = new Random(5);
        Matrix x = gaussian(r, 7, 4);
        Matrix xt = gaussian(r, 3, 4);
        KernelComputer kc = new KernelComputer(Network.parse("Dense(1.5,0.05) Erf Dense(1.2,0.1) Relu Dense(1,0)"), 1);
        KernelResult dd = kc.compute(x, null);
        KernelResult td = kc.compute(xt, x);
        KernelResult tt = kc.compute(xt, null);
        KernelBlocks cov = KernelBlocks.compute(kc, x, xt, PosteriorKind.NTK, Uncertainty.COVARIANCE);
        assertArrayEquals(dd.nngp().data(), cov.trainTrain().nngp().data(), 0);
        assertArrayEquals(dd.ntk().data(), cov.trainTrain().ntk().data(), 0);
        assertArrayEquals(td.ntk().data(), cov.testTrain().ntk().data(), 0);
        assertArrayEquals(tt.nngp().data(), cov.testTest().nngp().data(), 0);
        KernelBlocks var = KernelBlocks.compute(kc, x, xt, PosteriorKind.NNGP, Uncertainty.VARIANCE);
        assertEquals(1, var.testTest().nngp().cols());
        assertNull(var.testTest().ntk());
        for (int i = 0; i < 3; i++) {
            assertEquals(tt.nngp().get(i, i), var.testTest().nngp().get(i, 0), 1e-15 * tt.nngp().get(i, i));
        }
        // The NTKGP's prior is the NTK: its variances need the NTK test-test block.
        KernelBlocks ntkgp = KernelBlocks.compute(kc, x, xt, PosteriorKind.NTKGP, Uncertainty.VARIANCE);
        assertArrayEquals(tt.ntk().data(), ntkgp.testTest().ntk().data(), 0);
        assertNull(KernelBlocks.compute(kc, x, xt, PosteriorKind.NNGP, Uncertainty.NONE).testTest());
        // Variances from the blocks equal the diagonal of the full posterior covariance.
        Matrix y = gaussian(r, 7, 2);
        GpInference gp = new GpInference(var.trainTrain(), y, DiagonalRegularizer.relative(1e-6), LinearAlgebra.automatic());
        Prediction v = gp.predict(PosteriorKind.NNGP, var.testTrain(), var.testTest(), Uncertainty.VARIANCE);
        Prediction c = gp.predict(PosteriorKind.NNGP, cov.testTrain(), cov.testTest(), Uncertainty.COVARIANCE);
        for (int i = 0; i < 3; i++) {
            assertEquals(c.covariance().get(i, i), v.variance()[i], 1e-12);
        }
    }

    @Test
    void imagesGoThroughTheConvolutionalPath() {
        Random r = new Random(8);
        ImageShape shape = new ImageShape(4, 4, 2);
        Matrix x = gaussian(r, 4, 32);
        Matrix xt = gaussian(r, 2, 32);
        KernelComputer kc = new KernelComputer(Network.parse("Conv(1.5,0.05) Relu GlobalAvgPool Dense(1,0)"), 1);
        KernelBlocks b = KernelBlocks.compute(kc, x, xt, shape, PosteriorKind.NTK, Uncertainty.COVARIANCE);
        assertArrayEquals(kc.compute(xt, x, shape).ntk().data(), b.testTrain().ntk().data(), 0);
        assertArrayEquals(kc.compute(xt, null, shape).nngp().data(), b.testTest().nngp().data(), 0);
    }
}
