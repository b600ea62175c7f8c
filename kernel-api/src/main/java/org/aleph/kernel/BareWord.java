package org.aleph.kernel;

/**
 * An unquoted word or size in a spec's argument list, such as {@code SAME} in
 * {@code padding=SAME} or {@code 3x5} in {@code filter=3x5}. Only the structural layers
 * accept one; an activation's parameter reports it as neither a number nor a quoted string.
 *
 * @param text the word as written
 */
record BareWord(String text) {
    @Override
    public String toString() {
        return text;
    }
}
