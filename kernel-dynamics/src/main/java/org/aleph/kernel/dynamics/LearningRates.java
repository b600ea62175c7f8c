package org.aleph.kernel.dynamics;

import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * The largest learning rate for which full-batch gradient descent on the MSE loss
 * (1/2N) sum (f - y)^2 of an infinitely wide network converges, neural-tangents'
 * {@code predict.max_learning_rate}: the step I - (eta/N) Theta must be a contraction, so
 * eta < 2 N / lambda_max(Theta); with heavy-ball momentum m the bound becomes
 * 2 (1 + m) N / lambda_max (Goh 2017, "Why momentum really works", section "The dynamics of
 * momentum").
 */
public final class LearningRates {

    /** Added to lambda_max to avoid dividing by zero (neural-tangents' eps). */
    public static final double EPS = 1e-12;

    private LearningRates() {
    }

    /**
     * @param ntkTrainTrain the NTK on the training points, n x n
     * @param targets       N, the number of training targets (points x outputs)
     * @param momentum      the momentum in [0, 1), 0 for plain gradient descent
     */
    public static double maxStable(Matrix ntkTrainTrain, long targets, double momentum, LinearAlgebra la) {
        int n = ntkTrainTrain.rows();
        Checks.shape(ntkTrainTrain, n, n, "the NTK train-train kernel");
        Checks.finite(ntkTrainTrain, "the NTK train-train kernel");
        if (targets <= 0) {
            throw new UserErrorException("the number of training targets must be > 0, got " + targets + ".");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new UserErrorException("the momentum must be in [0, 1), got " + momentum + ".");
        }
        double lambdaMax = la.largestEigenvalue(ntkTrainTrain.data(), n);
        return 2 * (1 + momentum) * targets / (lambdaMax + EPS);
    }
}
