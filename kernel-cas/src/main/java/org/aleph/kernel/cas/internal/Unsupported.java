package org.aleph.kernel.cas.internal;

/**
 * Raised inside a derivation when phi, or a product of two of its terms, lies outside the
 * families with known Gaussian expectations. Its message becomes the reason in the
 * provenance {@code quadrature: <reason>}.
 */
final class Unsupported extends Exception {

    /** @param reason a short phrase, e.g. {@code no closed form for Erf(x) times UnitStep(x)} */
    Unsupported(String reason) {
        super(reason, null, false, false);
    }
}
