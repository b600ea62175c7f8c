package org.aleph.kernel.cas;

import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.testkit.ActivationContract;

/**
 * A kinked Expr (rectified family and polynomial, symbolic) passes the plug-in contract, zero
 * and tiny variances and rho = +-1 included. (ELU written as an expression passes the value
 * checks too, but the contract's adaptive reference needs minutes on exp(x) with a kink for
 * the default number of cases, too long for this suite.)
 */
class ExprKinkedContractTest implements ActivationContract {

    @Override
    public Activation activation() {
        return ActivationRegistry.defaultRegistry().create("Expr",
                java.util.List.of("Abs(x) + x^2/4 - Max(0,x)^3/8"), java.util.Map.of());
    }

}
