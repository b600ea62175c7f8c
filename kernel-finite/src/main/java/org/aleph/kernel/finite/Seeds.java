package org.aleph.kernel.finite;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from a user seed, so that each weight row is drawn
 * from its own {@link SplittableRandom} and the sample does not depend on which thread drew it.
 * The mixing function is the SplitMix64 finaliser (Steele, Lea &amp; Flood 2014), which
 * {@link SplittableRandom} itself uses.
 */
final class Seeds {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix with full avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for the stream named by (seed, a, b); distinct triples give unrelated streams. */
    static long derive(long seed, long a, long b) {
        return mix(mix(mix(seed + GOLDEN) + a * GOLDEN) + b);
    }

    /** The stream named by (seed, a, b). */
    static SplittableRandom stream(long seed, long a, long b) {
        return new SplittableRandom(derive(seed, a, b));
    }
}
