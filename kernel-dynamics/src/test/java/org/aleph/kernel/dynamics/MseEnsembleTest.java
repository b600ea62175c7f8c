package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.aleph.kernel.Matrix;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class MseEnsembleTest {

    private static final LinearAlgebra LA = LinearAlgebra.automatic();
    private static final double INF = Double.POSITIVE_INFINITY;

    /**
     * The one-point problem of {@link GpInferenceTest} (K = 2, Theta = 3, K_*x = 1, Theta_*x = 1.5,
     * K_** = 2, y = 1), eta = 1, N = 1, so s = t. By hand, all layers trained:
     * T(t) = 1.5 (1 - e^{-3t}) / 3, mean = T, var = K_** + T^2 K - 2 T K_*x = 2 + 2T^2 - 2T;
     * train mean 1 - e^{-3t}, train var e^{-3t} 2 e^{-3t} = 2 e^{-6t}.
     * Last layer only (Theta := K = 2): mean = (1 - e^{-2t}) / 2, var = 2 - (1 - e^{-4t}) / 2,
     * train var 2 e^{-4t}.
     */
    @Test
    void onePointByHand() {
        MseEnsemble e = new MseEnsemble(GpInferenceTest.DD, GpInferenceTest.Y, 1.0, DiagonalRegularizer.NONE, LA);
        double[] times = {0, 0.1, 1, INF};
        List<Prediction> ntk = e.predictTest(KernelKind.NTK, times, GpInferenceTest.TD, GpInferenceTest.TT,
                Uncertainty.COVARIANCE);
        List<Prediction> nngp = e.predictTest(KernelKind.NNGP, times, GpInferenceTest.TD, GpInferenceTest.TT,
                Uncertainty.VARIANCE);
        List<Prediction> train = e.predictTrain(KernelKind.NTK, times, Uncertainty.VARIANCE);
        List<Prediction> trainLast = e.predictTrain(KernelKind.NNGP, times, Uncertainty.VARIANCE);
        for (int i = 0; i < times.length; i++) {
            double t = times[i];
            double tt = t == INF ? 0.5 : 0.5 * -Math.expm1(-3 * t);
            assertEquals(t, ntk.get(i).time(), 0);
            assertEquals(tt, ntk.get(i).mean().get(0, 0), 1e-15, "t = " + t);
            assertEquals(2 + 2 * tt * tt - 2 * tt, ntk.get(i).covariance().get(0, 0), 1e-14, "t = " + t);
            double last = t == INF ? 0.5 : 0.5 * -Math.expm1(-2 * t);
            assertEquals(last, nngp.get(i).mean().get(0, 0), 1e-15, "t = " + t);
            assertEquals(2 - (t == INF ? 0.5 : 0.5 * -Math.expm1(-4 * t)), nngp.get(i).variance()[0], 1e-14, "t = " + t);
            assertEquals(t == INF ? 1 : -Math.expm1(-3 * t), train.get(i).mean().get(0, 0), 1e-15);
            assertEquals(t == INF ? 0 : 2 * Math.exp(-6 * t), train.get(i).variance()[0], 1e-14);
            assertEquals(t == INF ? 0 : 2 * Math.exp(-4 * t), trainLast.get(i).variance()[0], 1e-14);
        }
    }

    @Test
    void timeZeroIsThePrior() {
        Fixtures f = Fixtures.random(15, 6, 2, 21);
        MseEnsemble e = new MseEnsemble(f.trainTrain, f.y, 0.7, DiagonalRegularizer.NONE, LA);
        for (KernelKind v : KernelKind.values()) {
            Prediction p = e.predictTest(v, new double[] {0}, f.testTrain, f.testTest, Uncertainty.COVARIANCE).get(0);
            assertEquals(0.0, Fixtures.maxAbs(p.mean().data()), 0, v.toString());
            assertArrayEquals(f.testTest.nngp().data(), p.covariance().data(), 1e-14, v.toString());
            Prediction tr = e.predictTrain(v, new double[] {0}, Uncertainty.COVARIANCE).get(0);
            assertEquals(0.0, Fixtures.maxAbs(tr.mean().data()), 1e-15, v.toString());
            assertArrayEquals(f.trainTrain.nngp().data(), tr.covariance().data(), 1e-12, v.toString());
        }
    }

    @Test
    void longTrainingConvergesToTheGpFormulas() {
        Fixtures f = Fixtures.random(15, 6, 2, 22);
        DiagonalRegularizer reg = DiagonalRegularizer.relative(0.05);
        MseEnsemble e = new MseEnsemble(f.trainTrain, f.y, 1.0, reg, LA);
        GpInference gp = new GpInference(f.trainTrain, f.y, reg, LA);
        // The smallest eigenvalue of Theta + r I is at least r = 0.05 mean diag, so with
        // s = t / N = 1e5 / 30, exp(-lambda s) < e^{-100}: the finite-time formula has converged.
        double t = 1e5;
        for (KernelKind v : KernelKind.values()) {
            Prediction late = e.predictTest(v, new double[] {t}, f.testTrain, f.testTest, Uncertainty.COVARIANCE).get(0);
            Prediction limit = gp.predict(PosteriorKind.limitOfTraining(v), f.testTrain, f.testTest, Uncertainty.COVARIANCE);
            Prediction inf = e.predictTest(v, new double[] {INF}, f.testTrain, f.testTest, Uncertainty.COVARIANCE).get(0);
            assertArrayEquals(limit.mean().data(), late.mean().data(), 1e-9, v.toString());
            assertArrayEquals(limit.covariance().data(), late.covariance().data(), 1e-9, v.toString());
            assertArrayEquals(limit.mean().data(), inf.mean().data(), 1e-14, v.toString());
        }
    }

    @Test
    void finiteTimesMatchLeeEtAlWrittenOut() {
        Fixtures f = Fixtures.random(12, 5, 3, 23);
        double diag = 1e-4;
        double eta = 2.5;
        MseEnsemble e = new MseEnsemble(f.trainTrain, f.y, eta, DiagonalRegularizer.relative(diag), LA);
        double[] times = {0.3, 4, 40};
        List<Prediction> ntk = e.predictTest(KernelKind.NTK, times, f.testTrain, f.testTest, Uncertainty.COVARIANCE);
        List<Prediction> nngp = e.predictTest(KernelKind.NNGP, times, f.testTrain, f.testTest,
                Uncertainty.COVARIANCE);
        List<Prediction> train = e.predictTrain(KernelKind.NTK, times, Uncertainty.COVARIANCE);
        RealMatrix kdd = Reference.r(f.trainTrain.nngp());
        RealMatrix tdd = Reference.r(f.trainTrain.ntk());
        RealMatrix tReg = Reference.regularized(tdd, diag * tdd.getTrace() / 12);
        RealMatrix kReg = Reference.regularized(kdd, diag * kdd.getTrace() / 12);
        RealMatrix y = Reference.r(f.y);
        for (int i = 0; i < times.length; i++) {
            double s = eta * times[i] / 36;
            RealMatrix[] ref = Reference.ensemble(tReg, Reference.r(f.testTrain.ntk()), kdd, Reference.r(f.testTrain.nngp()),
                    Reference.r(f.testTest.nngp()), y, s);
            assertArrayEquals(Reference.flat(ref[0]), ntk.get(i).mean().data(), 1e-9);
            assertArrayEquals(Reference.flat(ref[1]), ntk.get(i).covariance().data(), 1e-9);
            // Last layer only: Theta := K (regularised where it is trained, as neural-tangents does).
            RealMatrix[] refLast = Reference.ensemble(kReg, Reference.r(f.testTrain.nngp()), kReg,
                    Reference.r(f.testTrain.nngp()), Reference.r(f.testTest.nngp()), y, s);
            assertArrayEquals(Reference.flat(refLast[0]), nngp.get(i).mean().data(), 1e-9);
            assertArrayEquals(Reference.flat(refLast[1]), nngp.get(i).covariance().data(), 1e-9);
            // Training set: mean (I - e^{-Theta s}) y, covariance e^{-Theta s} K e^{-Theta s}.
            RealMatrix ex = Reference.expNeg(tReg, s);
            RealMatrix id = MatrixUtils.createRealIdentityMatrix(12);
            assertArrayEquals(Reference.flat(id.subtract(ex).multiply(y)), train.get(i).mean().data(), 1e-10);
            assertArrayEquals(Reference.flat(ex.multiply(kdd).multiply(ex)), train.get(i).covariance().data(), 1e-10);
        }
    }

    @Test
    void onlyTheProductOfLearningRateAndTimeMatters() {
        Fixtures f = Fixtures.random(10, 4, 1, 24);
        MseEnsemble slow = new MseEnsemble(f.trainTrain, f.y, 0.5, DiagonalRegularizer.NONE, LA);
        MseEnsemble fast = new MseEnsemble(f.trainTrain, f.y, 2.0, DiagonalRegularizer.NONE, LA);
        Prediction a = slow.predictTest(KernelKind.NTK, new double[] {8}, f.testTrain, f.testTest,
                Uncertainty.VARIANCE).get(0);
        Prediction b = fast.predictTest(KernelKind.NTK, new double[] {2}, f.testTrain, f.testTest,
                Uncertainty.VARIANCE).get(0);
        assertArrayEquals(a.mean().data(), b.mean().data(), 1e-14);
        assertArrayEquals(a.variance(), b.variance(), 1e-14);
        // Several times at once equal separate calls.
        List<Prediction> both = slow.predictTest(KernelKind.NTK, new double[] {8, 1}, f.testTrain, f.testTest,
                Uncertainty.NONE);
        assertArrayEquals(a.mean().data(), both.get(0).mean().data(), 0);
        assertNull(both.get(1).variance());
        Matrix alone = slow.predictTest(KernelKind.NTK, new double[] {1}, f.testTrain, null, Uncertainty.NONE)
                .get(0).mean();
        assertArrayEquals(alone.data(), both.get(1).mean().data(), 0);
    }
}
