package org.aleph.kernel.dynamics;

import org.aleph.kernel.UserErrorException;

/**
 * The diagonal regulariser added to a train-train kernel before it is factorised,
 * K + r I, as neural-tangents' {@code diag_reg}: by default {@code r = value * trace(K) / n}
 * (relative to the mean diagonal), or {@code r = value} when {@code absolute}. With
 * {@code mayRaise} the factorisation may raise r when K + r I is not numerically positive
 * definite, and reports the value it used; without it, it refuses and says by how much the
 * kernel fails.
 *
 * @param value    the regulariser, at least 0
 * @param absolute whether {@code value} is in the kernel's units rather than relative to the mean diagonal
 * @param mayRaise whether a failing factorisation may raise it (reported)
 */
public record DiagonalRegularizer(double value, boolean absolute, boolean mayRaise) {

    /** No regulariser, never raised (neural-tangents' default {@code diag_reg = 0}). */
    public static final DiagonalRegularizer NONE = new DiagonalRegularizer(0, false, false);

    public DiagonalRegularizer {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new UserErrorException("diag-reg must be a finite number >= 0, got " + value + ".");
        }
    }

    /** {@code value} times the mean diagonal, never raised. */
    public static DiagonalRegularizer relative(double value) {
        return new DiagonalRegularizer(value, false, false);
    }

    /** {@code value} in absolute units, never raised. */
    public static DiagonalRegularizer absoluteValue(double value) {
        return new DiagonalRegularizer(value, true, false);
    }

    /** The same regulariser, allowed (or not) to be raised when a factorisation fails. */
    public DiagonalRegularizer raisable(boolean allowed) {
        return new DiagonalRegularizer(value, absolute, allowed);
    }

    /** The absolute amount added to the diagonal of a kernel with the given mean diagonal. */
    public double absoluteAmount(double meanDiagonal) {
        return absolute ? value : value * meanDiagonal;
    }
}
