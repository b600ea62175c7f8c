package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * Lazy training (Lee et al. 2019): the function-space linearised descent equals descent on the
 * parameters of the explicit linear model f0 + J0 (p - p0), and as width grows the real network
 * stays close to its linearisation, its weights and its NTK barely move, and it approaches the
 * infinite-width prediction.
 */
class LinearizationTest {

    @Test
    void functionSpaceLinearisedDescentEqualsParameterSpaceDescent() {
        Network net = Network.parse("Dense(1.2, 0.1) Relu Dense(1.5, 0.05) Relu Dense(1, 0.1)");
        Matrix train = SphereData.points(5, 3, 21);
        Matrix eval = SphereData.points(8, 3, 21); // its first 5 rows are the training points
        double[] y = SphereData.targets(train);
        FiniteNetwork f = FiniteNetwork.sample(net, 3, 6, 1, 77, 1);
        double lr = 0.3;
        int steps = 25;
        Matrix jTrain = f.jacobian(train);
        Matrix jEval = f.jacobian(eval);
        double[] f0Train = f.apply(train).data();
        double[] f0Eval = f.apply(eval).data();
        int p = jTrain.cols();
        double[] dp = new double[p];
        for (int k = 0; k < steps; k++) {
            double[] r = new double[5];
            for (int i = 0; i < 5; i++) {
                double s = f0Train[i];
                for (int j = 0; j < p; j++) {
                    s += jTrain.get(i, j) * dp[j];
                }
                r[i] = s - y[i];
            }
            for (int j = 0; j < p; j++) {
                double g = 0;
                for (int i = 0; i < 5; i++) {
                    g += jTrain.get(i, j) * r[i];
                }
                dp[j] -= lr * g / 5;
            }
        }
        double[] expected = new double[8];
        for (int i = 0; i < 8; i++) {
            double s = f0Eval[i];
            for (int j = 0; j < p; j++) {
                s += jEval.get(i, j) * dp[j];
            }
            expected[i] = s;
        }
        Matrix theta = f.ntk(eval);
        double[] got = LinearizedGradientDescent.predict(Verification.block(theta, 0, 5, 0, 5),
                Verification.block(theta, 0, 8, 0, 5), f0Train, f0Eval, y, lr, new int[] {steps})[0];
        assertArrayEquals(expected, got, 1e-10);
    }

    @Test
    void trainingBecomesLazyAndLinearAsWidthGrows() {
        Network net = Network.parse("Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)");
        int[] widths = {64, 1024};
        VerificationReport report = Verification.run(Verification.Settings.builtIn(net, widths, 3, 1, Double.NaN, 40, 2), null);
        for (Quantity q : Quantity.values()) {
            double[] v = report.values(q);
            // a 16-fold width increase shrinks every quantity at least 2-fold (theory: 4-fold or more)
            assertTrue(v[1] < v[0] / 2, () -> q.key() + " does not shrink with width: " + Arrays.toString(v));
        }
        double[] gap = report.values(Quantity.LINEARIZATION_GAP);
        assertTrue(gap[1] < 0.05, "a width-1024 network stays within 5 % of its linearisation: " + Arrays.toString(gap));
    }
}
