package org.aleph.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --json} flag every reporting command shares (a picocli {@code @Mixin}): standard
 * output gets one JSON object (written by {@link JsonWriter}, numbers that are not finite as
 * {@code null}) instead of the text summary; messages and progress stay on standard error.
 * A flag takes no value, so picocli's own parse check is its only one: {@code --json=x} is a
 * parameter error, exit status 2.
 */
final class JsonOption {

    @Option(names = "--json", description = "Print one JSON object instead of the text summary.")
    boolean json;

    /** True when the report is one JSON object. */
    boolean on() {
        return json;
    }
}
