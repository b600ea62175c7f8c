package org.aleph.kernel.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.junit.jupiter.api.Test;

/** The marginal likelihood and its gradient against independent computations. */
class MarginalLikelihoodTest {

    static final Set<String> ALL = Set.of("w_std", "b_std", "noise", "scale");

    static MarginalLikelihood ml(String spec, boolean tied, boolean relative, double noise, double scale, Set<String> free,
                                 Matrix x, Matrix y) {
        HyperparameterSpace space = HyperparameterSpace.of(Network.parse(spec), tied, relative, noise, scale, free, Map.of());
        return new MarginalLikelihood(space, x, y, LinearAlgebra.automatic(), null, 1);
    }

    @Test
    void valueEqualsGpInferenceWithKernelApiKernel() {
        Matrix x = Data.gaussian(60, 5, 11);
        Matrix y = Data.gaussian(60, 3, 12);
        String spec = "Dense(1.4, 0.2) Erf Dense(1.4, 0.2) Relu Dense(1.4, 0.2)";
        double noise = 0.05;
        double scale = 1.7;
        MarginalLikelihood m = ml(spec, true, false, noise, scale, ALL, x, y);
        double mine = m.evaluate(m.space().initialLogFree(), false).logLikelihood();
        // independent: kernel-api's kernel, scaled, GpInference's log marginal likelihood (Rasmussen & Williams eq. 2.30)
        double[] k = new KernelComputer(Network.parse(spec), 1).compute(x, null).nngp().data().clone();
        for (int i = 0; i < k.length; i++) {
            k[i] *= scale;
        }
        Matrix km = Matrix.wrap(60, 60, k);
        GpInference gp = new GpInference(new KernelPair(km, null), y, DiagonalRegularizer.absoluteValue(noise), LinearAlgebra.pureJava());
        assertEquals(gp.logMarginalLikelihood(PosteriorKind.NNGP), mine, 1e-9 * Math.abs(mine));
    }

    /** Every component of the gradient against central differences of L itself (not of K). */
    @Test
    void gradientMatchesFiniteDifferencesOfTheLikelihood() {
        Matrix x = Data.gaussian(50, 4, 21);
        Matrix y = Data.gaussian(50, 2, 22);
        // closed forms (1e-13) to 1e-6; Tanh by quadrature (promised 1e-9, difference step 1.4e-3) to 1e-4
        for (String[] net : new String[][] {{"Dense(1.3, 0.4) Gelu Dense(0.9, 0.2) Erf Dense(1.1, 0.3)", "1e-6"},
                {"Dense(1.3, 0.4) Tanh Dense(0.9, 0.2) Erf Dense(1.1, 0.3)", "1e-4"}}) {
        for (boolean relative : new boolean[] {false, true}) {
            for (boolean tied : new boolean[] {true, false}) {
                MarginalLikelihood m = ml(net[0], tied, relative, 0.1, 0.8, ALL, x, y);
                double tol = Double.parseDouble(net[1]);
                double[] t = m.space().initialLogFree();
                double[] g = m.evaluate(t, true).gradient();
                double h = 1e-4;
                for (int i = 0; i < t.length; i++) {
                    double[] tp = t.clone();
                    double[] tm = t.clone();
                    tp[i] += h;
                    tm[i] -= h;
                    double fd = (m.evaluate(tp, false).logLikelihood() - m.evaluate(tm, false).logLikelihood()) / (2 * h);
                    assertEquals(fd, g[i], tol * Math.max(1, Math.abs(fd)),
                            net[0] + ": " + m.space().free().get(i).name() + " tied=" + tied + " relative=" + relative);
                }
                double largest = java.util.Arrays.stream(g).map(Math::abs).max().orElse(1);
                double estimate = m.gradientErrorEstimate(t);
                assertTrue(estimate < tol * Math.max(1, largest), "error estimate " + estimate + " for |g| up to " + largest);
            }
        }
        }
    }

    /**
     * Relu networks with b_std = 0 are positively homogeneous: K(w) = w^(2D) K(1) for D Dense
     * layers, so dK/dlog w = 2D K exactly and, with absolute noise, dL/dlog w = 2D dL/dlog s
     * (to 1e-10 now that the gradient is exact; 1e-7 held with central differences).
     */
    @Test
    void reluHomogeneityGivesTheWeightDerivativeExactly() {
        Matrix x = Data.gaussian(40, 3, 31);
        Matrix y = Data.gaussian(40, 2, 32);
        MarginalLikelihood m = ml("Dense(1.2, 0) Relu Dense(1.2, 0) Relu Dense(1.2, 0)", true, false, 0.2, 1.3,
                Set.of("w_std", "scale"), x, y);
        MarginalLikelihood.Evaluation e = m.evaluate(m.space().initialLogFree(), true);
        assertTrue(e.exactGradient()); // Relu's tangents propagated exactly: the identity holds to rounding
        double[] g = e.gradient();
        assertEquals(6 * g[1], g[0], 1e-10 * Math.abs(g[0]));
    }

    /** Tied W_std moves every layer's W_std: its derivative is the sum of the per-layer ones. */
    @Test
    void tiedGradientIsTheSumOfPerLayerGradients() {
        Matrix x = Data.gaussian(40, 3, 41);
        Matrix y = Data.gaussian(40, 1, 42);
        String spec = "Dense(1.1, 0.3) Gelu Dense(1.1, 0.3) Erf Dense(1.1, 0.3)";
        MarginalLikelihood tied = ml(spec, true, true, 0.01, 1, ALL, x, y);
        MarginalLikelihood per = ml(spec, false, true, 0.01, 1, ALL, x, y);
        MarginalLikelihood.Evaluation et = tied.evaluate(tied.space().initialLogFree(), true);
        MarginalLikelihood.Evaluation ep = per.evaluate(per.space().initialLogFree(), true);
        assertEquals(et.logLikelihood(), ep.logLikelihood(), 1e-12 * Math.abs(et.logLikelihood()));
        double[] gt = et.gradient();
        double[] gp = ep.gradient(); // w1 w2 w3 b1 b2 b3 noise scale
        assertEquals(gp[0] + gp[1] + gp[2], gt[0], 1e-6 * Math.abs(gt[0]));
        assertEquals(gp[3] + gp[4] + gp[5], gt[1], 1e-6 * Math.abs(gt[1]));
        assertEquals(gp[6], gt[2], 1e-9 * Math.abs(gt[2]));
        assertEquals(gp[7], gt[3], 1e-9 * Math.abs(gt[3]));
    }

    @Test
    void parametersOutsideTheirDomainAreUserErrors() {
        Network net = Network.parse("Dense(1, 0.1) Relu Dense(1, 0)");
        assertThrows(UserErrorException.class, () -> HyperparameterSpace.of(net, true, true, 1e-3, 1, ALL,
                Map.of("b_std", new double[] {-1, 2})));
        assertThrows(UserErrorException.class, () -> HyperparameterSpace.of(net, true, true, 1e-3, 1, ALL,
                Map.of("w_std", new double[] {3, 2})));
        assertThrows(UserErrorException.class, () -> HyperparameterSpace.of(net, true, true, -1, 1, Set.of("w_std"), Map.of()));
        assertThrows(UserErrorException.class, () -> HyperparameterSpace.of(net, true, true, 1e-3, 1, Set.of("depth"), Map.of()));
        assertThrows(UserErrorException.class, () -> HyperparameterSpace.of(net, true, true, 1e-3, 1, Set.of(), Map.of()));
    }
}
