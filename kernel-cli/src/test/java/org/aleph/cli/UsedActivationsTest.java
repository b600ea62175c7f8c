package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;

/** {@link UsedActivations}: every activation of a spec once, in spec order, nested bodies included. */
class UsedActivationsTest {

    @Test
    void activationsInsideParallelRepeatAndResidualAreListedOnceInOrder() {
        ActivationRegistry registry = ActivationRegistry.defaultRegistry();
        Network net = Network.parse("Dense Erf Dense FanOut(2) Parallel(Relu Dense; Dense) FanInSum Repeat(2, Gelu Dense) "
                + "Residual(Sin Dense) Erf Dense", registry);
        List<String> names = UsedActivations.of(net, registry).stream().map(UsedActivations.Used::name).toList();
        assertEquals(List.of("Erf(a=1, b=1, c=0)", "Relu", "Gelu", "Sin(a=1, b=1, c=0)"), names);
        // the module path names the module, the class path (Surefire here) the jar
        UsedActivations.of(net, registry).forEach(u -> assertTrue(u.module().equals("org.aleph.kernel.activations")
                || u.module().startsWith("kernel-activations"), u.name() + " from " + u.module()));
    }
}
