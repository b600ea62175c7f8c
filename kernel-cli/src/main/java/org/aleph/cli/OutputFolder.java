package org.aleph.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.io.OutputGroup;

/**
 * The output folder of the commands that write several named files ({@code phase},
 * {@code dual}, {@code sweep}, {@code demo}): checked up front, files staged in an
 * {@link OutputGroup} so that they appear together, names derived from activation specs.
 */
final class OutputFolder {

    private OutputFolder() {
    }

    /** Checks that an output folder exists (creating it when its parent exists) and is writable. */
    static void check(Path dir, String option) {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (Files.exists(dir) || parent == null || !Files.isDirectory(parent)) {
                throw new UserErrorException(option + " " + dir + ": not a folder" + (Files.exists(dir) ? "" : " (and its parent does not exist)"));
            }
            try {
                Files.createDirectory(dir);
            } catch (IOException e) {
                throw new UserErrorException(option + " " + dir + ": cannot create the folder (" + e.getMessage() + ")");
            }
        }
        if (!Files.isWritable(dir)) {
            throw new UserErrorException(option + " " + dir + ": the folder is not writable");
        }
    }

    /** Stages a UTF-8 text file in {@code group} (it appears at the group's commit); returns its path. */
    static Path stageText(OutputGroup group, Path file, String text) {
        group.stage(file, "--out", o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    /** An activation spec as a file name: {@code LeakyRelu(0.1)} -&gt; {@code LeakyRelu_0.1}. */
    static String fileName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9.=+-]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "activation" : s;
    }
}
