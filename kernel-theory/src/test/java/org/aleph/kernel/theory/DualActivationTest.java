package org.aleph.kernel.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

class DualActivationTest {

    /** Unit inputs in d = 2 at angles a_i: |x|^2 / d = 1 and x_i . x_j / d = cos(a_i - a_j). */
    private static Matrix circle(double[] angles) {
        double[] data = new double[2 * angles.length];
        for (int i = 0; i < angles.length; i++) {
            data[2 * i] = Math.sqrt(2) * Math.cos(angles[i]);
            data[2 * i + 1] = Math.sqrt(2) * Math.sin(angles[i]);
        }
        return Matrix.wrap(angles.length, 2, data);
    }

    @Test
    void depthOneAndThreeEqualTheKernelRecursion() {
        double[] angles = {0, 0.1, 0.7, 1.5, 2.4, 3.0, Math.PI};
        String[][] cases = {{"Relu", "1.4", "0.1"}, {"Erf", "1.1", "0.3"}, {"Tanh", "1.3", "0.2"}, {"LeakyRelu(0.1)", "1.2", "0.05"}};
        for (String[] c : cases) {
            double sw = Double.parseDouble(c[1]);
            double sb = Double.parseDouble(c[2]);
            String dense = "Dense(" + sw + ", " + sb + ")";
            for (int depth : new int[] {1, 3}) {
                String spec = dense + (" " + c[0] + " " + dense).repeat(depth);
                Network net = Network.parse(spec);
                Activation act = ((org.aleph.kernel.Layer.Nonlinearity) net.layers().get(1)).activation();
                KernelResult k = new KernelComputer(net, 1).compute(circle(angles), null);
                double[] rho = new double[angles.length];
                for (int j = 0; j < angles.length; j++) {
                    rho[j] = Math.cos(angles[0] - angles[j]);
                }
                DualCurves dual = DualActivation.network(act, sw * sw, sb * sb).compose(rho, depth);
                for (int j = 0; j < angles.length; j++) {
                    double nngp = k.nngp().get(0, j);
                    double ntk = k.ntk().get(0, j);
                    assertEquals(nngp, dual.nngp(depth)[j], 1e-12 * Math.abs(k.nngp().get(0, 0)), spec + " nngp " + j);
                    assertEquals(ntk, dual.ntk(depth)[j], 1e-12 * Math.abs(k.ntk().get(0, 0)), spec + " ntk " + j);
                }
                assertEquals(k.var1()[0], dual.variance(depth), 1e-13 * dual.variance(depth));
            }
        }
    }

    @Test
    void unitVarianceReluDualIsTheComposedArcCosine() {
        // Daniely et al. 2016: the normalised Relu dual kappa(rho) = (sqrt(1 - rho^2) + (pi - acos rho) rho) / pi
        DualActivation dual = DualActivation.unitVariance(Activations.of("Relu"));
        assertEquals(2.0, dual.sw2(), 1e-15);
        double[] rho = {-1, -0.6, -0.1, 0, 0.3, 0.9, 1};
        DualCurves curves = dual.compose(rho, 3);
        for (int i = 0; i < rho.length; i++) {
            double r = rho[i];
            for (int l = 1; l <= 3; l++) {
                r = (Math.sqrt(1 - r * r) + (Math.PI - Math.acos(r)) * r) / Math.PI;
                assertEquals(r, curves.nngp(l)[i], 1e-14);
                assertEquals(1.0, curves.variance(l), 1e-14);
            }
        }
    }

    @Test
    void unitVarianceDualIsTheHermiteSeries() {
        // E[phi(u)phi(v)] at unit variances = sum_k a_k^2 rho^k (Daniely et al. 2016, sec. 4).
        for (String name : new String[] {"Erf", "Tanh", "Gelu", "Sin"}) {
            Activation act = Activations.of(name);
            double[] a = HermiteSpectrum.coefficients(act, 80);
            double norm = HermiteSpectrum.dualFromCoefficients(a, 1);
            double[] rho = {-0.9, -0.3, 0.2, 0.6, 0.95};
            DualCurves curves = DualActivation.unitVariance(act).compose(rho, 1);
            for (int i = 0; i < rho.length; i++) {
                assertEquals(HermiteSpectrum.dualFromCoefficients(a, rho[i]) / norm, curves.normalisedNngp(1)[i], 2e-9, name + " at " + rho[i]);
            }
        }
    }

    @Test
    void normalisedDualsMapTheIntervalIntoItselfAndFixOne() {
        double[] rho = new double[41];
        for (int i = 0; i < rho.length; i++) {
            rho[i] = -1 + 0.05 * i;
        }
        rho[40] = 1;
        for (String name : new String[] {"Relu", "Erf", "Gelu"}) {
            DualCurves c = DualActivation.network(Activations.of(name), 1.7, 0.1).compose(rho, 5);
            for (int l = 1; l <= 5; l++) {
                double[] k = c.normalisedNngp(l);
                double[] t = c.normalisedNtk(l);
                assertEquals(1.0, k[40], 1e-13);
                assertEquals(1.0, t[40], 1e-13);
                for (int i = 0; i < rho.length; i++) {
                    assertTrue(Math.abs(k[i]) <= 1 + 1e-12 && Math.abs(t[i]) <= 1 + 1e-12, name + " depth " + l);
                }
            }
        }
    }

    @Test
    void threadedCompositionEqualsOneBlockBitForBit() {
        double[] rho = SphereSpectrum.nodes();
        DualActivation dual = DualActivation.network(Activations.of("Gelu"), 1.8, 0.2);
        DualCurves one = dual.compose(rho, 3);
        DualCurves two = dual.compose(rho, 3, 2);
        for (int l = 1; l <= 3; l++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(one.nngp(l), two.nngp(l));
            org.junit.jupiter.api.Assertions.assertArrayEquals(one.ntk(l), two.ntk(l));
            assertEquals(one.variance(l), two.variance(l), 0.0);
        }
        // and the sphere spectrum from precomputed values is the same as from the kernel
        SphereSpectrum a = SphereSpectrum.of(t -> dual.compose(t, 3).ntk(3), 7, 12);
        SphereSpectrum b = SphereSpectrum.fromValues(two.ntk(3), 7, 12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.eigenvalues(), b.eigenvalues());
    }

    @Test
    void atTheFixedPointOneLayerIsTheCorrelationMap() {
        MeanField mf = new MeanField(Activations.of("Erf"));
        SignalPropagation p = mf.at(2.5, 0.1);
        DualCurves c = DualActivation.atFixedPoint(mf.activation(), 2.5, 0.1, p.qStar()).compose(new double[] {0.2, p.cStar()}, 1);
        assertEquals(mf.correlationMap(0.2, p.qStar(), 2.5, 0.1), c.normalisedNngp(1)[0], 1e-12);
        assertEquals(p.cStar(), c.normalisedNngp(1)[1], 1e-12);
        assertEquals(p.qStar(), c.variance(1), 1e-12 * p.qStar());
    }
}
