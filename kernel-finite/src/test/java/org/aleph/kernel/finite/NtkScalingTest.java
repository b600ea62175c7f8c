package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Layers;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * The empirical NTK of one random network converges to the analytic NTK with fluctuations of
 * order width^-1/2 (Jacot et al. 2018; Arora et al. 2019): the mean relative Frobenius error
 * over networks, fitted on a log-log scale over widths 64..4096, has slope -0.5 +- 0.15, for a
 * closed-form kinked activation (Relu), a closed-form smooth one (Erf), one served by
 * quadrature (Tanh) and one whose kernel kernel-cas derives symbolically ({@code Expr("Sin(x)")}). Networks {@code Dense(1.5,0.05) phi Dense(1.5,0.05) phi Dense(1,0)} on 4
 * points on the sphere; fewer networks at the expensive widths (the relative error's spread
 * also shrinks with width).
 */
class NtkScalingTest {

    private static final int[] WIDTHS = {64, 256, 1024, 4096};
    private static final int[] SEEDS = {12, 8, 4, 2};

    @Test
    void reluNtkErrorScalesAsInverseSquareRootOfWidth() {
        assertSlope(TestActivations.relu());
    }

    @Test
    void erfNtkErrorScalesAsInverseSquareRootOfWidth() {
        assertSlope(TestActivations.erf());
    }

    @Test
    void tanhQuadratureNtkErrorScalesAsInverseSquareRootOfWidth() {
        assertSlope(TestActivations.tanh());
    }

    @Test
    void exprNtkErrorScalesAsInverseSquareRootOfWidth() {
        Network parsed = Network.parse("Dense(1, 0) Expr(\"Sin(x)\") Dense(1, 0)");
        assertSlope(parsed.layers().get(1));
    }

    private static void assertSlope(Layer phi) {
        Network net = Layers.serial(Layers.dense(1.5, 0.05), phi, Layers.dense(1.5, 0.05), phi, Layers.dense(1, 0));
        Matrix x = SphereData.points(4, 3, 11);
        Matrix exact = new KernelComputer(net, 2).compute(x, null).ntk();
        double[] err = new double[WIDTHS.length];
        for (int w = 0; w < WIDTHS.length; w++) {
            for (int s = 0; s < SEEDS[w]; s++) {
                FiniteNetwork f = FiniteNetwork.sample(net, 3, WIDTHS[w], 1, 1000 + s, 2);
                err[w] += Verification.relative(f.ntk(x), exact) / SEEDS[w];
            }
        }
        double slope = LogLogFit.slope(WIDTHS, err);
        assertEquals(-0.5, slope, 0.15, net + ": NTK errors " + java.util.Arrays.toString(err));
    }
}
