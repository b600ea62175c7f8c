package org.aleph.kernel.dynamics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * GP inference with the kernels of an infinitely wide network, as neural-tangents'
 * {@code predict.gp_inference}: the {@link PosteriorKind NNGP, NTK and NTK-GP} posteriors on
 * test points, mean and covariance (or variances), for several target columns sharing one
 * Cholesky factorisation per kernel, and the log marginal likelihood.
 *
 * <p>Cost: one Cholesky (n^3/3) per kernel used, cached; the mean O(n^2 k + m n k); variances
 * O(m n^2) for the solve with K_{x*}; full covariance another O(m^2 n).
 */
public final class GpInference {

    private final KernelPair trainTrain;
    private final Matrix y;
    private final DiagonalRegularizer reg;
    private final LinearAlgebra la;
    private final int n;
    private final int k;
    private final Map<KernelKind, RegularizedCholesky> factors = new EnumMap<>(KernelKind.class);
    private final Map<KernelKind, Matrix> alphas = new EnumMap<>(KernelKind.class);

    /**
     * @param trainTrain the train-train kernels (n x n; the NNGP is needed for the NNGP and NTK
     *                   posteriors' covariance, the NTK for the NTK and NTK-GP posteriors)
     * @param y          training targets, n x k (one column per output, e.g. one-hot)
     * @param reg        the diagonal regulariser
     * @param la         the linear algebra to use
     */
    public GpInference(KernelPair trainTrain, Matrix y, DiagonalRegularizer reg, LinearAlgebra la) {
        this.trainTrain = trainTrain;
        this.y = y;
        this.reg = reg;
        this.la = la;
        this.n = y.rows();
        this.k = y.cols();
        Checks.finite(y, "the training targets");
    }

    /** The factorisation of the train-train kernel of the given kind (computed once). */
    public synchronized RegularizedCholesky factorization(KernelKind kind) {
        return factors.computeIfAbsent(kind, kk -> {
            Matrix kernel = trainTrain.get(kk);
            String what = "the " + kk.label() + " train-train kernel";
            Checks.shape(kernel, n, n, what);
            return RegularizedCholesky.factor(kernel, reg, la, what);
        });
    }

    /** (K + r I)^{-1} y for the given kernel, n x k (computed once). */
    synchronized Matrix alpha(KernelKind kind) {
        RegularizedCholesky f = factorization(kind);
        return alphas.computeIfAbsent(kind, kk -> f.solve(y));
    }

    /** Notes from the factorisations done so far (regulariser raised, ill-conditioning). */
    public synchronized List<String> notes() {
        List<String> all = new ArrayList<>();
        factors.values().forEach(f -> all.addAll(f.notes()));
        return all;
    }

    /**
     * The posterior on m test points.
     *
     * @param testTrain the test-train kernels (m x n)
     * @param testTest  the test-test kernels (m x m, or m x 1 diagonals for variances), null for NONE
     */
    public Prediction predict(PosteriorKind kind, KernelPair testTrain, KernelPair testTest, Uncertainty uncertainty) {
        Matrix ktd = testTrain.get(kind.meanKernel());
        if (ktd == null) {
            throw new UserErrorException("the " + kind.meanKernel().label() + " test-train kernel is needed for the "
                    + kind + " posterior but was not given.");
        }
        int m = ktd.rows();
        Checks.shape(ktd, m, n, "the " + kind.meanKernel().label() + " test-train kernel");
        Checks.finite(ktd, "the " + kind.meanKernel().label() + " test-train kernel");
        double[] mean = new double[m * k];
        la.gemm(false, false, m, k, n, 1.0, ktd.data(), alpha(kind.meanKernel()).data(), 0.0, mean);
        Checks.finiteResult(mean, "the " + kind + " posterior mean");
        if (uncertainty == Uncertainty.NONE) {
            return new Prediction(Double.POSITIVE_INFINITY, Matrix.wrap(m, k, mean), null, null);
        }
        Matrix ktt = testTest == null ? null : testTest.get(kind.priorKernel());
        boolean full = uncertainty == Uncertainty.COVARIANCE;
        TestPrior prior = TestPrior.of(ktt, m, full, "the " + kind.priorKernel().label() + " test-test kernel");
        // P = K_{*x}^{(mean)} (A + r I)^{-1}, m x n, by solving with the rows of K_{*x}.
        double[] p = ktd.data().clone();
        factorization(kind.meanKernel()).solveRows(p, m);
        CovarianceAccumulator cov = new CovarianceAccumulator(la, m, n, full, prior);
        if (kind == PosteriorKind.NTK) {
            Matrix nngpTd = testTrain.nngp();
            Checks.shape(nngpTd, m, n, "the NNGP test-train kernel");
            Checks.finite(nngpTd, "the NNGP test-train kernel");
            Matrix nngpDd = trainTrain.nngp();
            Checks.shape(nngpDd, n, n, "the NNGP train-train kernel");
            cov.addSandwich(p, nngpDd.data(), 1.0);
            cov.addSymmetricProduct(p, nngpTd.data(), -1.0);
        } else {
            cov.addProduct(ktd.data(), p, -1.0);
        }
        return cov.toPrediction(Double.POSITIVE_INFINITY, Matrix.wrap(m, k, mean), "the " + kind + " posterior");
    }

    /**
     * The log marginal likelihood of the targets under the GP with the NNGP (or, for NTKGP,
     * the NTK) as prior and the regulariser as noise, summed over the k target columns:
     * -1/2 sum_c y_c^T A^{-1} y_c - k/2 log det A - n k/2 log(2 pi), A = K + r I
     * (Rasmussen and Williams, Gaussian Processes for Machine Learning, eq. 2.30).
     */
    public double logMarginalLikelihood(PosteriorKind kind) {
        if (kind == PosteriorKind.NTK) {
            throw new UserErrorException("the log marginal likelihood is defined for the nngp and ntkgp posteriors, "
                    + "not for the ntk ensemble (which is not a Bayesian posterior).");
        }
        RegularizedCholesky f = factorization(kind.meanKernel());
        double[] a = alpha(kind.meanKernel()).data();
        double[] yd = y.data();
        double fit = 0;
        for (int i = 0; i < yd.length; i++) {
            fit += yd[i] * a[i];
        }
        return -0.5 * fit - 0.5 * k * f.logDeterminant() - 0.5 * n * k * Math.log(2 * Math.PI);
    }

    /** The linear algebra in use. */
    public LinearAlgebra linearAlgebra() {
        return la;
    }
}
