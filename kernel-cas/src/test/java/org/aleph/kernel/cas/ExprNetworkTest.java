package org.aleph.kernel.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/**
 * A whole network with Expr layers gives the same NNGP and NTK as the same network with the
 * built-in activations of kernel-activations where the two coincide (Relu = Max(0,x),
 * Erf = Erf(x)), through the spec parser and ServiceLoader discovery.
 */
class ExprNetworkTest {

    private static final Matrix X = Matrix.of(new double[][] {
        {1.0, 0.5, -0.3}, {-0.2, 0.9, 1.4}, {0.0, 0.0, 0.0}, {2.0, -1.0, 0.5}, {-1.0, -0.5, 0.3}});

    private static void same(String builtin, String expr) {
        ActivationRegistry registry = ActivationRegistry.defaultRegistry();
        KernelResult a = new KernelComputer(Network.parse(builtin, registry), 1).compute(X, null);
        KernelResult b = new KernelComputer(Network.parse(expr, registry), 1).compute(X, null);
        double[] na = a.nngp().data(), nb = b.nngp().data(), ta = a.ntk().data(), tb = b.ntk().data();
        for (int i = 0; i < na.length; i++) {
            assertEquals(na[i], nb[i], 1e-12 * Math.max(1, Math.abs(na[i])), "nngp " + i);
            assertEquals(ta[i], tb[i], 1e-12 * Math.max(1, Math.abs(ta[i])), "ntk " + i);
        }
    }

    @Test
    void reluNetwork() {
        same("Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)",
                "Dense(1.5, 0.05) Expr(\"Max(0,x)\") Dense(1.5, 0.05) Expr(\"Max(0, x)\") Dense(1, 0)");
    }

    @Test
    void erfNetwork() {
        same("Dense(1.2, 0.1) Erf Dense(1, 0)", "Dense(1.2, 0.1) Expr(\"Erf(x)\") Dense(1, 0)");
    }
}
