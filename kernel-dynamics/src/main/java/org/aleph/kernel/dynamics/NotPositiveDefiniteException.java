package org.aleph.kernel.dynamics;

import org.aleph.kernel.UserErrorException;

/**
 * A train-train kernel plus its regulariser is not numerically positive definite and the
 * regulariser was not allowed to grow. The message says by how much it fails (its smallest
 * eigenvalue, absolute and relative to the mean diagonal) and what regulariser would do.
 */
public final class NotPositiveDefiniteException extends UserErrorException {

    private final double smallestEigenvalue;
    private final double suggestedRegularizer;

    NotPositiveDefiniteException(String message, double smallestEigenvalue, double suggestedRegularizer) {
        super(message);
        this.smallestEigenvalue = smallestEigenvalue;
        this.suggestedRegularizer = suggestedRegularizer;
    }

    /** The smallest eigenvalue of the regularised kernel that failed. */
    public double smallestEigenvalue() {
        return smallestEigenvalue;
    }

    /** An absolute diagonal regulariser that makes the factorisation succeed. */
    public double suggestedRegularizer() {
        return suggestedRegularizer;
    }
}
