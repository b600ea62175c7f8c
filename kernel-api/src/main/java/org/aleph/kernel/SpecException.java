package org.aleph.kernel;

/**
 * A mistake in a network spec. The message starts with {@code spec column N:} (1-based)
 * and says how to fix the mistake.
 */
public final class SpecException extends UserErrorException {

    private final int column;

    /**
     * @param column  1-based column of the offending token
     * @param problem what is wrong and how to fix it
     */
    public SpecException(int column, String problem) {
        super("spec column " + column + ": " + problem);
        this.column = column;
    }

    /** The 1-based column of the offending token. */
    public int column() {
        return column;
    }
}
