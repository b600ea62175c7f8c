package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.SplittableRandom;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * Backpropagation through branches (sum, product, concatenation, Repeat, nested) equals central
 * differences of the forward pass for every parameter, on small fully connected and
 * convolutional networks.
 */
class BranchBackpropagationTest {

    private static final double H = 1e-5;
    private static final double TOL = 1e-6;
    private static final List<String> FLAT = List.of(
            "Dense(1.2, 0.1) FanOut(3) Parallel(Identity; Tanh; Relu Dense(1.3, 0.1)) FanInSum Dense(1, 0.2)",
            "Dense(1.2, 0.1) FanOut(2) Parallel(Dense(0.9, 0.3); Tanh Dense) FanInProd Dense(1, 0.1)",
            "Dense(1.2, 0.1) FanOut(2) Parallel(Tanh; Dense Tanh) FanInConcat Dense(1, 0)",
            "Dense Repeat(2, Residual(Tanh) Dense(0.8, 0.1)) FanOut(2) Parallel(FanOut(2) Parallel(Identity; Dense) FanInProd Dense; Tanh) "
                    + "FanInConcat Dense");

    @Test
    void jacobianThroughBranchesEqualsCentralDifferences() {
        qt().withFixedSeed(1717L).withShrinkCycles(0).withExamples(8).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            Network net = Network.parse(FLAT.get(r.nextInt(FLAT.size())));
            int d = 1 + r.nextInt(3);
            FiniteNetwork f = FiniteNetwork.sample(net, d, 2 + r.nextInt(3), 1 + r.nextInt(2), seed, 1);
            check(net, f, BackpropagationTest.randomInputs(r, 2, d));
        });
    }

    @Test
    void jacobianThroughConvolutionalBranchesEqualsCentralDifferences() {
        Network net = Network.parse("Conv(1.2, 0.1, filter=2) FanOut(2) Parallel(Tanh Conv(1, 0.1, filter=3); Identity) FanInProd "
                + "FanOut(2) Parallel(Identity; Conv(0.9, 0, filter=1)) FanInConcat GlobalAvgPool Dense");
        ImageShape shape = new ImageShape(3, 3, 2);
        FiniteNetwork f = FiniteNetwork.sample(net, shape, 3, 2, 5, 1);
        check(net, f, BackpropagationTest.randomInputs(new SplittableRandom(5), 2, shape.features()));
    }

    private static void check(Network net, FiniteNetwork f, Matrix x) {
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
            for (int i = 0; i < jac.rows(); i++) {
                double fd = (fp[i] - fm[i]) / (2 * H);
                int row = i;
                int col = j;
                assertEquals(fd, jac.get(i, j), TOL * (1 + Math.abs(fd)),
                        () -> net + ": d f[" + row + "] / d p[" + col + "] differs from central differences");
            }
        }
        f.setParameters(p);
    }
}
