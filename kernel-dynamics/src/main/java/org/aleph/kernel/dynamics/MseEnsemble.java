package org.aleph.kernel.dynamics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * The distribution of the outputs of an infinite ensemble of infinitely wide networks trained
 * by gradient flow on the MSE loss (1/2N) sum (f - y)^2, N = number of training targets
 * (points x columns), learning rate eta, from random initialisation; neural-tangents'
 * {@code gradient_descent_mse_ensemble}. With s = eta t / N, Theta the train-train kernel that
 * trains (NTK when all layers are trained, the NNGP when only the last one is) and K the NNGP
 * (Lee et al. 2019, "Wide neural networks of any depth evolve as linear models under gradient
 * descent", eqs. 14-16):
 * <pre>
 *   mean(x*, t) = Theta_{*x} Theta^{-1} (I - e^{-Theta s}) y
 *   cov(x*, t)  = K_{**} + T K T^T - (T K_{x*} + K_{*x} T^T),  T = Theta_{*x} Theta^{-1} (I - e^{-Theta s})
 *   train:  mean = (I - e^{-Theta s}) y,  cov = e^{-Theta s} K e^{-Theta s}
 * </pre>
 * which for the last-layer variant (Theta = K) reduce to cov = K_{**} - K_{*x} K^{-1}
 * (I - e^{-2Ks}) K_{x*} and train cov = K e^{-2Ks}. All finite times come from one
 * eigendecomposition of Theta + r I; t = infinity is computed by Cholesky
 * ({@link GpInference}, NTK or NNGP posterior). As in neural-tangents, the regulariser enters
 * the trained kernel only, and the K in the covariance's middle term is unregularised.
 */
public final class MseEnsemble {

    private final KernelPair trainTrain;
    private final Matrix y;
    private final double learningRate;
    private final DiagonalRegularizer reg;
    private final LinearAlgebra la;
    private final int n;
    private final int k;
    private final GpInference converged;
    private final Map<KernelKind, KernelEigenbasis> bases = new EnumMap<>(KernelKind.class);
    private final Map<KernelKind, double[]> nngpInBasis = new EnumMap<>(KernelKind.class);

    /**
     * @param trainTrain   train-train kernels, n x n
     * @param y            training targets, n x k
     * @param learningRate the learning rate eta (> 0)
     */
    public MseEnsemble(KernelPair trainTrain, Matrix y, double learningRate, DiagonalRegularizer reg, LinearAlgebra la) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new UserErrorException("the learning rate must be a finite number > 0, got " + learningRate + ".");
        }
        this.trainTrain = trainTrain;
        this.y = y;
        this.learningRate = learningRate;
        this.reg = reg;
        this.la = la;
        this.n = y.rows();
        this.k = y.cols();
        this.converged = new GpInference(trainTrain, y, reg, la);
    }

    private synchronized KernelEigenbasis basis(KernelKind kind) {
        return bases.computeIfAbsent(kind, kk -> new KernelEigenbasis(trainTrain.get(kk), y, reg, la,
                "the " + kk.label() + " train-train kernel"));
    }

    /** W K W^T: the unregularised NNGP in the eigenbasis of the trained kernel (once, 2 n^3). */
    private synchronized double[] nngpInBasis(KernelKind kind) {
        return nngpInBasis.computeIfAbsent(kind, kk -> {
            KernelEigenbasis b = basis(kk);
            Matrix nngp = trainTrain.nngp();
            Checks.shape(nngp, n, n, "the NNGP train-train kernel");
            double[] tmp = new double[n * n];
            la.gemm(false, false, n, n, n, 1.0, b.w, nngp.data(), 0.0, tmp);
            double[] out = new double[n * n];
            la.gemm(false, true, n, n, n, 1.0, tmp, b.w, 0.0, out);
            return out;
        });
    }

    /** Notes: eigenvalues treated as 0, regulariser raised, ill-conditioning. */
    public synchronized List<String> notes() {
        List<String> all = new ArrayList<>();
        bases.forEach((kind, b) -> {
            String note = b.note("the " + kind.label() + " train-train kernel");
            if (note != null) {
                all.add(note);
            }
        });
        all.addAll(converged.notes());
        return all;
    }

    /**
     * Test predictions at the given times (each finite and >= 0, or +infinity), in the order given.
     *
     * @param testTrain test-train kernels, m x n (the trained one; the NNGP too for the NTK variant's covariance)
     * @param testTest  test-test kernels (the NNGP, m x m or its m x 1 diagonal), null for NONE
     */
    public List<Prediction> predictTest(KernelKind trained, double[] times, KernelPair testTrain, KernelPair testTest,
                                        Uncertainty uncertainty) {
        checkTimes(times);
        KernelKind g = trained;
        Matrix ktd = testTrain.get(g);
        String what = "the " + g.label() + " test-train kernel";
        if (ktd == null) {
            throw new UserErrorException(what + " is needed for the " + trained.label() + " dynamics but was not given.");
        }
        int m = ktd.rows();
        Checks.shape(ktd, m, n, what);
        Checks.finite(ktd, what);
        List<Prediction> out = new ArrayList<>();
        double[] ttp = null;
        double[] ktpNngp = null;
        TestPrior prior = null;
        boolean full = uncertainty == Uncertainty.COVARIANCE;
        if (uncertainty != Uncertainty.NONE) {
            Matrix ktt = testTest == null ? null : testTest.nngp();
            prior = TestPrior.of(ktt, m, full, "the NNGP test-test kernel");
        }
        for (double t : times) {
            if (t == Double.POSITIVE_INFINITY) {
                Prediction p = converged.predict(PosteriorKind.limitOfTraining(trained), testTrain, testTest, uncertainty);
                out.add(p);
                continue;
            }
            KernelEigenbasis b = basis(g);
            if (ttp == null) {
                ttp = new double[m * n];
                la.gemm(false, true, m, n, n, 1.0, ktd.data(), b.w, 0.0, ttp);
            }
            double s = learningRate * t / (n * (double) k);
            double[] a = CovarianceAccumulator.scaleColumns(ttp, m, n, b.inverseExpm1(s));
            double[] mean = new double[m * k];
            la.gemm(false, false, m, k, n, 1.0, a, b.yProjected, 0.0, mean);
            Checks.finiteResult(mean, "the ensemble mean at t = " + t);
            if (uncertainty == Uncertainty.NONE) {
                out.add(new Prediction(t, Matrix.wrap(m, k, mean), null, null));
                continue;
            }
            CovarianceAccumulator cov = new CovarianceAccumulator(la, m, n, full, prior);
            if (trained == KernelKind.NNGP) {
                cov.addProduct(CovarianceAccumulator.scaleColumns(ttp, m, n, b.inverseExpm1(2 * s)), ttp, -1.0);
            } else {
                if (ktpNngp == null) {
                    Matrix nngpTd = testTrain.nngp();
                    Checks.shape(nngpTd, m, n, "the NNGP test-train kernel");
                    Checks.finite(nngpTd, "the NNGP test-train kernel");
                    ktpNngp = new double[m * n];
                    la.gemm(false, true, m, n, n, 1.0, nngpTd.data(), b.w, 0.0, ktpNngp);
                }
                cov.addSandwich(a, nngpInBasis(g), 1.0);
                cov.addSymmetricProduct(a, ktpNngp, -1.0);
            }
            out.add(cov.toPrediction(t, Matrix.wrap(m, k, mean), "the ensemble at t = " + t));
        }
        return out;
    }

    /**
     * Predictions on the training points themselves at the given times (neural-tangents'
     * {@code x_test=None}): mean (I - e^{-Theta s}) y; covariance K e^{-2Ks} (last layer) or
     * e^{-Theta s} K e^{-Theta s} (all layers); at t = infinity exactly y with covariance 0.
     */
    public List<Prediction> predictTrain(KernelKind trained, double[] times, Uncertainty uncertainty) {
        checkTimes(times);
        KernelKind g = trained;
        List<Prediction> out = new ArrayList<>();
        for (double t : times) {
            if (t == Double.POSITIVE_INFINITY) {
                out.add(new Prediction(t, Matrix.wrap(n, k, y.data().clone()),
                        uncertainty == Uncertainty.COVARIANCE ? Matrix.zeros(n, n) : null,
                        uncertainty == Uncertainty.NONE ? null : new double[n]));
                continue;
            }
            KernelEigenbasis b = basis(g);
            double s = learningRate * t / (n * (double) k);
            double[] z = scaleRows(b.yProjected, n, k, b.oneMinusExp(s));
            double[] mean = new double[n * k];
            la.gemm(true, false, n, k, n, 1.0, b.w, z, 0.0, mean);
            Checks.finiteResult(mean, "the ensemble's training-set mean at t = " + t);
            if (uncertainty == Uncertainty.NONE) {
                out.add(new Prediction(t, Matrix.wrap(n, k, mean), null, null));
                continue;
            }
            // cov = W^T M W with M diagonal (last layer) or diag(e) (W K W^T) diag(e) (all layers).
            double[] mw;
            if (trained == KernelKind.NNGP) {
                double[] d = b.exp(2 * s);
                for (int i = 0; i < n; i++) {
                    d[i] *= b.clamped[i];
                }
                mw = scaleRows(b.w, n, n, d);
            } else {
                double[] e = b.exp(s);
                double[] mid = scaleRows(CovarianceAccumulator.scaleColumns(nngpInBasis(g), n, n, e), n, n, e);
                mw = new double[n * n];
                la.gemm(false, false, n, n, n, 1.0, mid, b.w, 0.0, mw);
            }
            double[] variance = new double[n];
            for (int j = 0; j < n; j++) {
                int off = j * n;
                for (int i = 0; i < n; i++) {
                    variance[i] += b.w[off + i] * mw[off + i];
                }
            }
            Checks.finiteResult(variance, "the ensemble's training-set variance at t = " + t);
            Matrix cov = null;
            if (uncertainty == Uncertainty.COVARIANCE) {
                double[] c = new double[n * n];
                la.gemm(true, false, n, n, n, 1.0, b.w, mw, 0.0, c);
                cov = Matrix.wrap(n, n, c);
            }
            out.add(new Prediction(t, Matrix.wrap(n, k, mean), cov, variance));
        }
        return out;
    }

    static double[] scaleRows(double[] a, int rows, int cols, double[] d) {
        double[] out = new double[a.length];
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                out[off + j] = a[off + j] * d[i];
            }
        }
        return out;
    }

    static void checkTimes(double[] times) {
        for (double t : times) {
            if (!(t >= 0)) {
                throw new UserErrorException("training times must be >= 0 (or inf), got " + t + ".");
            }
        }
    }

    /** The learning rate eta. */
    public double learningRate() {
        return learningRate;
    }
}
