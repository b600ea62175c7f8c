package org.aleph.kernel.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outputs of a command are committed as a group: all new or all old, never a temporary
 * left (issue 15, kind 3). Failures are provoked where they hurt: in the second of two outputs,
 * in the middle of the renames, and by the shutdown hook of an interrupted run.
 */
class OutputGroupTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path old(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "old " + name + "\n");
    }

    private void assertOld(Path... files) throws IOException {
        for (Path f : files) {
            assertEquals("old " + f.getFileName() + "\n", Files.readString(f));
        }
    }

    @Test
    void aFailingSecondOutputLeavesTheFirstOld() throws IOException {
        Path a = old("a.csv");
        Path b = old("b.csv");
        try (OutputGroup g = new OutputGroup()) {
            g.stage(a, "--mean", out -> out.write("new a\n".getBytes()));
            UserErrorException e = assertThrows(UserErrorException.class, () -> g.stage(b, "--var", out -> {
                out.write(new byte[1 << 20]);
                throw new IOException("No space left on device");
            }));
            assertTrue(e.getMessage().startsWith("--var " + b) && e.getMessage().contains("No space left"), e.getMessage());
        }
        assertOld(a, b);
        assertEquals(List.of("a.csv", "b.csv"), names());
    }

    @Test
    void aRenameThatFailsHalfWayPutsTheRenamedOutputsBack() throws IOException {
        Path a = old("a.csv");
        Path b = old("b.csv");
        Path c = dir.resolve("c.csv"); // new: must not exist after the rollback
        try (OutputGroup g = new OutputGroup()) {
            g.stage(a, "--nngp", out -> out.write("new a\n".getBytes()));
            g.stage(c, "--ntk", out -> out.write("new c\n".getBytes()));
            g.stage(b, "--var1", out -> out.write("new b\n".getBytes()));
            // the third rename will fail: its temporary vanishes (as on a file system that lost it)
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".b.csv.")).toList()) {
                    Files.delete(p);
                }
            }
            UserErrorException e = assertThrows(UserErrorException.class, g::commit);
            assertTrue(e.getMessage().startsWith("--var1 ") && e.getMessage().contains("no output was changed"), e.getMessage());
        }
        assertOld(a, b);
        assertEquals(List.of("a.csv", "b.csv"), names());
    }

    @Test
    void aRollbackRestoresASymbolicLinkTargetAsALink() throws IOException {
        Path real = old("real.csv");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), real);
        Path b = old("b.csv");
        try (OutputGroup g = new OutputGroup()) {
            g.stage(link, "--nngp", out -> out.write("new link\n".getBytes()));
            g.stage(b, "--ntk", out -> out.write("new b\n".getBytes()));
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".b.csv.")).toList()) {
                    Files.delete(p);
                }
            }
            assertThrows(UserErrorException.class, g::commit);
        }
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(real, Files.readSymbolicLink(link));
        assertOld(real, b);
        assertEquals(List.of("b.csv", "link.csv", "real.csv"), names());
    }

    @Test
    void aFailedStageLeavesTheGroupCommittable() throws IOException {
        Path a = old("a.csv");
        Path b = old("b.csv");
        try (OutputGroup g = new OutputGroup()) {
            assertThrows(IllegalStateException.class, () -> g.stage(a, "--mean", out -> {
                throw new IllegalStateException("formatting failed");
            }));
            g.stage(b, "--var", out -> out.write("new b\n".getBytes()));
            g.commit();
        }
        assertOld(a);
        assertEquals("new b\n", Files.readString(b));
        assertEquals(List.of("a.csv", "b.csv"), names());
    }

    @Test
    void aCommitReplacesEveryOutputAndLeavesNothingElse() throws IOException {
        Path a = old("a.csv");
        Path b = dir.resolve("b.npy");
        try (OutputGroup g = new OutputGroup()) {
            g.stage(a, "--mean", out -> out.write("new a\n".getBytes()));
            g.stage(b, "--cov", out -> out.write("new b\n".getBytes()));
            assertEquals(List.of("a.csv"), names().stream().filter(n -> !n.startsWith(".")).toList(), "nothing visible before the commit");
            g.commit();
        }
        assertEquals("new a\n", Files.readString(a));
        assertEquals("new b\n", Files.readString(b));
        assertEquals(List.of("a.csv", "b.npy"), names());
    }

    @Test
    void theShutdownHookStopsEveryGroupThatHasNotCommitted() throws IOException {
        Path a = old("a.csv");
        Path b = old("b.csv");
        try (OutputGroup g = new OutputGroup()) {
            g.stage(a, "--nngp", out -> out.write("new a\n".getBytes()));
            OutputGroup.abandonAll(); // what SIGINT / SIGTERM run
            try {
                assertThrows(UserErrorException.class, () -> g.stage(b, "--ntk", out -> out.write("new b\n".getBytes())));
                assertThrows(IllegalStateException.class, g::commit);
                assertOld(a, b);
                assertEquals(List.of("a.csv", "b.csv"), names());
            } finally {
                OutputGroup.resumeAfterTest();
            }
        }
    }

    @Test
    void collisionsAreFoundThroughLinksAndDotSegments() throws IOException {
        Path x = old("x.csv");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), x);
        Path hard = Files.createLink(dir.resolve("hard.csv"), x);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        OutputGroup.Target in = new OutputGroup.Target("--x1", link);
        for (Path out : new Path[] {x, link, hard, sub.resolve("..").resolve("x.csv")}) {
            UserErrorException e = assertThrows(UserErrorException.class,
                    () -> OutputGroup.requireDistinct(List.of(new OutputGroup.Target("--nngp", out)), List.of(in)));
            assertTrue(e.getMessage().contains("overwrite an input file (--x1"), e.getMessage());
        }
        Path n = dir.resolve("new.csv");
        UserErrorException twice = assertThrows(UserErrorException.class, () -> OutputGroup.requireDistinct(
                List.of(new OutputGroup.Target("--mean", n), new OutputGroup.Target("--var", sub.resolve("../new.csv"))), List.of()));
        assertTrue(twice.getMessage().startsWith("--var ") && twice.getMessage().contains("(--mean)"), twice.getMessage());
        OutputGroup.requireDistinct(List.of(new OutputGroup.Target("--mean", n), new OutputGroup.Target("--var", dir.resolve("v.csv")),
                new OutputGroup.Target("--cov", null)), List.of(in, new OutputGroup.Target("--x2", null)));
    }
}
