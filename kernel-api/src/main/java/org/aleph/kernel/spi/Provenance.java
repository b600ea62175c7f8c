package org.aleph.kernel.spi;

import java.util.Objects;

/**
 * Where an activation's expectations come from and how accurate they are promised to be.
 *
 * @param kind             closed form, derived symbolically, or numerical quadrature
 * @param detail           a short human-readable note: the reference of a closed form, the
 *                         quadrature rule, or why a symbolic derivation fell back; never null
 * @param relativeAccuracy the relative error the expectations promise (1e-15 for a closed
 *                         form evaluated in double precision, 1e-9 for smooth quadrature, ...)
 */
public record Provenance(Kind kind, String detail, double relativeAccuracy) {

    /** The three ways an expectation can be obtained. */
    public enum Kind {
        /** A formula written by hand from the literature. */
        CLOSED_FORM("closed form"),
        /** A formula derived by the computer algebra system and verified against quadrature. */
        SYMBOLIC("symbolic"),
        /** Numerical Gauss-Hermite quadrature from phi and phi' alone. */
        QUADRATURE("quadrature");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The lower-case label used in listings, e.g. {@code closed form}. */
        public String label() {
            return label;
        }
    }

    public Provenance {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        if (!(relativeAccuracy > 0)) {
            throw new IllegalArgumentException("relative accuracy must be positive: " + relativeAccuracy);
        }
    }

    /** A closed form with the given reference, accurate to a few ulps (1e-13 relative). */
    public static Provenance closedForm(String reference) {
        return new Provenance(Kind.CLOSED_FORM, reference, 1e-13);
    }

    /** A label such as {@code closed form (Cho & Saul 2009)}. */
    @Override
    public String toString() {
        return detail.isEmpty() ? kind.label() : kind.label() + " (" + detail + ")";
    }
}
