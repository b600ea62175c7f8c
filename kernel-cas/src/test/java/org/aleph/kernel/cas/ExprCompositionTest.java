package org.aleph.kernel.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Test;

/**
 * Two Expr activations in a row (issue 17) are one activation, their composition by quadrature:
 * {@code Expr("Sin(x)") Expr("x^2/2 + x")} has the kernel of {@code Expr("Sin(x)^2/2 + Sin(x)")},
 * which the CAS derives in closed form, to the quadrature's promise.
 */
class ExprCompositionTest {

    @Test
    void twoExprsComposeToTheExprOfTheComposition() {
        Network composed = Network.parse("Dense(1.3, 0.2) Expr(\"Sin(x)\") Expr(\"x^2/2 + x\") Dense(1, 0)");
        Network direct = Network.parse("Dense(1.3, 0.2) Expr(\"Sin(x)^2/2 + Sin(x)\") Dense(1, 0)");
        assertEquals(3, composed.layers().size());
        Activation a = ((Layer.Nonlinearity) composed.layers().get(1)).activation();
        assertEquals(Provenance.Kind.QUADRATURE, a.provenance().kind());
        assertTrue(a.provenance().detail().startsWith("composition of Expr(expr=\"Sin(x)\") then Expr(expr=\"x^2/2 + x\"), by quadrature"),
                a.provenance().detail());
        for (double x = -3; x <= 3; x += 0.5) {
            double s = Math.sin(x);
            assertEquals(s * s / 2 + s, a.phi(x), 1e-14);
            assertEquals((s + 1) * Math.cos(x), a.dphi(x), 1e-14);
        }
        Matrix x = Matrix.of(new double[][] {{1, 0.5, -0.3}, {-0.2, 0.8, 1.1}, {0.4, -1, 0.2}, {1, 0.5, -0.3}});
        KernelResult kc = new KernelComputer(composed, 1).compute(x, null);
        KernelResult kd = new KernelComputer(direct, 1).compute(x, null);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double scale = Math.sqrt(kd.nngp().get(i, i) * kd.nngp().get(j, j));
                assertEquals(kd.nngp().get(i, j), kc.nngp().get(i, j), 4e-9 * scale, "NNGP " + i + "," + j);
                double tscale = Math.sqrt(kd.ntk().get(i, i) * kd.ntk().get(j, j));
                assertEquals(kd.ntk().get(i, j), kc.ntk().get(i, j), 4e-9 * tscale, "NTK " + i + "," + j);
            }
        }
        Activation d = ((Layer.Nonlinearity) direct.layers().get(1)).activation();
        System.out.println("Expr composition vs " + d.provenance());
    }
}
