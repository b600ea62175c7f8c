package org.aleph.kernel.scale;

import java.util.Locale;
import org.aleph.kernel.UserErrorException;

/**
 * How the values of a kernel tile are stored on disk. The recursion computes in float64 and
 * every product accumulates in float64; float32 storage rounds each entry once (relative error
 * at most 2^-24 = 6e-8), halving the bytes read per conjugate-gradient iteration (7.2 GB
 * instead of 14.4 GB for the upper triangle of a 60 000-point kernel). The perturbation E of K
 * is far below the regulariser (|E|_2 about 2 sqrt(n) 3.5e-8 max|K|, 1.7e-5 of the mean diagonal at
 * n = 60 000, against r = 1e-4 of it); docs/scale.md has the measured labels and accuracies
 * of both.
 */
public enum TilePrecision {
    /** IEEE single precision, 4 bytes per entry (the default). */
    FLOAT32(4),
    /** IEEE double precision, 8 bytes per entry (bit for bit the recursion's values). */
    FLOAT64(8);

    private final int bytes;

    TilePrecision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored entry. */
    public int bytes() {
        return bytes;
    }

    /** The name as the command line spells it: float32, float64. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision named {@code float32} or {@code float64} (case ignored).
     *
     * @throws UserErrorException for any other name
     */
    public static TilePrecision parse(String name) {
        for (TilePrecision p : values()) {
            if (p.label().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new UserErrorException("--tile-precision must be float32 or float64, got '" + name + "'");
    }
}
