package org.aleph.kernel.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blocked pivoted Cholesky and the Nystrom preconditioner against their definitions. */
class PreconditionerTest {

    @TempDir
    Path work;

    private TiledKernel kernel(Problems p, int block) {
        TileLayout layout = new TileLayout(p.xTrain.rows(), block);
        TileStore store = TileStore.open(work, 1, "nngp");
        new TileBuilder(Network.parse(Problems.SPEC), null, 2).build(p.xTrain, layout, store, KernelKind.NNGP, ScaleProgress.NONE);
        return new TiledKernel(layout, store, 2);
    }

    @Test
    void partialFactorIsExactOnItsPivotsAndReportsTheResidualTrace() {
        Problems p = Problems.clusters(230, 1, 5, 3, 4);
        TiledKernel k = kernel(p, 64);
        Matrix whole = new KernelComputer(Network.parse(Problems.SPEC), 2).compute(p.xTrain, null).nngp();
        int n = 230;
        for (int rank : new int[] {1, 70, 150}) {
            PivotedCholesky c = PivotedCholesky.compute(k, rank, 0, LinearAlgebra.automatic(), ScaleProgress.NONE);
            assertEquals(rank, c.rank);
            Set<Integer> distinct = new HashSet<>();
            for (int piv : c.pivots) {
                distinct.add(piv);
            }
            assertEquals(rank, distinct.size(), "distinct pivots");
            double trace = 0;
            double scale = whole.get(0, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double llt = 0;
                    for (int q = 0; q < rank; q++) {
                        llt += c.get(q, i) * c.get(q, j);
                    }
                    if (i == j) {
                        trace += whole.get(i, i) - llt;
                        assertTrue(whole.get(i, i) - llt >= -1e-10 * scale, "residual diagonal >= 0");
                    }
                    if (distinct.contains(i) || distinct.contains(j)) {
                        // the Nystrom approximation reproduces the pivots' rows and columns
                        assertEquals(whole.get(i, j), llt, 1e-9 * scale, "(" + i + ", " + j + ") rank " + rank);
                    }
                }
            }
            assertEquals(trace, c.residualTrace, 1e-9 * scale * n);
        }
        PivotedCholesky small = PivotedCholesky.compute(k, 20, 0, LinearAlgebra.automatic(), ScaleProgress.NONE);
        PivotedCholesky big = PivotedCholesky.compute(k, 150, 0, LinearAlgebra.automatic(), ScaleProgress.NONE);
        assertTrue(big.residualTrace < 0.2 * small.residualTrace, small.residualTrace + " -> " + big.residualTrace);
    }

    @Test
    void fullRankPreconditionerInvertsTheShiftedKernel() {
        Problems p = Problems.clusters(120, 1, 200, 3, 8); // d > n: K is positive definite
        TiledKernel k = kernel(p, 50);
        double shift = 0.3;
        PivotedCholesky c = PivotedCholesky.compute(k, 120, 1e-13, LinearAlgebra.automatic(), ScaleProgress.NONE);
        assertEquals(120, c.rank);
        NystromPreconditioner pre = new NystromPreconditioner(c, shift);
        double[] v = p.xTrain.data().clone(); // 120 x 200 as 200 right-hand sides
        double[] av = new double[v.length];
        k.multiply(v, 200, shift, av);
        double[] back = new double[v.length];
        pre.apply(av, 200, back);
        for (int e = 0; e < v.length; e++) {
            assertEquals(v[e], back[e], 1e-8 * (1 + Math.abs(v[e])));
        }
    }

    @Test
    void preconditioningCutsTheIterations() {
        Problems p = Problems.clusters(600, 1, 10, 4, 2);
        TiledKernel k = kernel(p, 200);
        double shift = 1e-4 * k.meanDiagonal();
        int[] its = new int[2];
        int[] ranks = {0, 200};
        for (int a = 0; a < 2; a++) {
            NystromPreconditioner pre = new NystromPreconditioner(
                    PivotedCholesky.compute(k, ranks[a], 1e-3 * shift, LinearAlgebra.automatic(), ScaleProgress.NONE), shift);
            BlockPcg.Solution s = BlockPcg.solve((x, kk, y) -> k.multiply(x, kk, shift, y), pre::apply, p.y.data(), 600, 4,
                    1e-6, 5000, 5000, ScaleProgress.NONE);
            assertTrue(s.converged() && s.maxResidual() <= 2e-6, "rank " + ranks[a] + ": " + s.maxResidual());
            its[a] = s.iterations();
        }
        System.out.printf("iterations to 1e-6 at n = 600: rank 0 %d, rank 200 %d%n", its[0], its[1]);
        assertTrue(its[1] * 3 < its[0], its[0] + " -> " + its[1]);
    }
}
