package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * Exact backpropagation against central finite differences (test only: the library never
 * differentiates numerically). For random specs (Relu, Erf, Tanh, Identity, LayerNorm,
 * Residual), random inputs and random parameters: the Jacobian, the empirical NTK and the
 * gradient step agree with differences of the forward pass. Central differences with step h
 * err by O(h^2 f''') + O(eps f / h), about 1e-9 at h = 1e-5 for these small networks, so a
 * tolerance of 1e-6 (relative to the scale of the derivative) leaves a wide margin while any
 * wrong backward rule (a missing factor c = W_std/sqrt(fan_in), a dropped normalisation
 * term) is off by O(1).
 */
class BackpropagationTest {

    private static final double H = 1e-5;
    private static final double TOL = 1e-6;

    @Test
    void jacobianEqualsCentralDifferences() {
        qt().withFixedSeed(20261128L).withShrinkCycles(0).withExamples(40).forAll(longs().all()).checkAssert(seed -> {
            Network net = RandomSpecs.network(seed);
            SplittableRandom r = new SplittableRandom(seed);
            int d = 1 + r.nextInt(3);
            int width = 2 + r.nextInt(4);
            int outputs = 1 + r.nextInt(2);
            FiniteNetwork f = FiniteNetwork.sample(net, d, width, outputs, seed, 1);
            Matrix x = randomInputs(r, 2, d);
            Matrix jac = f.jacobian(x);
            double[] p = f.parameters();
            int rows = jac.rows();
            for (int j = 0; j < p.length; j++) {
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[j] += H;
                minus[j] -= H;
                f.setParameters(plus);
                double[] fp = f.apply(x).data();
                f.setParameters(minus);
                double[] fm = f.apply(x).data();
                for (int i = 0; i < rows; i++) {
                    double fd = (fp[i] - fm[i]) / (2 * H);
                    double exact = jac.get(i, j);
                    int row = i;
                    int col = j;
                    assertEquals(fd, exact, TOL * (1 + Math.abs(fd)),
                            () -> net + ": d f[" + row + "] / d p[" + col + "] differs from central differences");
                }
            }
            f.setParameters(p);
        });
    }

    @Test
    void empiricalNtkEqualsJacobianProducts() {
        qt().withFixedSeed(7L).withShrinkCycles(0).withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            Network net = RandomSpecs.network(seed);
            SplittableRandom r = new SplittableRandom(~seed);
            int d = 1 + r.nextInt(4);
            int outputs = 1 + r.nextInt(3);
            FiniteNetwork f = FiniteNetwork.sample(net, d, 3 + r.nextInt(6), outputs, seed, 1);
            Matrix x = randomInputs(r, 3, d);
            Matrix jac = f.jacobian(x);
            Matrix ntk = f.ntk(x);
            int m = jac.rows();
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    double s = 0;
                    for (int j = 0; j < jac.cols(); j++) {
                        s += jac.get(a, j) * jac.get(b, j);
                    }
                    assertEquals(s, ntk.get(a, b), 1e-11 * (1 + Math.abs(s)), net.spec());
                    assertEquals(ntk.get(a, b), ntk.get(b, a), 0.0, "empirical NTK symmetric");
                }
            }
        });
    }

    @Test
    void gradientStepFollowsTheFiniteDifferenceGradientOfTheLoss() {
        qt().withFixedSeed(99L).withShrinkCycles(0).withExamples(25).forAll(longs().all()).checkAssert(seed -> {
            Network net = RandomSpecs.network(seed);
            SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
            int d = 1 + r.nextInt(3);
            int outputs = 1 + r.nextInt(2);
            FiniteNetwork f = FiniteNetwork.sample(net, d, 2 + r.nextInt(4), outputs, seed, 1);
            Matrix x = randomInputs(r, 3, d);
            double[] y = new double[3 * outputs];
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextGaussian();
            }
            double[] p = f.parameters();
            double lossBefore = loss(f, x, y);
            double lr = 0.1;
            double reported = f.copy().step(x, y, lr);
            assertEquals(lossBefore, reported, 1e-14 * (1 + lossBefore));
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
                double exact = (p[j] - q[j]) / lr;
                assertEquals(fd, exact, TOL * (1 + Math.abs(fd)), net.spec());
            }
        });
    }

    @Test
    void widthsFollowTheSpec() {
        Network net = Network.parse("Dense(1.5, 0.05) Relu Dense(1, 0.1) Residual(Relu Dense(1, 0)) LayerNorm Dense(1, 0)");
        FiniteNetwork f = FiniteNetwork.sample(net, 3, 7, 2, 1, 1);
        // Dense 3->7 (21 + 7), Dense 7->7 (49 + 7), residual Dense 7->7 (49 + 7), readout 7->2 (14 + 2)
        assertEquals(21 + 7 + 49 + 7 + 49 + 7 + 14 + 2, f.parameterCount());
        assertEquals(2, f.apply(Matrix.of(new double[][] {{1, 2, 3}})).cols());
        assertTrue(f.readoutNngp(Matrix.of(new double[][] {{1, 2, 3}})).get(0, 0) > 0);
    }

    private static double loss(FiniteNetwork f, Matrix x, double[] y) {
        double[] out = f.apply(x).data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (out[i] - y[i]) * (out[i] - y[i]);
        }
        return s / (2.0 * y.length);
    }

    static Matrix randomInputs(SplittableRandom r, int n, int d) {
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        return Matrix.wrap(n, d, x);
    }
}
