package org.aleph.cli;

import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.Network;
import org.aleph.kernel.SpecException;
import org.aleph.kernel.UserErrorException;
import picocli.CommandLine.Option;

/**
 * The {@code --net} option of the commands that build a network (a picocli {@code @Mixin}),
 * and its one check: the spec parses ({@link Network#parse}) against the run's registry. A
 * missing spec and every parse error are a {@link UserErrorException} (exit status 2) in one
 * line naming {@code --net}; a parse error keeps the spec's 1-based column first
 * ({@code spec column 17: unknown layer 'Rleu'; did you mean Relu? (in --net)}).
 *
 * <p>Not {@code required} for picocli: {@code aleph predict} may take its kernels from files
 * instead, so each command asks for {@link #network} when it needs one and the check happens there.
 */
final class NetOption {

    /** The example shown when {@code --net} is missing. */
    static final String EXAMPLE = "Dense(1.5,0.05) Relu Dense(1,0)";

    @Option(names = "--net", paramLabel = "SPEC", description = "The network, e.g. \"" + EXAMPLE + "\" (see docs/layers.md).")
    String spec;

    /** True when {@code --net} was given. */
    boolean given() {
        return spec != null;
    }

    /** The spec as the user wrote it, or null when {@code --net} was not given. */
    String spec() {
        return spec;
    }

    /**
     * The network of {@code --net}.
     *
     * @throws UserErrorException when {@code --net} is missing, or its spec does not parse
     *         (the message starts with {@code spec column N:} and ends with {@code (in --net)})
     */
    Network network(ActivationRegistry registry) {
        if (spec == null) {
            throw new UserErrorException("--net is missing: give the network, e.g. --net \"" + EXAMPLE + "\"");
        }
        try {
            return Network.parse(spec, registry);
        } catch (SpecException e) {
            throw new UserErrorException(e.getMessage() + " (in --net)", e);
        }
    }
}
