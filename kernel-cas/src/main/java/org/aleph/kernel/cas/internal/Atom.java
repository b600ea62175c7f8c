package org.aleph.kernel.cas.internal;

/**
 * One basis function of the decomposition of phi, without its coefficient:
 * <pre>
 *   x^n exp(a x - c x^2) cos(b x + d) [UnitStep(x - t)] [Erf(k x)]
 * </pre>
 * Numbers are kept as Symja input text (exact where the user wrote them exactly); the flags
 * record which of them are zero so that the formula builder can pick the right family.
 *
 * @param n    power of x, at least 0
 * @param a    exponential rate (text)
 * @param c    Gaussian rate, at least 0 (text)
 * @param b    frequency, at least 0 (text)
 * @param d    phase (text)
 * @param step whether the factor UnitStep(x) is present
 * @param erfK the rate k of a factor Erf(k x), or null
 * @param aZero whether a = 0
 * @param cZero whether c = 0
 * @param bZero whether b = 0 (then d = 0 too)
 * @param t    the threshold of the step (text), or null when it is 0 (or there is no step)
 */
record Atom(int n, String a, String c, String b, String d, boolean step, String erfK,
            boolean aZero, boolean cZero, boolean bZero, String t) {

    /** An atom whose step, if any, is at 0. */
    Atom(int n, String a, String c, String b, String d, boolean step, String erfK,
         boolean aZero, boolean cZero, boolean bZero) {
        this(n, a, c, b, d, step, erfK, aZero, cZero, bZero, null);
    }

    /** Whether the step sits at a non-zero threshold. */
    boolean shifted() {
        return step && t != null;
    }

    /** Whether the exponential-trigonometric part is the constant 1. */
    boolean plainExpTrig() {
        return aZero && bZero;
    }

    /** This atom with another power of x. */
    Atom withN(int m) {
        return new Atom(m, a, c, b, d, step, erfK, aZero, cZero, bZero, t);
    }

    /** This atom without its Gaussian factor. */
    Atom withoutGaussian() {
        return new Atom(n, a, "0", b, d, step, erfK, aZero, true, bZero, t);
    }

    /** A stable key for merging equal atoms. */
    String key() {
        return n + "|" + a + "|" + c + "|" + b + "|" + d + "|" + step + "|" + erfK + "|" + t;
    }
}
