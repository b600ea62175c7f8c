package org.aleph.kernel.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiled solver against the direct Cholesky solve of kernel-dynamics (GpInference) on the
 * same kernels: same predicted labels, predictions within what the residual tolerance allows.
 */
class TiledRegressionTest {

    @TempDir
    Path work;

    @Test
    void nngpAndNtkMatchTheDirectSolve() {
        Problems p = Problems.clusters(2000, 400, 16, 5, 11);
        Network net = Network.parse(Problems.SPEC);
        KernelComputer computer = new KernelComputer(net, 2);
        KernelPair trainTrain = KernelPair.of(computer.compute(p.xTrain, null));
        KernelPair testTrain = KernelPair.of(computer.compute(p.xTest, p.xTrain));
        DiagonalRegularizer reg = DiagonalRegularizer.relative(1e-4);
        GpInference gp = new GpInference(trainTrain, p.y, reg, LinearAlgebra.automatic());
        // blocks of 450: 5 row blocks, the last one of 200, 15 tiles
        TiledRegression.Settings s = TiledRegression.Settings.defaults(work).withBlock(450).withRank(300)
                .withTolerance(1e-8).withThreads(2);
        for (KernelKind kind : KernelKind.values()) {
            Matrix direct = gp.predict(kind == KernelKind.NNGP ? PosteriorKind.NNGP : PosteriorKind.NTK, testTrain, null,
                    org.aleph.kernel.dynamics.Uncertainty.NONE).mean();
            TiledRegression.Result r = new TiledRegression(net, null, s, LinearAlgebra.automatic(), ScaleProgress.NONE)
                    .fitPredict(kind, p.xTrain, p.y, p.xTest, reg);
            double scale = 0;
            double diff = 0;
            for (int e = 0; e < direct.data().length; e++) {
                scale = Math.max(scale, Math.abs(direct.data()[e]));
                diff = Math.max(diff, Math.abs(direct.data()[e] - r.mean().data()[e]));
            }
            System.out.printf("%s: %d iterations, residual %.2e, rank %d, max |tiled - direct| %.2e (scale %.2f)%n",
                    kind, r.iterations(), r.residual(), r.rank(), diff, scale);
            assertTrue(r.residual() <= 1e-7, "final residual " + r.residual());
            assertTrue(diff < 1e-4 * scale, kind + ": max difference " + diff);
            assertArrayEquals(Problems.argmax(direct), Problems.argmax(r.mean()), kind + " labels");
            assertEquals(15, r.tilesComputed());
            assertFalse(Files.exists(r.jobFolder()), "the job folder is deleted without keep");
        }
    }
}
