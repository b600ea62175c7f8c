package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.SplittableRandom;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;

/**
 * Exact backpropagation through finite CNNs against central finite differences of the forward
 * pass (test only; the library never differentiates numerically), on specs that cover every
 * padding (SAME, VALID, CIRCULAR), strides of 2, non-square filters, AvgPool (with and without
 * padding), GlobalAvgPool, Flatten, a Residual with a convolutional branch, LayerNorm per pixel
 * and a Dense layer per pixel. Smooth activations (Erf, Tanh, Gelu) keep central differences
 * accurate to O(h^2) ~ 1e-10, so the 1e-6 tolerance leaves a wide margin, while a wrong
 * backward rule (a misplaced padding tap, a missing 1/window, weights not shared over pixels)
 * is off by O(1).
 */
class ConvBackpropagationTest {

    static final String[] SPECS = {
        "Conv(1.5, 0.1, filter=3, padding=SAME) Erf Conv(1.2, 0.2, filter=2x3, stride=2, padding=VALID) Tanh Flatten Dense(1, 0.1)",
        "Conv(1.5, 0.1, filter=3, padding=CIRCULAR) Erf AvgPool(window=2) Conv(1, 0.1, filter=2, padding=SAME) Tanh GlobalAvgPool Dense(1, 0)",
        "Conv(1.3, 0.1, filter=3, padding=SAME) Residual(Erf Conv(1, 0.1, filter=3, padding=CIRCULAR)) LayerNorm Erf "
                + "Dense(1.1, 0.1) Tanh GlobalAvgPool Dense(1, 0.05)",
        "Conv(1.5, 0.05, filter=3x1, stride=2x1, padding=SAME) Gelu AvgPool(window=2, stride=1, padding=SAME) Flatten Dense(1, 0)",
        "Conv(2, 0.1, filter=2, stride=2, padding=CIRCULAR) Erf GlobalAvgPool Dense(1.2, 0.1) Tanh Dense(1, 0)",
    };
    private static final ImageShape SHAPE = new ImageShape(5, 4, 2);
    private static final double H = 1e-5;
    private static final double TOL = 1e-6;

    @Test
    void jacobianEqualsCentralDifferences() {
        qt().withFixedSeed(812L).withShrinkCycles(0).withExamples(2 * SPECS.length)
                .forAll(integers().between(0, 1_000_000)).checkAssert(i -> {
                    Network net = Network.parse(SPECS[i % SPECS.length]);
                    SplittableRandom r = new SplittableRandom(i);
                    int outputs = 1 + r.nextInt(2);
                    FiniteNetwork f = FiniteNetwork.sample(net, SHAPE, 2 + r.nextInt(2), outputs, i, 1);
                    Matrix x = BackpropagationTest.randomInputs(r, 2, SHAPE.features());
                    Matrix jac = f.jacobian(x);
                    double[] p = f.parameters();
                    for (int j = 0; j < p.length; j++) {
                        double[] plus = p.clone();
                        double[] minus = p.clone();
                        plus[j] += H;
                        minus[j] -= H;
                        f.setParameters(plus);
                        double[] fp = f.apply(x).data();
                        f.setParameters(minus);
                        double[] fm = f.apply(x).data();
                        for (int row = 0; row < jac.rows(); row++) {
                            double fd = (fp[row] - fm[row]) / (2 * H);
                            int rr = row;
                            int jj = j;
                            assertEquals(fd, jac.get(row, j), TOL * (1 + Math.abs(fd)),
                                    () -> net + ": d f[" + rr + "] / d p[" + jj + "] differs from central differences");
                        }
                    }
                    f.setParameters(p);
                });
    }

    @Test
    void empiricalNtkEqualsJacobianProducts() {
        for (int i = 0; i < SPECS.length; i++) {
            Network net = Network.parse(SPECS[i]);
            SplittableRandom r = new SplittableRandom(100 + i);
            FiniteNetwork f = FiniteNetwork.sample(net, SHAPE, 3, 2, 100 + i, 2);
            Matrix x = BackpropagationTest.randomInputs(r, 3, SHAPE.features());
            Matrix jac = f.jacobian(x);
            Matrix ntk = f.ntk(x);
            for (int a = 0; a < jac.rows(); a++) {
                for (int b = 0; b < jac.rows(); b++) {
                    double s = 0;
                    for (int j = 0; j < jac.cols(); j++) {
                        s += jac.get(a, j) * jac.get(b, j);
                    }
                    assertEquals(s, ntk.get(a, b), 1e-11 * (1 + Math.abs(s)), net.spec());
                }
            }
        }
    }

    @Test
    void gradientStepFollowsTheFiniteDifferenceGradientOfTheLoss() {
        for (int i = 0; i < SPECS.length; i++) {
            Network net = Network.parse(SPECS[i]);
            SplittableRandom r = new SplittableRandom(7 * i + 1);
            FiniteNetwork f = FiniteNetwork.sample(net, SHAPE, 2, 1, 31 + i, 1);
            Matrix x = BackpropagationTest.randomInputs(r, 3, SHAPE.features());
            double[] y = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            double[] p = f.parameters();
            double lr = 0.1;
            FiniteNetwork g = f.copy();
            g.step(x, y, lr);
            double[] q = g.parameters();
            for (int j = 0; j < p.length; j++) {
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[j] += H;
                minus[j] -= H;
                f.setParameters(plus);
                double lp = loss(f, x, y);
                f.setParameters(minus);
                double lm = loss(f, x, y);
                double fd = (lp - lm) / (2 * H);
                assertEquals(fd, (p[j] - q[j]) / lr, TOL * (1 + Math.abs(fd)), net.spec());
            }
        }
    }

    @Test
    void parameterCountsFollowTheSpec() {
        Network net = Network.parse("Conv(1, 0, filter=3x2, padding=VALID) Relu Dense(1, 0) "
                + "Residual(Relu Conv(1, 0, filter=3, padding=SAME)) Flatten Dense(1, 0)");
        FiniteNetwork f = FiniteNetwork.sample(net, new ImageShape(5, 4, 2), 7, 3, 1, 1);
        // conv 2 -> 7 over 3x2 taps, per-pixel Dense 7 -> 7, residual conv 7 -> 7 over 3x3 taps, readout 3x3x7 -> 3
        assertEquals(7 * 12 + 7 + 7 * 7 + 7 + 7 * 63 + 7 + 3 * 63 + 3, f.parameterCount());
        assertEquals(3, f.apply(BackpropagationTest.randomInputs(new SplittableRandom(1), 2, 40)).cols());
    }

    @Test
    void mistakesAreUserErrors() {
        Network conv = Network.parse("Conv(1, 0, filter=3, padding=VALID) Relu Flatten Dense(1, 0)");
        assertThrows(UserErrorException.class, () -> FiniteNetwork.sample(conv, 12, 8, 1, 1, 1));
        assertThrows(UserErrorException.class, () -> FiniteNetwork.sample(conv, new ImageShape(2, 5, 1), 8, 1, 1, 1));
        FiniteNetwork f = FiniteNetwork.sample(conv, new ImageShape(4, 4, 1), 8, 1, 1, 1);
        assertThrows(UserErrorException.class, () -> f.apply(Matrix.zeros(2, 15)));
    }

    private static double loss(FiniteNetwork f, Matrix x, double[] y) {
        double[] out = f.apply(x).data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (out[i] - y[i]) * (out[i] - y[i]);
        }
        return s / (2.0 * y.length);
    }
}
