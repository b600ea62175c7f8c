package org.aleph.kernel.fit;

import java.util.List;
import org.aleph.kernel.Network;
import org.aleph.kernel.fit.HyperparameterSpace.Parameter;

/**
 * The outcome of a marginal-likelihood fit.
 *
 * @param parameters        every hyperparameter (free and fixed), in order
 * @param values            their values at the optimum (natural units), in the same order
 * @param logSd             the Laplace standard deviation of log(value) (the posterior of log theta under a
 *                          flat prior, from the Hessian of L in the free, interior parameters); NaN for fixed
 *                          parameters, parameters at a bound, or when the Hessian is not negative definite
 * @param atBound           whether each parameter ended at one of its bounds
 * @param logMarginalLikelihood L at the optimum
 * @param gradient          dL / d log(theta) of the free parameters at the optimum
 * @param gradientNorm      the Euclidean norm of the projected gradient (components pushing against a bound
 *                          are left out) in log units
 * @param gradientError     the estimated error of the gradient's components (steps h and 2h compared)
 * @param step              the finite-difference step in log W_std, log b_std
 * @param gradientMethod    how the kernel's derivatives in log W_std, log b_std were taken at the optimum:
 *                          {@code "exact"} (propagated through the recursion, {@link MarginalLikelihood#EXACT}) or
 *                          {@code "central differences"} (with {@code step})
 * @param absoluteNoise     the noise variance added to the diagonal, in the kernel's units
 * @param relativeNoise     whether {@code noise} is relative to the mean diagonal of s K
 * @param converged         whether the best start met the convergence test
 * @param message           the optimiser's last word on the best start
 * @param network           the network with the fitted W_std, b_std
 * @param starts            each start: where it began and ended
 * @param kernelEvaluations NNGP kernels computed in all
 * @param seconds           wall time of the fit
 */
public record FitResult(List<Parameter> parameters, double[] values, double[] logSd, boolean[] atBound,
                        double logMarginalLikelihood, double[] gradient, double gradientNorm, double gradientError,
                        double step, String gradientMethod, double absoluteNoise, boolean relativeNoise, boolean converged, String message,
                        Network network, List<Start> starts, long kernelEvaluations, double seconds) {

    /**
     * One start of the optimiser.
     *
     * @param initial    the starting values (natural units, every parameter)
     * @param values     the values it ended at
     * @param logLikelihood L at the end
     * @param iterations optimiser iterations (or function evaluations for BOBYQA)
     * @param converged  whether it met the convergence test
     * @param message    why it stopped
     */
    public record Start(double[] initial, double[] values, double logLikelihood, int iterations, boolean converged, String message) {
    }

    /** The value of the named parameter. */
    public double value(String name) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).name().equals(name)) {
                return values[i];
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    /** The Laplace standard deviation of log of the named parameter. */
    public double logSd(String name) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).name().equals(name)) {
                return logSd[i];
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }
}
