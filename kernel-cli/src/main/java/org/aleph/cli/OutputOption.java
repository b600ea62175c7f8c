package org.aleph.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.io.OutputGroup;
import org.aleph.kernel.io.OutputGroup.Target;
import picocli.CommandLine.Option;

/**
 * The {@code --out} folder of the commands that write several named files (a picocli
 * {@code @Mixin}), and its one check, made before any work: the folder exists or is created
 * when its parent does ({@link OutputFolder#check}); a file, or a folder whose parent is
 * missing, is refused, and so is any output that would replace one of the run's inputs
 * (compared as real files, {@link OutputGroup#requireDistinct}). Each refusal is a
 * {@link UserErrorException} (exit status 2) in one line naming {@code --out}.
 *
 * <p>No default in the annotation: each command passes its own to {@link #folder(String)}
 * ({@code phase} and {@code dual} the current folder, {@code demo} {@code demo-out});
 * {@code sweep} writes nothing without it ({@link #given()}).
 */
final class OutputOption {

    /** The option's name, as messages give it. */
    static final String NAME = "--out";

    @Option(names = NAME, paramLabel = "DIR",
            description = "Folder for the files, created when its parent exists (default: the current folder; for demo: demo-out;"
                    + " sweep writes no files without it).")
    Path out;

    /** True when {@code --out} was given. */
    boolean given() {
        return out != null;
    }

    /**
     * The checked output folder: {@code --out}, or {@code fallback} when it was not given.
     *
     * @throws UserErrorException when the folder is a file, cannot be created, or is not writable
     */
    Path folder(String fallback) {
        Path dir = out != null ? out : Path.of(fallback);
        OutputFolder.check(dir, NAME);
        return dir;
    }

    /**
     * The checked output folder, or null when {@code --out} was not given (for a command that
     * writes files only on request, such as {@code sweep}).
     *
     * @throws UserErrorException as {@link #folder(String)}
     */
    Path folderIfGiven() {
        return out == null ? null : folder(".");
    }

    /**
     * Checks that none of the files {@code names} in {@code folder} is one of {@code inputs}.
     *
     * @throws UserErrorException naming {@code --out}, the input's option and the file
     */
    static void requireNoInput(Path folder, List<String> names, List<Target> inputs) {
        List<Target> outputs = new ArrayList<>();
        for (String name : names) {
            outputs.add(new Target(NAME, folder.resolve(name)));
        }
        OutputGroup.requireDistinct(outputs, inputs);
    }
}
