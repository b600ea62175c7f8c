package org.example.swish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.testkit.ActivationContract;
import org.junit.jupiter.api.Test;

/** SquaredRelu passes the whole contract (found by name, so its services entry is tested) and gives pinned values. */
class SquaredReluContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return ActivationRegistry.defaultRegistry().create("SquaredRelu", List.of(), Map.of());
    }

    @Test
    void pinnedValues() {
        Activation a = activation();
        double[] nngp = new double[3];
        double[] dnngp = new double[3];
        // u = v: E[relu(u)^4] = 3 q^2 / 2 and E[(2 relu(u))^2] = 2 q; u = -v: both 0 exactly; rho = 0: (q / 2)^2 and 1
        a.expectations(new double[] {2, 2, 4}, new double[] {2, -2, 0}, new double[] {2, 2, 1}, 3, nngp, dnngp);
        assertEquals(6.0, nngp[0], 1e-14);
        assertEquals(4.0, dnngp[0], 1e-14);
        assertEquals(0.0, nngp[1]);
        assertEquals(0.0, dnngp[1]);
        assertEquals(1.0, nngp[2], 1e-14); // E[relu(u)^2] E[relu(v)^2] = (4/2)(1/2)
        assertEquals(4 * Math.sqrt(4) / (2 * Math.PI) * 1, dnngp[2], 1e-14); // 4 s J_1(pi/2) / (2 pi), J_1 = 1
        assertEquals(Provenance.Kind.CLOSED_FORM, ActivationRegistry.defaultRegistry().find("SquaredRelu").orElseThrow()
                .provider().kind());
    }
}
