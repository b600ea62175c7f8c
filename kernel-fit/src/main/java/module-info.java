/**
 * Choosing an infinitely wide network's hyperparameters from data: maximum marginal
 * likelihood of the NNGP over W_std, b_std (tied over layers or per layer), the noise and an
 * output scale ({@link org.aleph.kernel.fit.MarginalLikelihoodFit}; Rasmussen and Williams,
 * Gaussian Processes for Machine Learning, ch. 5), and grid sweeps over the
 * (sigma_w^2, sigma_b^2, depth) plane with validation accuracy or RMSE and the log marginal
 * likelihood at every point ({@link org.aleph.kernel.fit.GridSweep}; Lee et al. 2018, "Deep
 * Neural Networks as Gaussian Processes", section 3 and figure 4).
 *
 * <p>Both evaluate the NNGP of fully connected networks with their own recursion
 * ({@link org.aleph.kernel.fit.NngpRecursion}) from an input Gram computed once, calling each
 * activation's block {@link org.aleph.kernel.spi.Activation#expectations expectations}, so
 * closed-form, quadrature, CAS-derived and plug-in activations all work. Every other spec the
 * kernel computer takes (Conv, pooling, Flatten, FanOut ... FanIn, Repeat, Dropout; images with
 * their shape) is evaluated whole by kernel-api's {@code KernelComputer}
 * ({@link org.aleph.kernel.fit.SpecKernels}), W_std and b_std of Dense and Conv layers alike.
 */
module org.aleph.kernel.fit {
    requires transitive org.aleph.kernel;
    requires transitive org.aleph.kernel.dynamics;
    requires hipparchus.core;
    requires hipparchus.optim;

    exports org.aleph.kernel.fit;
}
