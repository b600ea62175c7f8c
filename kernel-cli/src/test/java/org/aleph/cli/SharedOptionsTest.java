package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.io.OutputGroup.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of the shared mixins {@link NetOption}, {@link OutputOption} and
 * {@link JsonOption} in every command that has them: each mistake ends with status 2 and one
 * line on standard error that names the option, without a stack trace, before any work and
 * without writing a file.
 */
class SharedOptionsTest {

    static final String NET = "Dense(1.5,0.05) Relu Dense(1,0)";
    static final String BAD_NET = "Dense(1.5,0.05) Rleu Dense(1,0)";

    @TempDir
    Path dir;

    private static Cli.Result userError(String[] args, String... fragments) {
        Cli.Result r = Cli.run(args);
        assertEquals(2, r.status(), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertTrue(r.noStackTrace(), r::toString);
        assertEquals("", r.out(), r::toString);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), () -> "expected '" + f + "' in\n" + r);
        }
        return r;
    }

    private String[][] netCommands() throws IOException {
        Path x = Files.writeString(dir.resolve("x.csv"), "1,2\n3,4\n-1,0.5\n0.5,0.5\n");
        Path y = Files.writeString(dir.resolve("y.csv"), "1\n2\n3\n4\n");
        Path t = Files.writeString(dir.resolve("t.csv"), "0,1\n2,-1\n");
        Path train = Files.writeString(dir.resolve("train.csv"), "0,0.1,0.9\n1,1.2,0.1\n0,0.3,0.5\n1,0.9,0.2\n");
        return new String[][] {
            {"predict", "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", t.toString(), "--mean", dir.resolve("m.csv").toString()},
            {"verify", "--widths", "8", "--seeds", "1", "--steps", "2"},
            {"classify", "--train", train.toString(), "--test", train.toString(), "--n-train", "4", "--n-test", "2"},
            {"fit", "--train-x", x.toString(), "--train-y", y.toString()},
            {"kernel", "--x1", x.toString(), "--nngp", dir.resolve("k.npy").toString()},
        };
    }

    private static String[] with(String[] base, String... more) {
        String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }

    @Test
    void aMissingNetIsNamedByEveryCommandThatNeedsOne() throws IOException {
        for (String[] c : netCommands()) {
            userError(c, "--net", "missing");
        }
    }

    @Test
    void aSpecThatDoesNotParseGivesItsColumnAndTheOption() throws IOException {
        for (String[] c : netCommands()) {
            Cli.Result r = userError(with(c, "--net", BAD_NET), "spec column 17: unknown layer 'Rleu'", "Relu", "(in --net)");
            assertTrue(r.err().startsWith("aleph: spec column 17"), r::toString);
        }
        assertFalse(Files.exists(dir.resolve("m.csv")));
        assertFalse(Files.exists(dir.resolve("k.npy")));
    }

    @Test
    void anOutputFolderThatIsAFileOrHasNoParentIsRefusedByEveryCommandWithOut() throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "not a folder");
        Path x = Files.writeString(dir.resolve("x.csv"), "1,2\n3,4\n-1,0.5\n0.5,0.5\n");
        Path y = Files.writeString(dir.resolve("y.csv"), "1\n2\n3\n4\n");
        Path orphan = dir.resolve("missing").resolve("out");
        String[][] commands = {
            {"phase", "--act", "Relu", "--grid", "3"},
            {"dual", "--act", "Relu", "--depth", "1", "--points", "5", "--degree", "2"},
            {"demo", "--networks", "20"},
            {"sweep", "--act", "Relu", "--train-x", x.toString(), "--train-y", y.toString(), "--n-val", "1", "--sw2", "1", "--sb2", "0"},
        };
        for (String[] c : commands) {
            userError(with(c, "--out", file.toString()), "--out " + file, "not a folder");
            userError(with(c, "--out", orphan.toString()), "--out " + orphan, "parent does not exist");
        }
        assertEquals("not a folder", Files.readString(file));
        assertFalse(Files.exists(orphan.getParent()));
    }

    @Test
    void anOutputFolderIsOptionalOnlyWhereTheCommandSaysSo() throws IOException {
        OutputOption none = new OutputOption();
        assertEquals(null, none.folderIfGiven());
        assertEquals(Path.of("."), none.folder("."));
        OutputOption file = new OutputOption();
        file.out = Files.writeString(dir.resolve("f.txt"), "x");
        UserErrorException e = assertThrows(UserErrorException.class, file::folderIfGiven);
        assertTrue(e.getMessage().startsWith("--out " + file.out + ": not a folder"), e::getMessage);
        OutputOption fresh = new OutputOption();
        fresh.out = dir.resolve("new");
        assertEquals(fresh.out, fresh.folderIfGiven());
        assertTrue(Files.isDirectory(fresh.out), "created, its parent exists");
    }

    @Test
    void anOutputIsNeverAnInputOfTheRun() throws IOException {
        Path input = Files.writeString(dir.resolve("sweep.csv"), "1,2\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), input);
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> OutputOption.requireNoInput(dir, List.of("sweep.png", "sweep.csv"), List.of(new Target("--train-x", input))));
        assertTrue(e.getMessage().startsWith("--out ") && e.getMessage().contains("would overwrite an input file (--train-x"), e::getMessage);
        // compared as real files: a link to the input is the input
        assertThrows(UserErrorException.class,
                () -> OutputOption.requireNoInput(dir, List.of("link.csv"), List.of(new Target("--train-x", input))));
        assertDoesNotThrow(() -> OutputOption.requireNoInput(dir, List.of("sweep.png"), List.of(new Target("--train-x", input))));
        assertEquals("1,2\n", Files.readString(link));
    }

    @Test
    void aSweepNeverWritesOverItsOwnInput() throws IOException {
        Path x = Files.writeString(dir.resolve("sweep-Relu.csv"), "1,2\n3,4\n-1,0.5\n0.5,0.5\n");
        Path y = Files.writeString(dir.resolve("y.csv"), "1\n2\n3\n4\n");
        userError(new String[] {"sweep", "--act", "Relu", "--train-x", x.toString(), "--train-y", y.toString(), "--n-val", "1",
                "--sw2", "1", "--sb2", "0", "--out", dir.toString()}, "--out", "would overwrite an input file (--train-x");
        assertEquals("1,2\n3,4\n-1,0.5\n0.5,0.5\n", Files.readString(x));
    }

    @Test
    void jsonIsAFlagEverywhere() throws IOException {
        String[][] commands = {
            {"derive", "x^2"},
            {"phase", "--act", "Relu", "--sw2", "1.5", "--sb2", "0.1"},
            {"bench", "--n", "10", "--d", "3", "--no-peer", "--repeat", "1", "--nets", "relu"},
            {"fit", "--net", NET, "--train-x", "x.csv", "--train-y", "y.csv"},
            {"kernel", "--net", NET, "--x1", "x.csv"},
            {"activations"},
            {"sweep", "--act", "Relu", "--train-x", "x.csv", "--train-y", "y.csv"},
        };
        for (String[] c : commands) {
            userError(with(c, "--json=yes"), "--json");
        }
    }
}
