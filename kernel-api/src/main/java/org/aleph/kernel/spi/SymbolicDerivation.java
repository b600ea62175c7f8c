package org.aleph.kernel.spi;

import java.util.List;

/**
 * Optional capability of an {@link Activation} whose expectations were derived by a
 * computer algebra system (the {@code Expr} activation of module {@code org.aleph.kernel.cas}):
 * the formulas it derived and the check of those formulas against quadrature.
 *
 * <p>A caller tests {@code activation instanceof SymbolicDerivation}; nothing else in the
 * kernel depends on it, so a program works unchanged when no CAS module is present. When
 * the derivation fell back to quadrature ({@link Activation#provenance()} of kind
 * {@code QUADRATURE}) the formula methods return empty strings and {@link #checks()} is empty.
 */
public interface SymbolicDerivation {

    /** phi(x) as the CAS read it (Symja input form). Never null. */
    String phi();

    /** The almost-everywhere derivative phi'(x) (Symja input form). Never null. */
    String dphi();

    /** E[phi(u) phi(v)] as a formula in q11, q12, q22 (Symja input form); empty after a fallback. */
    String nngp();

    /** E[phi'(u) phi'(v)] as a formula in q11, q12, q22 (Symja input form); empty after a fallback. */
    String dnngp();

    /** {@link #nngp()} as LaTeX; empty after a fallback. */
    String latexNngp();

    /** {@link #dnngp()} as LaTeX; empty after a fallback. */
    String latexDnngp();

    /** The comparisons with quadrature that the formulas passed (or failed); never null. */
    List<Check> checks();

    /** The largest relative difference in {@link #checks()}; NaN when there are none. */
    double maxRelativeError();

    /**
     * One comparison of the derived formulas with quadrature at a covariance triple.
     *
     * @param q11             variance of u
     * @param q12             covariance
     * @param q22             variance of v
     * @param nngp            E[phi(u) phi(v)] from the formula
     * @param nngpQuadrature  the same by quadrature
     * @param dnngp           E[phi'(u) phi'(v)] from the formula
     * @param dnngpQuadrature the same by quadrature
     * @param relativeError   the larger of the two differences relative to the scale of the values
     */
    record Check(double q11, double q12, double q22, double nngp, double nngpQuadrature,
                 double dnngp, double dnngpQuadrature, double relativeError) {
    }
}
