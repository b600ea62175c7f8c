package org.aleph.kernel.finite;

import org.aleph.kernel.Matrix;

/**
 * Full-batch gradient descent on the real finite network (all layers trained), recording its
 * predictions at given times: the finite-width counterpart of the infinite ensemble's
 * {@link NtkMeanDynamics} and of the linearised network's {@link LinearizedGradientDescent}.
 * Loss {@code (1/2N) sum (f - y)^2} with N the number of training targets; one step of learning
 * rate eta advances the time t by 1 (t counts steps, neural-tangents' convention, so the
 * gradient-flow time is eta t). Each step costs one forward and one backward pass on the
 * training inputs (about 3 N n^2 multiply-adds per hidden n x n layer).
 */
public final class GradientDescent {

    private GradientDescent() {
    }

    /**
     * Trains {@code network} in place and returns its outputs on {@code xEval} after each number
     * of steps in {@code steps} (row-major, eval rows x outputs each).
     *
     * @param network the network, changed in place (pass a {@link FiniteNetwork#copy()} to keep it)
     * @param xTrain  training inputs (n x d)
     * @param yTrain  training targets, row-major n x k
     * @param lr      learning rate eta
     * @param steps   non-decreasing step counts (0 gives the initial outputs)
     * @param xEval   the inputs to predict
     */
    public static double[][] train(FiniteNetwork network, Matrix xTrain, double[] yTrain, double lr, int[] steps, Matrix xEval) {
        double[][] out = new double[steps.length][];
        int done = 0;
        for (int q = 0; q < steps.length; q++) {
            if (steps[q] < done) {
                throw new IllegalArgumentException("steps must be non-decreasing, got " + steps[q] + " after " + done);
            }
            for (; done < steps[q]; done++) {
                network.step(xTrain, yTrain, lr);
            }
            out[q] = network.apply(xEval).data();
        }
        return out;
    }
}
