package org.aleph.kernel.dynamics;

import org.aleph.kernel.Matrix;

/**
 * The outputs of the function-space ODE at one time.
 *
 * @param time  the training time t
 * @param train the outputs on the training points, n x k
 * @param test  the outputs on the test points, m x k (0 x k when none were given)
 */
public record OdeSolution(double time, Matrix train, Matrix test) {
}
