package org.aleph.kernel.cas.internal;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.cas.CompiledKernel;
import org.aleph.kernel.quadrature.IntegrabilityProbe;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.SymbolicDerivation;

/**
 * An {@code Expr} activation whose expectations were derived symbolically, verified against
 * {@link SplitQuadrature} and compiled by {@link FormulaCompiler}. Immutable and thread-safe:
 * the compiled classes hold no state.
 */
final class SymbolicActivation implements Activation, SymbolicDerivation {

    /**
     * The smallest relative accuracy promised (of the Cauchy-Schwarz scale): the formulas are
     * exact, but their evaluation in double precision cancels; sums that cancel more than
     * 1e4-fold go to quadrature ({@link CancellationGuard}), and the cancellation inside
     * polynomial-times-rectified terms at variances near 10 was measured at 2e-11.
     */
    static final double PROMISED_ACCURACY = 1e-10;

    private final String name;
    private final Formulas formulas;
    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator dphi;
    private final CompiledKernel kernel;
    private final double[] kinks;
    private final List<Check> checks;
    private final double maxRelativeError;
    private final Provenance provenance;
    /** The domain of the closed forms: E[phi(u)^2] and E[phi'(u)^2] must exist at each variance. */
    private final IntegrabilityProbe phiProbe;
    private final IntegrabilityProbe dphiProbe;

    /** The texts of one derivation. */
    record Formulas(String phi, String dphi, String nngp, String dnngp, String latexNngp, String latexDnngp) {
    }

    SymbolicActivation(String name, Formulas formulas, DoubleUnaryOperator phi, DoubleUnaryOperator dphi,
                       CompiledKernel kernel, double[] kinks, List<Check> checks, double maxRelativeError, String detail) {
        this.name = name;
        this.formulas = formulas;
        this.phi = phi;
        this.dphi = dphi;
        this.kernel = kernel;
        this.kinks = kinks.clone();
        this.checks = List.copyOf(checks);
        this.maxRelativeError = maxRelativeError;
        // promise what was verified: exact formulas evaluated in double precision, or ten times
        // the largest verified error where a special function (bvn) limits the accuracy
        this.provenance = new Provenance(Provenance.Kind.SYMBOLIC, detail,
                Math.max(PROMISED_ACCURACY, 10 * maxRelativeError));
        this.phiProbe = new IntegrabilityProbe(name, phi, "phi");
        this.dphiProbe = new IntegrabilityProbe(name, dphi, "phi'");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double phi(double x) {
        return phi.applyAsDouble(x);
    }

    @Override
    public double dphi(double x) {
        return dphi.applyAsDouble(x);
    }

    @Override
    public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
        // a closed form holds only where the expectation exists (e.g. E[exp(u^2) exp(v^2)] needs
        // I - 2 Sigma positive definite); outside, its value would be a number without meaning
        phiProbe.requireIntegrable(q11, q22, n);
        if (dnngp != null) {
            dphiProbe.requireIntegrable(q11, q22, n);
        }
        kernel.expectations(q11, q12, q22, n, nngp, dnngp);
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    @Override
    public double[] kinks() {
        return kinks.clone();
    }

    @Override
    public String phi() {
        return formulas.phi();
    }

    @Override
    public String dphi() {
        return formulas.dphi();
    }

    @Override
    public String nngp() {
        return formulas.nngp();
    }

    @Override
    public String dnngp() {
        return formulas.dnngp();
    }

    @Override
    public String latexNngp() {
        return formulas.latexNngp();
    }

    @Override
    public String latexDnngp() {
        return formulas.latexDnngp();
    }

    @Override
    public List<Check> checks() {
        return checks;
    }

    @Override
    public double maxRelativeError() {
        return maxRelativeError;
    }
}
