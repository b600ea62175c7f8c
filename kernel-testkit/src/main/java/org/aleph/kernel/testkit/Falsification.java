package org.aleph.kernel.testkit;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.opentest4j.AssertionFailedError;
import org.quicktheories.core.Gen;

/**
 * Runs one QuickTheories property and reports a failure twice: as QuickTheories' shrunk case
 * (the simplest falsifying value it found, e.g. a triple with a zero variance or rho exactly -1,
 * which tells what breaks) and as the first falsifying value the generator drew before any
 * shrinking (a typical case, which tells how often and where it breaks in practice; a shrunk
 * case alone can send the reader after an edge the activation handles on purpose).
 */
final class Falsification {

    /** The heading of the unshrunk case in a failure message. */
    static final String FIRST_FAILURE = "First falsifying value before shrinking (a typical case)";

    private Falsification() {
    }

    /**
     * Checks {@code property} on {@code examples} values of {@code gen} with the contract's seed.
     *
     * @throws AssertionFailedError when the property fails: QuickTheories' report of the shrunk
     *                              value, then the first failing value and its own message
     */
    static <T> void check(ActivationContract c, int examples, Gen<T> gen, Consumer<T> property) {
        AtomicReference<String> first = new AtomicReference<>();
        try {
            ExpectationChecks.theory(c, examples).forAll(gen).checkAssert(value -> {
                try {
                    property.accept(value);
                } catch (AssertionError | RuntimeException e) {
                    first.compareAndSet(null, value + "\n  " + e.getMessage());
                    throw e;
                }
            });
        } catch (AssertionError e) {
            if (first.get() == null) {
                throw e;
            }
            throw new AssertionFailedError(e.getMessage() + "\n" + FIRST_FAILURE + ":\n  " + first.get(), e);
        }
    }
}
