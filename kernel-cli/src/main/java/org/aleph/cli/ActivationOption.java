package org.aleph.cli;

import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.SpecException;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Activation;

/** The {@code --act} option of {@code phase}, {@code dual} and {@code sweep}: one activation, parsed as a spec parses it. */
final class ActivationOption {

    private ActivationOption() {
    }

    /**
     * Parses an activation such as {@code Erf} or {@code LeakyRelu(0.1)} with the registry
     * (plug-ins, argument checking and messages as in {@code --net}).
     *
     * @throws UserErrorException naming the option and the column when the text is not exactly one activation
     */
    static Activation parse(String text, ActivationRegistry registry, String option) {
        try {
            return registry.parse(text);
        } catch (SpecException e) {
            String problem = e.getMessage().replaceFirst("^spec column \\d+: ", "");
            throw new UserErrorException(option + " column " + e.column() + ": " + problem, e);
        }
    }
}
