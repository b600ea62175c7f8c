package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import org.junit.jupiter.api.Test;

/**
 * {@link Aleph#main} builds only the subcommand a run names ({@link Aleph#commandLine(Aleph, String[])}):
 * the names of {@link Aleph#SUBCOMMANDS} must be their classes' own, and a run must print and
 * return exactly what the whole command tree gives.
 */
class AlephSubcommandsTest {

    @Test
    void everyNameIsTheNameOfItsCommandAnnotation() {
        for (Map.Entry<String, Class<?>> e : Aleph.SUBCOMMANDS.entrySet()) {
            Command c = e.getValue().getAnnotation(Command.class);
            assertEquals(e.getKey(), c.name(), e.getValue().getName());
        }
        assertEquals(Aleph.SUBCOMMANDS.keySet(), Aleph.commandLine(new Aleph(Map.of())).getSubcommands().keySet());
    }

    @Test
    void aNamedSubcommandIsBuiltAlone() {
        CommandLine one = Aleph.commandLine(new Aleph(Map.of()), new String[] {"kernel", "--help"});
        assertEquals(List.of("kernel"), List.copyOf(one.getSubcommands().keySet()));
        CommandLine all = Aleph.commandLine(new Aleph(Map.of()), new String[] {"--debug", "kernel"});
        assertEquals(Aleph.SUBCOMMANDS.size(), all.getSubcommands().size());
        assertEquals(Aleph.SUBCOMMANDS.size(), Aleph.commandLine(new Aleph(Map.of()), new String[] {"help", "kernel"}).getSubcommands().size());
        assertEquals(Aleph.SUBCOMMANDS.size(), Aleph.commandLine(new Aleph(Map.of()), new String[] {"kernl"}).getSubcommands().size());
    }

    @Test
    void runsGiveTheSameOutputAsTheWholeTree() {
        List<String[]> runs = List.of(
                new String[] {"kernel", "--help"},
                new String[] {"predict", "--help"},
                new String[] {"kernel", "--version"},
                new String[] {"kernel", "--net", "Dense Relu Dense"},
                new String[] {"kernel", "--net", "Dense Relu Dense", "--x1", "x.csv", "--threads", "0"},
                new String[] {"kernel", "--x1", "x.csv", "--net", "Dense", "--nngp", "K.npy", "--bogus"},
                new String[] {"activations", "--nope"});
        for (String[] args : runs) {
            Cli.Result whole = run(Aleph.commandLine(new Aleph(Map.of())), args);
            Cli.Result alone = run(Aleph.commandLine(new Aleph(Map.of()), args), args);
            assertEquals(whole.status(), alone.status(), String.join(" ", args));
            assertEquals(whole.out(), alone.out(), String.join(" ", args));
            assertEquals(whole.err(), alone.err(), String.join(" ", args));
        }
        String help = run(Aleph.commandLine(new Aleph(Map.of()), new String[] {"kernel", "--help"}), "kernel", "--help").out();
        // as with the subcommands in the annotation: own options, the inherited ones, then --help and --version
        assertTrue(help.indexOf("--print") < help.indexOf("--plugin-path=PATH"), help);
        assertTrue(help.indexOf("--debug ") < help.indexOf("-h, --help"), help);
        assertTrue(help.indexOf("-h, --help") < help.indexOf("-V, --version"), help);
        String helpOfHelp = run(Aleph.commandLine(new Aleph(Map.of())), "help", "--help").out();
        assertTrue(helpOfHelp.indexOf("-h, --help") < helpOfHelp.indexOf("--debug "), "the help command's own --help stays first: " + helpOfHelp);
    }

    private static Cli.Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Cli.Result(status, out.toString(), err.toString());
    }
}
