package org.aleph.kernel.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * {@code Relu Erf} (issue 17): the kernel of the composed activation erf(relu(x)) agrees with
 * random finite networks that apply Relu and then Erf to every unit, within 4 standard errors
 * (NNGP through the readout estimator, plus its O(1/n) allowance; NTK by Monte Carlo of the
 * empirical NTK at width 512).
 */
class ActivationCompositionFiniteTest {

    @Test
    void reluErfAgreesWithFiniteNetworks() {
        Network net = Network.parse("Dense(1.5, 0.1) Relu Erf Dense(1.2, 0.05) Relu Erf Dense(1, 0)");
        assertEquals(5, net.layers().size(), "each Relu Erf is one layer");
        assertTrue(((Layer.Nonlinearity) net.layers().get(1)).activation().provenance().detail().startsWith("composition of Relu then Erf"));
        SplittableRandom r = new SplittableRandom(5);
        Matrix x = BackpropagationTest.randomInputs(r, 3, 4);
        KernelResult k = new KernelComputer(net, 2).compute(x, null);
        int width = 512;
        KernelEstimate nngp = MonteCarloKernels.readoutNngp(net, x, width, 40, 11, 2);
        KernelEstimate ntk = MonteCarloKernels.ntk(net, x, width, 24, 12, 2);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double scale = Math.sqrt(k.nngp().get(i, i) * k.nngp().get(j, j));
                double allowed = 4 * nngp.standardError().get(i, j) + 4.0 / width * scale;
                assertEquals(k.nngp().get(i, j), nngp.mean().get(i, j), allowed, "NNGP (" + i + "," + j + ")");
                double tscale = Math.sqrt(k.ntk().get(i, i) * k.ntk().get(j, j));
                assertEquals(k.ntk().get(i, j), ntk.mean().get(i, j), 4 * ntk.standardError().get(i, j) + 4.0 / width * tscale,
                        "NTK (" + i + "," + j + ")");
            }
        }
    }
}
