package org.aleph.kernel.testkit;

import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;

/** kernel-api's own Identity (E[uv] = q12, E[1] = 1) passes the contract. */
class IdentityContractTest implements ActivationContract {
    @Override
    public Activation activation() {
        return ActivationRegistry.defaultRegistry().create("Identity");
    }
}
