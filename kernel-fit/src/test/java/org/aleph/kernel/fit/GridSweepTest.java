package org.aleph.kernel.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.aleph.kernel.dynamics.Uncertainty;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/** The sweep's numbers against kernel-api kernels, GpInference and the fit module's marginal likelihood. */
class GridSweepTest {

    static final double REG = 1e-3;

    @Test
    void everyPointEqualsAnIndependentComputation() {
        Activation erf = ActivationRegistry.defaultRegistry().create("Erf");
        Matrix xt = Data.gaussian(40, 5, 1);
        Matrix xv = Data.gaussian(15, 5, 2);
        Matrix yt = Data.gaussian(40, 3, 3);
        Matrix yv = Data.gaussian(15, 3, 4);
        int[] labels = new int[15];
        for (int i = 0; i < 15; i++) {
            labels[i] = i % 3;
        }
        GridSweep sweep = new GridSweep(erf, xt, yt, xv, yv, labels, REG, LinearAlgebra.automatic());
        List<GridSweep.Point> pts = sweep.run(new double[] {0.8, 2.5}, new double[] {0, 0.3}, new int[] {3, 1}, 2, (d, t) -> { });
        assertEquals(8, pts.size());
        for (GridSweep.Point p : pts) {
            double w = Math.sqrt(p.sw2());
            double b = Math.sqrt(p.sb2());
            StringBuilder spec = new StringBuilder();
            for (int l = 0; l < p.depth(); l++) {
                spec.append("Dense(").append(w).append(", ").append(b).append(") Erf ");
            }
            String s = spec.append("Dense(").append(w).append(", ").append(b).append(")").toString();
            Network net = Network.parse(s);
            // validation RMSE and accuracy: kernel-api kernels and GpInference's NNGP posterior mean
            KernelPair tt = KernelPair.of(new KernelComputer(net, 1).compute(xt, null));
            KernelPair vt = KernelPair.of(new KernelComputer(net, 1).compute(xv, xt));
            GpInference gp = new GpInference(tt, yt, DiagonalRegularizer.relative(REG), LinearAlgebra.pureJava());
            double[] mean = gp.predict(PosteriorKind.NNGP, vt, null, Uncertainty.NONE).mean().data();
            double sq = 0;
            int correct = 0;
            for (int i = 0; i < 15; i++) {
                int best = 0;
                for (int c = 0; c < 3; c++) {
                    double e = mean[i * 3 + c] - yv.data()[i * 3 + c];
                    sq += e * e;
                    best = mean[i * 3 + c] > mean[i * 3 + best] ? c : best;
                }
                correct += best == labels[i] ? 1 : 0;
            }
            assertEquals(Math.sqrt(sq / 45), p.rmse(), 1e-9, s);
            assertEquals(correct / 15.0, p.accuracy(), 0.0, s);
            // L: the fit module's marginal likelihood at the profiled scale, which is its maximum over the scale
            double at = fixedScale(net, xt, yt, p.scale());
            assertEquals(at, p.logMarginalLikelihood(), 1e-9 * Math.abs(at), s);
            for (double f : new double[] {0.99, 1.01}) {
                assertTrue(fixedScale(net, xt, yt, p.scale() * f) < at);
            }
            // the fit module's own profiling of a free scale gives the same value and scale
            HyperparameterSpace free = HyperparameterSpace.of(net, false, true, REG, 1, Set.of("scale"), Map.of());
            MarginalLikelihood.Evaluation e = new MarginalLikelihood(free, xt, yt, LinearAlgebra.automatic(), null, 1)
                    .evaluate(new double[] {0.0}, false);
            assertEquals(at, e.logLikelihood(), 1e-9 * Math.abs(at), s);
            assertEquals(p.scale(), free.value(e.values(), HyperparameterSpace.Kind.SCALE), 1e-9 * p.scale());
        }
    }

    /** L with the scale fixed (not profiled), the noise REG relative, b_std and w_std as in the network. */
    static double fixedScale(Network net, Matrix xt, Matrix yt, double scale) {
        HyperparameterSpace space = HyperparameterSpace.of(net, false, true, REG, scale, Set.of("noise"), Map.of("noise",
                new double[] {REG, REG}));
        return new MarginalLikelihood(space, xt, yt, LinearAlgebra.automatic(), null, 1).evaluate(new double[] {Math.log(REG)}, false)
                .logLikelihood();
    }

    @Test
    void deeperPointsContinueFromShallowerOnesExactly() {
        Activation relu = ActivationRegistry.defaultRegistry().create("Relu");
        Matrix xt = Data.gaussian(30, 4, 5);
        Matrix xv = Data.gaussian(10, 4, 6);
        Matrix yt = Data.gaussian(30, 1, 7);
        Matrix yv = Data.gaussian(10, 1, 8);
        GridSweep sweep = new GridSweep(relu, xt, yt, xv, yv, null, REG, LinearAlgebra.automatic());
        List<GridSweep.Point> all = sweep.run(new double[] {2}, new double[] {0.1}, new int[] {1, 2, 4}, 1, (d, t) -> { });
        List<GridSweep.Point> four = sweep.run(new double[] {2}, new double[] {0.1}, new int[] {4}, 1, (d, t) -> { });
        assertEquals(four.get(0), all.get(2));
        assertTrue(Double.isNaN(all.get(0).accuracy()));
    }

    @Test
    void emptyGridsAndValuesOutsideTheirDomainAreUserErrors() {
        Activation relu = ActivationRegistry.defaultRegistry().create("Relu");
        Matrix x = Data.gaussian(10, 2, 9);
        Matrix y = Data.gaussian(10, 1, 10);
        GridSweep sweep = new GridSweep(relu, x, y, x, y, null, REG, LinearAlgebra.automatic());
        assertThrows(UserErrorException.class, () -> sweep.run(new double[0], new double[] {0.1}, new int[] {1}, 1, (d, t) -> { }));
        assertThrows(UserErrorException.class, () -> sweep.run(new double[] {1}, new double[] {0.1}, new int[0], 1, (d, t) -> { }));
        assertThrows(UserErrorException.class, () -> sweep.run(new double[] {-1}, new double[] {0.1}, new int[] {1}, 1, (d, t) -> { }));
        assertThrows(UserErrorException.class, () -> sweep.run(new double[] {1}, new double[] {-0.1}, new int[] {1}, 1, (d, t) -> { }));
        assertThrows(UserErrorException.class, () -> sweep.run(new double[] {1}, new double[] {0.1}, new int[] {0}, 1, (d, t) -> { }));
    }
}
