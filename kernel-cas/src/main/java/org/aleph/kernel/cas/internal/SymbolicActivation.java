package org.aleph.kernel.cas.internal;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.cas.CompiledKernel;
import org.aleph.kernel.quadrature.IntegrabilityProbe;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.SymbolicDerivation;
import org.aleph.kernel.spi.support.PointwiseActivation;

/**
 * An {@code Expr} activation whose expectations were derived symbolically, verified against
 * {@link SplitQuadrature} and compiled by {@link FormulaCompiler}. Immutable and thread-safe:
 * the compiled classes hold no state.
 */
final class SymbolicActivation extends PointwiseActivation implements SymbolicDerivation {

    /**
     * The smallest relative accuracy promised (of the Cauchy-Schwarz scale): the formulas are
     * exact, but their evaluation in double precision cancels; sums that cancel more than
     * 1e4-fold go to quadrature ({@link CancellationGuard}), and the cancellation inside
     * polynomial-times-rectified terms at variances near 10 was measured at 2e-11.
     */
    static final double PROMISED_ACCURACY = 1e-10;

    private final Formulas formulas;
    private final CompiledKernel kernel;
    private final List<Check> checks;
    private final double maxRelativeError;
    /** The domain of the closed forms: E[phi(u)^2] and E[phi'(u)^2] must exist at each variance. */
    private final IntegrabilityProbe phiProbe;
    private final IntegrabilityProbe dphiProbe;

    /** The texts of one derivation. */
    record Formulas(String phi, String dphi, String nngp, String dnngp, String latexNngp, String latexDnngp) {
    }

    SymbolicActivation(String name, Formulas formulas, DoubleUnaryOperator phi, DoubleUnaryOperator dphi,
                       CompiledKernel kernel, double[] kinks, List<Check> checks, double maxRelativeError, String detail) {
        // promise what was verified: exact formulas evaluated in double precision, or ten times
        // the largest verified error where a special function (bvn) limits the accuracy
        super(name, phi, dphi, kinks, new Provenance(Provenance.Kind.SYMBOLIC, detail,
                Math.max(PROMISED_ACCURACY, 10 * maxRelativeError)));
        this.formulas = formulas;
        this.kernel = kernel;
        this.checks = List.copyOf(checks);
        this.maxRelativeError = maxRelativeError;
        this.phiProbe = new IntegrabilityProbe(name, phi, "phi");
        this.dphiProbe = new IntegrabilityProbe(name, dphi, "phi'");
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
