package org.aleph.kernel.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class GpInferenceTest {

    private static final LinearAlgebra LA = LinearAlgebra.automatic();

    /**
     * One training point with K = 2, Theta = 3, y = 1; one test point with K_*x = 1,
     * Theta_*x = 1.5, K_** = 2, Theta_** = 3. By hand:
     * NNGP:  mean 1/2 = 0.5, var 2 - 1/2 = 1.5;
     * NTKGP: mean 1.5/3 = 0.5, var 3 - 1.5^2/3 = 2.25;
     * NTK:   mean 0.5, var K** + (1.5/3)^2 K - 2 (1.5/3) K*x = 2 + 0.5 - 1 = 1.5.
     */
    static final KernelPair DD = new KernelPair(Fixtures.m(new double[][] {{2}}), Fixtures.m(new double[][] {{3}}));
    static final KernelPair TD = new KernelPair(Fixtures.m(new double[][] {{1}}), Fixtures.m(new double[][] {{1.5}}));
    static final KernelPair TT = new KernelPair(Fixtures.m(new double[][] {{2}}), Fixtures.m(new double[][] {{3}}));
    static final Matrix Y = Fixtures.m(new double[][] {{1}});

    @Test
    void onePointByHand() {
        GpInference gp = new GpInference(DD, Y, DiagonalRegularizer.NONE, LA);
        Prediction nngp = gp.predict(PosteriorKind.NNGP, TD, TT, Uncertainty.COVARIANCE);
        assertEquals(0.5, nngp.mean().get(0, 0), 1e-15);
        assertEquals(1.5, nngp.covariance().get(0, 0), 1e-15);
        Prediction ntkgp = gp.predict(PosteriorKind.NTKGP, TD, TT, Uncertainty.VARIANCE);
        assertEquals(0.5, ntkgp.mean().get(0, 0), 1e-15);
        assertEquals(2.25, ntkgp.variance()[0], 1e-15);
        Prediction ntk = gp.predict(PosteriorKind.NTK, TD, TT, Uncertainty.COVARIANCE);
        assertEquals(0.5, ntk.mean().get(0, 0), 1e-15);
        assertEquals(1.5, ntk.covariance().get(0, 0), 1e-15);
        // log N(1; 0, 2) = -1/4 - log(2)/2 - log(2 pi)/2.
        assertEquals(-0.25 - 0.5 * Math.log(2) - 0.5 * Math.log(2 * Math.PI), gp.logMarginalLikelihood(PosteriorKind.NNGP),
                1e-15);
        assertThrows(UserErrorException.class, () -> gp.logMarginalLikelihood(PosteriorKind.NTK));
    }

    /**
     * Two training points x1, x2 with K = [[1, 0.5], [0.5, 1]], targets (1, -1), test point equal
     * to x1 (K_*x = [1, 0.5], K_** = 1). Then K^{-1} = [[4, -2], [-2, 4]] / 3, K^{-1} y = (2, -2),
     * mean = 1*2 - 0.5*2 = 1 = y1 and variance 1 - [1, 0.5] K^{-1} [1, 0.5]^T = 1 - 1 = 0:
     * the posterior interpolates the training data exactly.
     */
    @Test
    void twoPointsInterpolateByHand() {
        Matrix k = Fixtures.m(new double[][] {{1, 0.5}, {0.5, 1}});
        GpInference gp = new GpInference(new KernelPair(k, k), Fixtures.m(new double[][] {{1}, {-1}}),
                DiagonalRegularizer.NONE, LA);
        Matrix kt = Fixtures.m(new double[][] {{1, 0.5}});
        Prediction p = gp.predict(PosteriorKind.NNGP, new KernelPair(kt, kt),
                new KernelPair(Fixtures.m(new double[][] {{1}}), null), Uncertainty.VARIANCE);
        assertEquals(1.0, p.mean().get(0, 0), 1e-15);
        assertEquals(0.0, p.variance()[0], 1e-15);
    }

    @Test
    void agreesWithIndependentFormulasOnAReluNetwork() {
        Fixtures f = Fixtures.random(25, 7, 3, 11);
        double diag = 1e-3;
        GpInference gp = new GpInference(f.trainTrain, f.y, DiagonalRegularizer.relative(diag), LA);
        RealMatrix kdd = Reference.r(f.trainTrain.nngp());
        RealMatrix tdd = Reference.r(f.trainTrain.ntk());
        RealMatrix ktd = Reference.r(f.testTrain.nngp());
        RealMatrix ttd = Reference.r(f.testTrain.ntk());
        RealMatrix ktt = Reference.r(f.testTest.nngp());
        RealMatrix ttt = Reference.r(f.testTest.ntk());
        RealMatrix y = Reference.r(f.y);
        RealMatrix kInv = Reference.inverse(Reference.regularized(kdd, diag * kdd.getTrace() / 25));
        RealMatrix tInv = Reference.inverse(Reference.regularized(tdd, diag * tdd.getTrace() / 25));

        Prediction nngp = gp.predict(PosteriorKind.NNGP, f.testTrain, f.testTest, Uncertainty.COVARIANCE);
        assertArrayEquals(Reference.flat(ktd.multiply(kInv).multiply(y)), nngp.mean().data(), 1e-10);
        assertArrayEquals(Reference.flat(ktt.subtract(ktd.multiply(kInv).multiply(ktd.transpose()))),
                nngp.covariance().data(), 1e-10);

        Prediction ntkgp = gp.predict(PosteriorKind.NTKGP, f.testTrain, f.testTest, Uncertainty.COVARIANCE);
        assertArrayEquals(Reference.flat(ttd.multiply(tInv).multiply(y)), ntkgp.mean().data(), 1e-10);
        assertArrayEquals(Reference.flat(ttt.subtract(ttd.multiply(tInv).multiply(ttd.transpose()))),
                ntkgp.covariance().data(), 1e-9);

        Prediction ntk = gp.predict(PosteriorKind.NTK, f.testTrain, f.testTest, Uncertainty.COVARIANCE);
        RealMatrix t = ttd.multiply(tInv);
        RealMatrix cov = ktt.add(t.multiply(kdd).multiply(t.transpose())).subtract(t.multiply(ktd.transpose()))
                .subtract(ktd.multiply(t.transpose()));
        assertArrayEquals(Reference.flat(t.multiply(y)), ntk.mean().data(), 1e-10);
        assertArrayEquals(Reference.flat(cov), ntk.covariance().data(), 1e-9);

        // Variances alone equal the covariance's diagonal, also from the diagonal of the test-test block only.
        for (PosteriorKind kind : PosteriorKind.values()) {
            Prediction full = gp.predict(kind, f.testTrain, f.testTest, Uncertainty.COVARIANCE);
            Prediction var = gp.predict(kind, f.testTrain, KernelPair.diagonals(diagonal(f.testTest.nngp()),
                    diagonal(f.testTest.ntk())), Uncertainty.VARIANCE);
            assertArrayEquals(full.variance(), var.variance(), 1e-12, kind.toString());
        }

        // Log marginal likelihood: -1/2 tr(Y^T A^{-1} Y) - k/2 log det A - n k/2 log 2 pi.
        RealMatrix a = Reference.regularized(kdd, diag * kdd.getTrace() / 25);
        double logDet = Math.log(new org.hipparchus.linear.LUDecomposition(a).getDeterminant());
        double expected = -0.5 * y.transpose().multiply(kInv).multiply(y).getTrace() - 1.5 * logDet
                - 0.5 * 75 * Math.log(2 * Math.PI);
        assertEquals(expected, gp.logMarginalLikelihood(PosteriorKind.NNGP), 1e-9 * Math.abs(expected));
    }

    static double[] diagonal(Matrix a) {
        double[] d = new double[a.rows()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i, i);
        }
        return d;
    }
}
