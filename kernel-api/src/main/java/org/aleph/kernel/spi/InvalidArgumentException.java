package org.aleph.kernel.spi;

/**
 * Thrown by a provider when an argument value is out of its domain, e.g. a negative
 * exponent for {@code Monomial(n)}. The spec parser turns it into a message naming the
 * spec column.
 */
public class InvalidArgumentException extends IllegalArgumentException {

    private final String parameter;

    /**
     * @param parameter the parameter's name
     * @param message   one sentence saying what is wrong and what is allowed
     */
    public InvalidArgumentException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The name of the offending parameter. */
    public String parameter() {
        return parameter;
    }
}
