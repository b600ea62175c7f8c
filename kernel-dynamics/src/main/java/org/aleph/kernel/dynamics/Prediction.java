package org.aleph.kernel.dynamics;

import org.aleph.kernel.Matrix;

/**
 * A Gaussian prediction at one time: the mean (points x target columns) and, when asked,
 * the covariance over points (points x points) or only its diagonal. As in neural-tangents
 * (trace_axes = the target axis), every target column shares the same covariance.
 *
 * @param time       the training time t (Double.POSITIVE_INFINITY for the converged or Bayesian posterior)
 * @param mean       the mean, points x columns
 * @param covariance the covariance over points, or null
 * @param variance   the variances of the points, or null
 */
public record Prediction(double time, Matrix mean, Matrix covariance, double[] variance) {
}
