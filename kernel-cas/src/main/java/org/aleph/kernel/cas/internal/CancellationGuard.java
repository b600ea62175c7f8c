package org.aleph.kernel.cas.internal;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.cas.CompiledKernel;
import org.aleph.kernel.quadrature.GaussianExpectation;

/**
 * The compiled formulas with a safety net: entries where the generated code reported
 * cancellation (NaN: the sum of the pair terms lost more than about four of its sixteen
 * digits, as ELU's e^u - 1 terms do at tiny variances) are recomputed by kernel-api's
 * quadrature on phi and phi'. Everywhere else the formulas are used as they are.
 */
final class CancellationGuard implements CompiledKernel {

    private final CompiledKernel formulas;
    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator dphi;
    private final GaussianExpectation quadrature;

    CancellationGuard(CompiledKernel formulas, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks) {
        this.formulas = formulas;
        this.phi = phi;
        this.dphi = dphi;
        this.quadrature = GaussianExpectation.forKinks(kinks);
    }

    @Override
    public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
        formulas.expectations(q11, q12, q22, n, nngp, dnngp);
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(nngp[i])) {
                nngp[i] = quadrature.expectation(phi, q11[i], q12[i], q22[i]);
            }
            if (dnngp != null && Double.isNaN(dnngp[i])) {
                dnngp[i] = quadrature.expectation(dphi, q11[i], q12[i], q22[i]);
            }
        }
    }
}
