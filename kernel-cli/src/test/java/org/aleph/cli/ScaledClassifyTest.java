package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.aleph.kernel.Network;
import org.aleph.kernel.SpecException;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aleph classify with the tiled engine (kernel-scale): the same labels as the direct solve, resumable, and its mistakes. */
class ScaledClassifyTest {

    private static final String NET = "Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)";

    @TempDir
    Path dir;

    /** Four overlapping Gaussian blobs in 8 dimensions (so that some test points are hard), label first. */
    private Path blobs(String name, int n, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(4);
            b.append(c);
            for (int j = 0; j < 8; j++) {
                b.append(',').append((j % 4 == c ? 1.5 : 0) + rnd.nextGaussian());
            }
            b.append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, b);
        return p;
    }

    @Test
    void localEngineGivesTheDirectLabelsAndResumes() throws IOException {
        Path train = blobs("train.csv", 900, 1);
        Path test = blobs("test.csv", 300, 2);
        Path work = dir.resolve("work");
        for (String kernel : new String[] {"nngp", "ntk"}) {
            Cli.Result direct = Cli.run("classify", "--net", NET, "--train", train.toString(), "--test", test.toString(),
                    "--n-train", "900", "--n-test", "300", "--kernel", kernel, "--engine", "direct", "--json");
            assertEquals(0, direct.status(), direct.toString());
            Cli.Result local = Cli.run("classify", "--net", NET, "--train", train.toString(), "--test", test.toString(),
                    "--n-train", "900", "--n-test", "300", "--kernel", kernel, "--engine", "local", "--tile", "200",
                    "--rank", "100", "--solver-tol", "1e-8", "--work-dir", work.toString(), "--keep", "--json");
            assertEquals(0, local.status(), local.toString());
            Map<String, Object> d = MiniJson.object(direct.out());
            Map<String, Object> l = MiniJson.object(local.out());
            assertEquals("direct", d.get("engine"));
            assertEquals("local", l.get("engine"));
            double accuracy = ((Number) d.get("accuracy")).doubleValue();
            assertTrue(accuracy > 0.5 && accuracy < 1, "a problem with hard points: " + accuracy);
            assertEquals(d.get("confusion"), l.get("confusion"), kernel + ": same predicted labels");
            Map<?, ?> solver = (Map<?, ?>) l.get("solver");
            assertEquals(15.0, ((Number) solver.get("tiles_computed")).doubleValue(), "5 row blocks: 15 tiles");
            assertTrue(((Number) solver.get("residual")).doubleValue() <= 1e-8, solver.toString());
            assertTrue(((Number) solver.get("iterations")).doubleValue() >= 1);
            Map<?, ?> seconds = (Map<?, ?>) l.get("seconds");
            for (String stage : new String[] {"train_tiles", "preconditioner", "solve", "predict"}) {
                assertTrue(seconds.containsKey(stage), stage + " in " + seconds);
            }
            assertTrue(Files.isDirectory(Path.of((String) solver.get("work_dir"))), "--keep keeps the tiles");

            Cli.Result again = Cli.run("classify", "--net", NET, "--train", train.toString(), "--test", test.toString(),
                    "--n-train", "900", "--n-test", "300", "--kernel", kernel, "--engine", "local", "--tile", "200",
                    "--rank", "100", "--solver-tol", "1e-8", "--work-dir", work.toString(), "--json");
            Map<?, ?> s2 = (Map<?, ?>) MiniJson.object(again.out()).get("solver");
            assertEquals(15.0, ((Number) s2.get("tiles_reused")).doubleValue(), again.toString());
            assertEquals(0.0, ((Number) s2.get("tiles_computed")).doubleValue());
            assertEquals(d.get("confusion"), MiniJson.object(again.out()).get("confusion"));
            assertFalse(Files.exists(Path.of((String) s2.get("work_dir"))), "deleted without --keep");
        }
    }

    @Test
    void autoTakesTheTiledEngineOnlyWhenTheDirectJobIsRefused() {
        ScaleOptions o = new ScaleOptions();
        o.engine = ScaleOptions.Engine.auto;
        o.solverTol = 1e-6;
        o.rank = 10;
        o.tile = 100;
        Network net = Network.parse(NET);
        PrintWriter err = new PrintWriter(new StringWriter());
        Runnable fits = () -> { };
        Runnable tooBig = () -> {
            throw new UserErrorException("this job needs about 30 GiB but the Java heap allows 6 GiB");
        };
        assertNull(ScaledClassification.choose(o, net, null, 1000, 100, 10, 1, Double.POSITIVE_INFINITY, fits, err));
        assertNotNull(ScaledClassification.choose(o, net, null, 1000, 100, 10, 1, Double.POSITIVE_INFINITY, tooBig, err));
        assertThrows(SpecException.class, () -> ScaledClassification.choose(o, net, null, 1000, 100, 10, 1,
                Double.POSITIVE_INFINITY, () -> Network.parse("Dense Rleu"), err), "a spec mistake is not a size problem");
        UserErrorException finite = assertThrows(UserErrorException.class, () -> ScaledClassification.choose(o, net, null, 1000,
                100, 10, 1, 5.0, tooBig, err));
        assertTrue(finite.getMessage().contains("--time"), finite.getMessage());
        o.engine = ScaleOptions.Engine.direct;
        assertThrows(UserErrorException.class, () -> ScaledClassification.choose(o, net, null, 1000, 100, 10, 1,
                Double.POSITIVE_INFINITY, tooBig, err), "direct never switches");
        o.engine = ScaleOptions.Engine.local;
        assertNotNull(ScaledClassification.choose(o, net, null, 1000, 100, 10, 1, Double.POSITIVE_INFINITY, fits, err));
    }

    @Test
    void mistakesExitTwoWithOneSentence() throws IOException {
        Path train = blobs("train.csv", 60, 3);
        Path test = blobs("test.csv", 10, 4);
        Path file = Files.writeString(dir.resolve("file.txt"), "not a folder");
        Cli.Result badDir = Cli.run("classify", "--net", NET, "--train", train.toString(), "--test", test.toString(),
                "--engine", "local", "--work-dir", file.toString());
        assertEquals(2, badDir.status(), badDir.toString());
        assertTrue(badDir.err().contains(file.toString()) && badDir.err().contains("--work-dir"), badDir.err());
        assertTrue(badDir.noStackTrace());
        Cli.Result time = Cli.run("classify", "--net", NET, "--train", train.toString(), "--test", test.toString(),
                "--engine", "local", "--kernel", "ntk", "--time", "10");
        assertEquals(2, time.status(), time.toString());
        assertTrue(time.err().contains("--time"), time.err());
        Cli.Result tol = Cli.run("classify", "--net", NET, "--train", train.toString(), "--test", test.toString(),
                "--engine", "local", "--solver-tol", "2");
        assertEquals(2, tol.status(), tol.toString());
        assertTrue(tol.err().contains("--solver-tol"), tol.err());
        Cli.Result engine = Cli.run("classify", "--net", NET, "--train", train.toString(), "--test", test.toString(),
                "--engine", "cluster");
        assertEquals(2, engine.status(), engine.toString());
    }
}
