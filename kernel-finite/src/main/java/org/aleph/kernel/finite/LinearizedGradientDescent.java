package org.aleph.kernel.finite;

import org.aleph.kernel.Matrix;

/**
 * Gradient descent on the linearisation of a finite network around its initial parameters
 * p0 (Lee et al. 2019, eq. 4): {@code f_lin(x) = f0(x) + J0(x) (p - p0)}, trained on
 * {@code L = (1/2N) sum (f_lin - y)^2}. A step {@code p <- p - (eta/N) J0(train)^T r} with
 * residual {@code r = f_lin(train) - y} moves every output by
 * <pre>
 *   f_lin(x) <- f_lin(x) - (eta / N) Theta0(x, train) r,     Theta0 = J0 J0^T
 * </pre>
 * so the linearised network is trained exactly in function space with its empirical NTK
 * Theta0 ({@link FiniteNetwork#ntk}), without ever forming the Jacobian (which for width 4096
 * would hold tens of millions of entries per output). The test suite checks this against
 * parameter-space descent with the explicit Jacobian.
 */
public final class LinearizedGradientDescent {

    private LinearizedGradientDescent() {
    }

    /**
     * The linearised predictions after each number of steps in {@code steps}.
     *
     * @param thetaTrain     Theta0 on the training targets (N x N)
     * @param thetaEvalTrain Theta0 between evaluation and training targets (m x N)
     * @param f0Train        initial outputs on the training targets (N)
     * @param f0Eval         initial outputs on the evaluation targets (m)
     * @param y              training targets (N)
     * @param lr             learning rate eta
     * @param steps          non-decreasing step counts at which to report
     * @return one array of m predictions per entry of {@code steps}
     */
    public static double[][] predict(Matrix thetaTrain, Matrix thetaEvalTrain, double[] f0Train, double[] f0Eval,
                                     double[] y, double lr, int[] steps) {
        int n = f0Train.length;
        int m = f0Eval.length;
        if (thetaTrain.rows() != n || thetaTrain.cols() != n || thetaEvalTrain.rows() != m
                || thetaEvalTrain.cols() != n || y.length != n) {
            throw new IllegalArgumentException("inconsistent dimensions for " + n + " training and " + m + " evaluation targets");
        }
        double[] ft = f0Train.clone();
        double[] fe = f0Eval.clone();
        double[] r = new double[n];
        double[][] out = new double[steps.length][];
        double a = lr / n;
        int done = 0;
        for (int q = 0; q < steps.length; q++) {
            if (steps[q] < done) {
                throw new IllegalArgumentException("steps must be non-decreasing, got " + steps[q] + " after " + done);
            }
            for (; done < steps[q]; done++) {
                for (int i = 0; i < n; i++) {
                    r[i] = ft[i] - y[i];
                }
                descend(ft, thetaTrain, r, a);
                descend(fe, thetaEvalTrain, r, a);
            }
            out[q] = fe.clone();
        }
        return out;
    }

    private static void descend(double[] f, Matrix theta, double[] r, double a) {
        double[] t = theta.data();
        int n = r.length;
        for (int i = 0; i < f.length; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += t[i * n + j] * r[j];
            }
            f[i] -= a * s;
        }
    }
}
