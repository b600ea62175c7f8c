package org.aleph.kernel.dynamics;

/** How much of the predictive covariance to compute. */
public enum Uncertainty {
    /** The mean only. */
    NONE,
    /** The mean and the variance of each test point (the covariance's diagonal), O(m n) extra. */
    VARIANCE,
    /** The mean and the full m x m covariance, O(m^2 n) extra. */
    COVARIANCE
}
