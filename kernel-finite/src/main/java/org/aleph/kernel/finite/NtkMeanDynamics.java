package org.aleph.kernel.finite;

import org.aleph.kernel.Matrix;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;

/**
 * The mean prediction of an infinitely wide network trained by gradient descent on
 * {@code L = (1/2N) sum (f - y)^2} (Jacot et al. 2018; Lee et al. 2019, eq. 9), with the NTK
 * Theta on the N training points and Theta_* between evaluation and training points:
 * <pre>
 *   gradient flow, time t:   f(t) = Theta_* Theta^-1 (I - exp(-eta Theta t / N)) y
 *   gradient descent, k steps: f_k = Theta_* Theta^-1 (I - (I - eta Theta / N)^k) y
 * </pre>
 * for a zero initial function. Time is counted in steps as in neural-tangents'
 * {@code predict.gradient_descent_mse}: one step of learning rate eta advances t by 1 (so the
 * gradient-flow time in units of eta is eta t). For a network that starts at f0 instead, apply
 * the map to {@code y - f0(train)} and add {@code f0(eval)}: the infinite-width prediction for
 * that particular initial function.
 *
 * <p>Both use one symmetric eigendecomposition Theta = V diag(lambda) V^T (Hipparchus) and the
 * spectral function {@code g(lambda) = (1 - decay(lambda)) / lambda}, evaluated with
 * {@code expm1}/{@code log1p} so that small and zero eigenvalues give their limit
 * {@code eta t / N}; a singular Theta (repeated inputs) is therefore fine. Cost O(N^3) once,
 * then O(m N) per evaluation point; meant for the small N of a verification run.
 */
public final class NtkMeanDynamics {

    private final int n;
    private final double lr;
    private final double[] lambda;
    private final double[][] v;

    /**
     * @param thetaTrain the NTK on the training points (N x N, symmetric)
     * @param learningRate eta, positive
     */
    public NtkMeanDynamics(Matrix thetaTrain, double learningRate) {
        if (thetaTrain.rows() != thetaTrain.cols()) {
            throw new IllegalArgumentException("inconsistent dimensions: " + thetaTrain.rows() + " != " + thetaTrain.cols());
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be positive and finite, got " + learningRate);
        }
        this.n = thetaTrain.rows();
        this.lr = learningRate;
        EigenDecompositionSymmetric eig = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(thetaTrain.toArray(), false));
        this.lambda = eig.getEigenvalues();
        this.v = eig.getV().getData();
    }

    /** The eigenvalues of Theta on the training points. */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    /** The largest learning rate for which gradient descent on the training points is stable, 2N / lambda_max. */
    public static double criticalLearningRate(Matrix thetaTrain) {
        double max = 0;
        for (double l : new EigenDecompositionSymmetric(new Array2DRowRealMatrix(thetaTrain.toArray(), false)).getEigenvalues()) {
            max = Math.max(max, l);
        }
        return 2.0 * thetaTrain.rows() / max;
    }

    /** {@code Theta_* Theta^-1 (I - exp(-eta Theta t / N)) y} at time t (in steps, t >= 0). */
    public double[] gradientFlow(Matrix thetaEvalTrain, double[] y, double t) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double a = lr * t / n;
            double l = lambda[i];
            g[i] = l == 0 ? a : -Math.expm1(-a * l) / l;
        }
        return apply(thetaEvalTrain, y, g);
    }

    /** {@code Theta_* Theta^-1 (I - (I - eta Theta / N)^k) y} after k steps of gradient descent. */
    public double[] gradientDescent(Matrix thetaEvalTrain, double[] y, int steps) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double step = lr * lambda[i] / n;
            double decay = step < 1 ? Math.expm1(steps * Math.log1p(-step)) : Math.pow(1 - step, steps) - 1;
            g[i] = lambda[i] == 0 ? lr * steps / n : -decay / lambda[i];
        }
        return apply(thetaEvalTrain, y, g);
    }

    private double[] apply(Matrix thetaEvalTrain, double[] y, double[] g) {
        if (thetaEvalTrain.cols() != n || y.length != n) {
            throw new IllegalArgumentException("inconsistent dimensions: " + thetaEvalTrain.cols() + ", " + y.length + " != " + n);
        }
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += v[j][i] * y[j];
            }
            c[i] = g[i] * s;
        }
        double[] alpha = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += v[j][i] * c[i];
            }
            alpha[j] = s;
        }
        int m = thetaEvalTrain.rows();
        double[] out = new double[m];
        for (int r = 0; r < m; r++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += thetaEvalTrain.get(r, j) * alpha[j];
            }
            out[r] = s;
        }
        return out;
    }
}
