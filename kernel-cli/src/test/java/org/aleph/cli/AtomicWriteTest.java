package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.aleph.kernel.io.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs are complete or absent: no partial file, no leftover temporary file, an old output kept on failure. */
class AtomicWriteTest {

    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aFailingWriterLeavesNothingBehind() throws IOException {
        Path target = dir.resolve("k.csv");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("1.0,2.0\n3.0,".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals(List.of(), files());
    }

    @Test
    void aFailingWriterKeepsTheOldFile() throws IOException {
        Path target = dir.resolve("k.csv");
        Files.writeString(target, "old\n");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("boom");
        }));
        assertEquals("old\n", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aSuccessfulWriteReplacesTheFileAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("k.csv");
        Files.writeString(target, "old\n");
        AtomicFiles.write(target, out -> out.write("new\n".getBytes()));
        assertEquals("new\n", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aBadSpecWritesNoOutputAndKeepsExistingOnes() throws IOException {
        Path x = dir.resolve("x.csv");
        Files.writeString(x, "1,2\n3,4\n");
        Path k = dir.resolve("k.npy");
        Path t = dir.resolve("t.csv");
        Files.writeString(t, "previous\n");
        Cli.Result r = Cli.run("kernel", "--net", "Dense Relu Dense(1,0", "--x1", x.toString(), "--nngp", k.toString(), "--ntk", t.toString());
        assertEquals(2, r.status(), r::toString);
        assertFalse(Files.exists(k));
        assertEquals("previous\n", Files.readString(t));
        assertEquals(List.of(t, x), files());
    }

    @Test
    void aBadSecondInputWritesNoOutput() throws IOException {
        Path x = dir.resolve("x.csv");
        Files.writeString(x, "1,2\n3,4\n");
        Path bad = dir.resolve("y.csv");
        Files.writeString(bad, "1,2\n3\n");
        Path k = dir.resolve("k.csv");
        Cli.Result r = Cli.run("kernel", "--net", "Dense Relu Dense", "--x1", x.toString(), "--x2", bad.toString(), "--nngp", k.toString());
        assertEquals(2, r.status(), r::toString);
        assertFalse(Files.exists(k));
    }
}
