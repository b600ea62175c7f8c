package org.aleph.kernel.cas;

import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/** A symbolic Expr passes the plug-in contract of kernel-testkit, found through ServiceLoader. */
class ExprContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return ActivationRegistry.defaultRegistry().create("Expr", java.util.List.of("Sin(x) + x^2/2"), java.util.Map.of());
    }

    @Override
    public double largestVariance() {
        return 20;
    }
}
