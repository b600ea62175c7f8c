package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.Callable;
import org.aleph.kernel.UserErrorException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.junit.jupiter.api.Test;

/** The one place where exceptions become exit statuses, tested with a subcommand that fails on purpose. */
class ExitCodesTest {

    /** Throws what its argument says: "user", "wrapped" (a user error as cause), or "internal". */
    @Command(name = "fail")
    static final class Fail implements Callable<Integer> {
        @CommandLine.Parameters
        String kind;

        @Override
        public Integer call() {
            switch (kind) {
                case "user" -> throw new UserErrorException("x.csv:3: column 2: 'q' is not a number");
                case "wrapped" -> throw new IllegalStateException("worker failed", new UserErrorException("spec column 4: bad"));
                default -> throw new ArrayIndexOutOfBoundsException("Index 7 out of bounds for length 7");
            }
        }
    }

    private static Cli.Result run(Map<String, String> env, String... args) {
        CommandLine cl = Aleph.commandLine(new Aleph(env));
        cl.addSubcommand(new Fail());
        return Cli.run(cl, args);
    }

    @Test
    void userErrorIsStatus2WithItsSentenceOnly() {
        Cli.Result r = run(Map.of(), "fail", "user");
        assertEquals(2, r.status());
        assertEquals("aleph: x.csv:3: column 2: 'q' is not a number\n", r.err());
        Cli.Result w = run(Map.of(), "fail", "wrapped");
        assertEquals(2, w.status());
        assertEquals("aleph: spec column 4: bad\n", w.err());
    }

    @Test
    void internalErrorIsStatus1WithAShortMessageAndNoTrace() {
        Cli.Result r = run(Map.of(), "fail", "internal");
        assertEquals(1, r.status());
        assertTrue(r.noStackTrace() || !r.err().contains("\tat "), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertTrue(r.err().contains("internal error") && r.err().contains("Index 7 out of bounds") && r.err().contains("--debug"), r::toString);
    }

    @Test
    void debugOptionOrEnvironmentAddsTheStackTrace() {
        Cli.Result opt = run(Map.of(), "--debug", "fail", "internal");
        assertEquals(1, opt.status());
        assertTrue(opt.err().contains("\tat org.aleph.cli.ExitCodesTest$Fail.call"), opt::toString);
        Cli.Result inherited = run(Map.of(), "fail", "--debug", "user");
        assertEquals(2, inherited.status());
        assertTrue(inherited.err().contains("\tat "), inherited::toString);
        Cli.Result env = run(Map.of("ALEPH_DEBUG", "1"), "fail", "internal");
        assertTrue(env.err().contains("\tat "), env::toString);
        Cli.Result off = run(Map.of("ALEPH_DEBUG", "0"), "fail", "internal");
        assertFalse(off.err().contains("\tat "), off::toString);
    }

    @Test
    void noSubcommandPrintsUsageWithStatus2() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.status());
        assertTrue(r.err().contains("Usage: aleph"), r::toString);
    }
}
