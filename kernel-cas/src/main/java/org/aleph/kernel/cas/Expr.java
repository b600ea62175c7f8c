package org.aleph.kernel.cas;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.aleph.kernel.cas.internal.Deriver;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Arguments;

/**
 * The Java entry point of symbolic derivation: {@code Expr.of("Sin(x) + x^2/2")} is the same
 * activation as {@code Expr("Sin(x) + x^2/2")} in a spec.
 *
 * <p>phi is decomposed into polynomial x exp(a x - c x^2) x cos(b x + d) terms, rectified
 * terms x^n UnitStep(x) (from Max, Min, Abs, Sign, UnitStep, Ramp) and Erf(k x) terms; the
 * expectations E[phi(u)phi(v)] and E[phi'(u)phi'(v)] are assembled from their closed forms
 * (moment generating function, Cho &amp; Saul's arc-cosine moments, Williams' arcsine kernel,
 * half-line integrals through Dawson's integral {@link Dawson} for trigonometric x rectified and
 * trigonometric x Erf cross terms),
 * checked against quadrature and compiled with Janino. The returned activation implements
 * {@link org.aleph.kernel.spi.SymbolicDerivation}; its provenance is {@code symbolic}, or
 * {@code quadrature} with the reason when no verified closed form was found.
 */
public final class Expr {

    private Expr() {
    }

    /**
     * The activation for phi with the default time limit of 10 s (or the system property
     * {@code aleph.cas.timeout}, in seconds).
     *
     * @param phi an expression in x (Symja syntax), never null
     * @throws org.aleph.kernel.spi.InvalidArgumentException when the expression is refused
     */
    public static Activation of(String phi) {
        return of(phi, org.aleph.kernel.cas.internal.ExprProvider.timeout());
    }

    /**
     * The activation for phi with a time limit for the symbolic derivation.
     *
     * @param phi     an expression in x (Symja syntax), never null
     * @param timeout the time limit; when it passes, the activation falls back to quadrature
     */
    public static Activation of(String phi, Duration timeout) {
        Objects.requireNonNull(phi, "phi");
        String name = new Arguments(Map.of("expr", phi)).toSpec("Expr");
        return Deriver.activation(phi, name, timeout);
    }
}
