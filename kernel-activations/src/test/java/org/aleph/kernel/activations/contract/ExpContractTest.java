package org.aleph.kernel.activations.contract;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/**
 * The built-in {@code Exp(1, 0.5)} = exp(x / 2) passes the contract. Its products are
 * log-normal, exp(b (u + v)) with log-standard-deviation up to 2 b sqrt(q): variances are
 * kept to q &lt;= 4 so that the reference integrand exp(2 b s z - z^2/2) peaks well inside
 * the truncation |z| &lt;= 12 and Monte Carlo standard errors stay meaningful.
 */
class ExpContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return Builtins.create("Exp", 1, 0.5);
    }

    @Override
    public double largestVariance() {
        return 4;
    }
}
