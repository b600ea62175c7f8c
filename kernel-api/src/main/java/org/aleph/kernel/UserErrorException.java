package org.aleph.kernel;

/**
 * The root of every error caused by what a user wrote: a spec, a file, an option.
 * Its message is one sentence that names the place (spec column, file:line, parameter)
 * and, where possible, how to fix it. The command line prints it without a stack trace
 * and exits with status 2.
 */
public class UserErrorException extends RuntimeException {

    /** @param message one sentence naming the place and the problem */
    public UserErrorException(String message) {
        super(message);
    }

    /** @param message one sentence naming the place and the problem; cause kept for debugging */
    public UserErrorException(String message, Throwable cause) {
        super(message, cause);
    }
}
