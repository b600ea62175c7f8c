package org.aleph.kernel.dynamics;

/**
 * The three "posteriors" of neural-tangents' {@code gp_inference}, with K the NNGP kernel,
 * Theta the NTK, x the training and * the test points, and A^{-1} meaning (A + r I)^{-1}:
 * <ul>
 *   <li>NNGP: exact Bayesian inference with an infinitely wide network (Lee et al. 2018):
 *       mean K_{*x} K^{-1} y, covariance K_{**} - K_{*x} K^{-1} K_{x*}.</li>
 *   <li>NTK: the infinite ensemble trained by gradient flow on MSE for infinite time
 *       (Lee et al. 2019, eq. 16 at t = inf): mean Theta_{*x} Theta^{-1} y, covariance
 *       K_{**} + Theta_{*x} Theta^{-1} K Theta^{-1} Theta_{x*}
 *       - (Theta_{*x} Theta^{-1} K_{x*} + transpose), with K unregularised.</li>
 *   <li>NTKGP: the GP with the NTK as prior covariance (He, Lakshminarayanan and Teh 2020,
 *       "Bayesian deep ensembles via the neural tangent kernel"): mean Theta_{*x} Theta^{-1} y,
 *       covariance Theta_{**} - Theta_{*x} Theta^{-1} Theta_{x*}.</li>
 * </ul>
 */
public enum PosteriorKind {
    /** Exact Bayesian inference with the NNGP kernel. */
    NNGP,
    /** The infinite NTK ensemble at t = infinity. */
    NTK,
    /** The GP posterior with the NTK as kernel. */
    NTKGP;

    /**
     * Where gradient descent on the MSE converges (t = inf) when the given kernel drives the
     * training ({@link MseEnsemble}): NTK (all layers trained) gives the NTK ensemble, NNGP
     * (only the last layer trained) the NNGP posterior.
     */
    public static PosteriorKind limitOfTraining(KernelKind trained) {
        return trained == KernelKind.NTK ? NTK : NNGP;
    }

    /** The kernel that is factorised (and drives the mean). */
    KernelKind meanKernel() {
        return this == NNGP ? KernelKind.NNGP : KernelKind.NTK;
    }

    /** The prior kernel of the test-test block. */
    KernelKind priorKernel() {
        return this == NTKGP ? KernelKind.NTK : KernelKind.NNGP;
    }
}
