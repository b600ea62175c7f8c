package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Invariants on random problems (Relu network kernels of 2-9 random training points): every
 * covariance is positive semi-definite, training-set variance shrinks as training proceeds,
 * nothing depends on the order of the training points, and the native and pure-Java linear
 * algebra give the same predictions.
 */
class DynamicsPropertiesTest {

    private static final LinearAlgebra LA = LinearAlgebra.automatic();
    private static final DiagonalRegularizer REG = DiagonalRegularizer.relative(1e-6);

    /**
     * All covariances of one problem at one time: the three posteriors (0-2), then for each
     * ensemble variant its test (3, 5) and training-set (4, 6) predictions.
     */
    static List<Prediction> everything(Fixtures f, double t, LinearAlgebra la) {
        List<Prediction> all = new ArrayList<>();
        GpInference gp = new GpInference(f.trainTrain, f.y, REG, la);
        for (PosteriorKind kind : PosteriorKind.values()) {
            all.add(gp.predict(kind, f.testTrain, f.testTest, Uncertainty.COVARIANCE));
        }
        MseEnsemble e = new MseEnsemble(f.trainTrain, f.y, 1.0, REG, la);
        for (KernelKind v : KernelKind.values()) {
            all.add(e.predictTest(v, new double[] {t}, f.testTrain, f.testTest, Uncertainty.COVARIANCE).get(0));
            all.add(e.predictTrain(v, new double[] {t}, Uncertainty.COVARIANCE).get(0));
        }
        return all;
    }

    @Test
    void covariancesArePositiveSemidefinite() {
        AtomicInteger early = new AtomicInteger();
        AtomicInteger late = new AtomicInteger();
        qt().withFixedSeed(7).withExamples(30)
                .forAll(integers().between(2, 9), integers().between(1, 5), integers().between(0, 1_000_000),
                        doubles().between(-3, 3).map(u -> Math.pow(10, u)))
                .checkAssert((n, m, seed, t) -> {
                    Fixtures f = Fixtures.random(n, m, 2, seed);
                    double[] a = f.trainTrain.ntk().data().clone();
                    double[] lambda = LA.symmetricEigen(a, n);
                    double s = t / (2.0 * n);
                    if (lambda[n - 1] * s < 1) {
                        early.incrementAndGet();
                    }
                    if (lambda[0] * s > 5) {
                        late.incrementAndGet();
                    }
                    for (Prediction p : everything(f, t, LA)) {
                        int size = p.covariance().rows();
                        double scale = 1 + Fixtures.maxAbs(p.covariance().data()) + Fixtures.maxAbs(f.testTest.nngp().data());
                        double min = Reference.minEigenvalue(p.covariance().data(), size);
                        assertTrue(min >= -1e-9 * scale, "smallest eigenvalue " + min + " at t = " + t);
                    }
                });
        assertTrue(early.get() >= 3 && late.get() >= 3, "times cover early and late training: " + early + ", " + late);
    }

    @Test
    void trainingSetVarianceShrinksWithTime() {
        qt().withFixedSeed(8).withExamples(30)
                .forAll(integers().between(2, 9), integers().between(0, 1_000_000), doubles().between(0, 100),
                        doubles().between(0, 100))
                .checkAssert((n, seed, a, b) -> {
                    Fixtures f = Fixtures.random(n, 1, 1, seed);
                    MseEnsemble e = new MseEnsemble(f.trainTrain, f.y, 1.0, REG, LA);
                    double[] times = {Math.min(a, b), Math.max(a, b)};
                    // Last layer: var_i(t) = sum_j W_ji^2 lambda_j e^{-2 lambda_j s}, each term decreasing.
                    List<Prediction> last = e.predictTrain(KernelKind.NNGP, times, Uncertainty.VARIANCE);
                    for (int i = 0; i < n; i++) {
                        assertTrue(last.get(1).variance()[i] <= last.get(0).variance()[i] * (1 + 1e-12) + 1e-15,
                                "point " + i + " at times " + times[0] + " < " + times[1]);
                    }
                    // All layers: tr(e^{-Theta s} K e^{-Theta s}) = sum_j (W K W^T)_jj e^{-2 lambda_j s}, decreasing.
                    List<Prediction> all = e.predictTrain(KernelKind.NTK, times, Uncertainty.VARIANCE);
                    assertTrue(sum(all.get(1).variance()) <= sum(all.get(0).variance()) * (1 + 1e-12) + 1e-15);
                });
    }

    @Test
    void predictionsDoNotDependOnTheOrderOfTrainingPoints() {
        qt().withFixedSeed(9).withExamples(25)
                .forAll(integers().between(2, 9), integers().between(0, 1_000_000), doubles().between(0, 100))
                .checkAssert((n, seed, t) -> {
                    Fixtures f = Fixtures.random(n, 3, 2, seed);
                    Fixtures g = f.permuted(Fixtures.randomPermutation(n, seed + 1L));
                    List<Prediction> a = everything(f, t, LA);
                    List<Prediction> b = everything(g, t, LA);
                    for (int i = 0; i < a.size(); i += 1) {
                        if (i == 4 || i == 6) {
                            continue; // training-set predictions are permuted along with the points
                        }
                        double tol = 1e-8 * (1 + Fixtures.maxAbs(a.get(i).covariance().data()));
                        assertArrayEquals(a.get(i).mean().data(), b.get(i).mean().data(), tol);
                        assertArrayEquals(a.get(i).covariance().data(), b.get(i).covariance().data(), tol);
                    }
                });
    }

    @Test
    void nativeAndPureJavaPredictionsAgree() {
        Assumptions.assumeTrue(LinearAlgebra.nativeLapack().isPresent(),
                () -> "native LAPACK absent: " + LinearAlgebra.nativeUnavailableReason().orElse(""));
        qt().withFixedSeed(10).withExamples(20)
                .forAll(integers().between(2, 9), integers().between(0, 1_000_000), doubles().between(0, 100))
                .checkAssert((n, seed, t) -> {
                    Fixtures f = Fixtures.random(n, 3, 2, seed);
                    List<Prediction> a = everything(f, t, LinearAlgebra.nativeLapack().orElseThrow());
                    List<Prediction> b = everything(f, t, LinearAlgebra.pureJava());
                    for (int i = 0; i < a.size(); i++) {
                        double tol = 1e-8 * (1 + Fixtures.maxAbs(a.get(i).covariance().data()));
                        assertArrayEquals(a.get(i).mean().data(), b.get(i).mean().data(), tol);
                        assertArrayEquals(a.get(i).covariance().data(), b.get(i).covariance().data(), tol);
                    }
                });
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
