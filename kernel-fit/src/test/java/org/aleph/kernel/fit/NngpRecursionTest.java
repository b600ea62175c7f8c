package org.aleph.kernel.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The fit module's NNGP recursion against kernel-api's KernelComputer (an independent, tiled implementation). */
class NngpRecursionTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)",
        "Dense(2, 0.3) Erf Dense(0.7, 0.1) Tanh Dense(1.2, 0.2)",
        "Dense(1.3, 0.1) Relu LayerNorm Dense(1, 0.2) Residual(Gelu Dense(0.8, 0.1)) Sin Dense(1, 0)",
        "Dense(1.3, 0.1, parameterization=standard, width=50) Relu LayerNorm(eps=0.4) Dense(1, 0.2, parameterization=standard)",
    })
    void equalsKernelComputerOnSymmetricAndRectangularBlocks(String spec) {
        Network net = Network.parse(spec);
        Matrix x = Data.gaussian(150, 7, 3);
        // zero row and a duplicated, negated row: the correlation +-1 and zero-variance regimes
        double[] xd = x.data();
        java.util.Arrays.fill(xd, 7, 14, 0.0);
        for (int k = 0; k < 7; k++) {
            xd[2 * 7 + k] = -xd[3 * 7 + k];
        }
        PairLayout.Builder b = PairLayout.over(150);
        int sym = b.symmetric(0, 100);
        int rect = b.rectangular(100, 150, 0, 100);
        PairLayout layout = b.build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            KernelState s = layout.inputGram(x, LinearAlgebra.automatic());
            new NngpRecursion(layout, pool, 2).apply(s, net);
            Matrix train = Matrix.wrap(100, 7, java.util.Arrays.copyOfRange(xd, 0, 700));
            Matrix test = Matrix.wrap(50, 7, java.util.Arrays.copyOfRange(xd, 700, 1050));
            KernelResult kt = new KernelComputer(net, 1).compute(train, null);
            KernelResult kx = new KernelComputer(net, 1).compute(test, train);
            assertClose(kt.nngp().data(), layout.dense(s.entries(), sym), 1e-12);
            assertClose(kx.nngp().data(), layout.dense(s.entries(), rect), 1e-12);
            for (int i = 0; i < 100; i++) {
                assertEquals(kt.var1()[i], s.variances()[i], 1e-12 * Math.max(1, Math.abs(kt.var1()[i])));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void convolutionalSpecsAreRefusedUpFront() {
        Network net = Network.parse("Conv(1, 0, filter=3) Relu Flatten Dense(1, 0)");
        UserErrorException e = assertThrows(UserErrorException.class, () -> NngpRecursion.checkFullyConnected(net));
        assertTrue(e.getMessage().contains("fully connected"), e.getMessage());
        assertTrue(e.getMessage().contains("column 1"), e.getMessage());
    }

    @Test
    void dropoutIsRefusedWithItsColumn() {
        Network net = Network.parse("Dense(1, 0) Relu Dropout(0.1) Dense(1, 0)");
        UserErrorException e = assertThrows(UserErrorException.class, () -> NngpRecursion.checkFullyConnected(net));
        assertTrue(e.getMessage().contains("column 18") && e.getMessage().contains("Dropout"), e.getMessage());
    }

    @Test
    void branchesAndDropoutInsideThemAreRefusedWithTheirColumns() {
        // a branched network with Dropout inside a Parallel branch: the FanOut's column (branches are not fitted)
        Network branched = Network.parse("Dense(1, 0) FanOut(2) Parallel(Dropout(0.1) Dense; Identity) FanInSum Dense(1, 0)");
        UserErrorException e = assertThrows(UserErrorException.class, () -> NngpRecursion.checkFullyConnected(branched));
        assertTrue(e.getMessage().contains("column 13") && e.getMessage().contains("fully connected"), e.getMessage());
        Network repeated = Network.parse("Dense(1, 0) Repeat(2, Relu Dense) Dense(1, 0)");
        UserErrorException r = assertThrows(UserErrorException.class, () -> NngpRecursion.checkFullyConnected(repeated));
        assertTrue(r.getMessage().contains("column 13"), r.getMessage());
        // Dropout inside a Residual (which kernel-fit takes when it ends in Dense): Dropout's own column
        Network residual = Network.parse("Dense(1, 0) Relu Residual(Dense Dropout(0.2) Dense) Dense(1, 0)");
        UserErrorException d = assertThrows(UserErrorException.class, () -> NngpRecursion.checkFullyConnected(residual));
        assertTrue(d.getMessage().contains("column 33") && d.getMessage().contains("Dropout"), d.getMessage());
    }

    static void assertClose(double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rel * scale, "entry " + i);
        }
    }
}
