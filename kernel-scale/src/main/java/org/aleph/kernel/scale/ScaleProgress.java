package org.aleph.kernel.scale;

/**
 * Receives the progress of the stages of a tiled solve (tiles, preconditioner, iterations,
 * prediction), so a caller can show it with an estimate of the time left.
 */
@FunctionalInterface
public interface ScaleProgress {

    /** Nothing is reported. */
    ScaleProgress NONE = (stage, done, total) -> { };

    /**
     * {@code done} units of {@code total} of the named stage are finished. Called from the
     * solving thread; must be cheap.
     */
    void update(String stage, long done, long total);

    /**
     * The conjugate gradients finished an iteration with the given largest relative residual
     * over the targets still iterating (by default nothing happens).
     */
    default void iteration(int iteration, double residual) {
    }
}
