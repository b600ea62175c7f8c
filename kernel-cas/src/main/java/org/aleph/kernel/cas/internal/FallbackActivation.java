package org.aleph.kernel.cas.internal;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.SymbolicDerivation;

/**
 * An {@code Expr} activation whose symbolic derivation did not succeed (no closed-form family,
 * a failed check, a timeout): quadrature on the compiled phi and phi', with the reason in its
 * provenance ({@code quadrature (...; <reason>)}). It still reports phi and phi' as text.
 */
final class FallbackActivation extends QuadratureActivation implements SymbolicDerivation {

    private final String phiText;
    private final String dphiText;
    private final String reason;

    FallbackActivation(String name, String phiText, String dphiText, DoubleUnaryOperator phi, DoubleUnaryOperator dphi,
                       double[] kinks, String reason) {
        super(name, phi, dphi, kinks, reason);
        this.phiText = phiText;
        this.dphiText = dphiText;
        this.reason = reason;
    }

    /** Why the derivation fell back. */
    String reason() {
        return reason;
    }

    @Override
    public String phi() {
        return phiText;
    }

    @Override
    public String dphi() {
        return dphiText;
    }

    @Override
    public String nngp() {
        return "";
    }

    @Override
    public String dnngp() {
        return "";
    }

    @Override
    public String latexNngp() {
        return "";
    }

    @Override
    public String latexDnngp() {
        return "";
    }

    @Override
    public List<Check> checks() {
        return List.of();
    }

    @Override
    public double maxRelativeError() {
        return Double.NaN;
    }
}
