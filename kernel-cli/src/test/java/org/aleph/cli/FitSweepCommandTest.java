package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aleph fit} and {@code aleph sweep} in-process: results, files, and user errors (exit 2, one sentence). */
class FitSweepCommandTest {

    @TempDir
    Path dir;

    Path x;
    Path y;
    Path labelled;

    /** 60 points of y = sin(x0 + x1 / 2) + noise, and 60 labelled points of three Gaussian classes (label first). */
    @BeforeEach
    void data() throws IOException {
        Random r = new Random(3);
        StringBuilder xs = new StringBuilder();
        StringBuilder ys = new StringBuilder();
        StringBuilder ls = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double c = r.nextGaussian();
            xs.append(a).append(',').append(b).append(',').append(c).append('\n');
            ys.append(Math.sin(a + 0.5 * b) + 0.1 * r.nextGaussian()).append('\n');
            int label = i % 3;
            ls.append(label).append(',').append(2 * label + r.nextGaussian()).append(',').append(r.nextGaussian()).append(',')
                    .append(label == 1 ? 1.5 : -0.5 + r.nextGaussian()).append('\n');
        }
        x = Files.writeString(dir.resolve("x.csv"), xs);
        y = Files.writeString(dir.resolve("y.csv"), ys);
        labelled = Files.writeString(dir.resolve("l.csv"), ls);
    }

    @Test
    void fitJsonHasTheOptimumAndWriteSpecPrintsIt() {
        String[] base = {"fit", "--net", "Dense(1.5,0.05) Erf Dense(1,0)", "--train-x", x.toString(), "--train-y", y.toString(),
            "--starts", "1", "--threads", "1", "--fit", "w_std,b_std,noise"};
        Cli.Result r = Cli.run(concat(base, "--json"));
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        for (String key : new String[] {"w_std", "b_std", "noise", "scale", "log_marginal_likelihood", "gradient_norm", "seconds",
            "noise_mode", "kernel_evaluations", "spec"}) {
            assertTrue(j.containsKey(key), key);
        }
        assertEquals(Boolean.TRUE, j.get("converged"));
        assertEquals("relative", j.get("noise_mode"));
        assertTrue((Double) j.get("log_marginal_likelihood") > (Double) j.get("log_marginal_likelihood_start"));
        Cli.Result s = Cli.run(concat(base, "--write-spec"));
        assertEquals(0, s.status(), s::toString);
        Network fitted = Network.parse(s.out().strip());
        Layer.Dense first = (Layer.Dense) fitted.layers().get(0);
        assertEquals((Double) j.get("w_std"), first.wStd(), 0.0);
        assertEquals((Double) j.get("b_std"), first.bStd(), 0.0);
    }

    @Test
    void fitOnClassesReportsTestAccuracyAtTheFitAndAtTheStart() {
        Cli.Result r = Cli.run("fit", "--net", "Dense(1,0.1) Relu Dense(1,0.1)", "--train", labelled.toString(), "--n-train", "40",
                "--test", labelled.toString(), "--n-test", "60", "--starts", "1", "--per-layer", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        assertEquals("classification", j.get("task"));
        assertEquals(3.0, (Double) j.get("targets"), 0.0);
        assertEquals(2, ((List<?>) j.get("w_std")).size());
        double fitted = (Double) j.get("test_accuracy_fitted");
        assertTrue(fitted > 0.6 && fitted <= 1, "accuracy " + fitted);
        assertTrue(j.containsKey("test_accuracy_start"));
    }

    @Test
    void nonConvergenceExitsTwoWithTheBestPointPrinted() {
        Cli.Result r = Cli.run("fit", "--net", "Dense(0.3,2) Erf Dense(0.3,2)", "--train-x", x.toString(), "--train-y", y.toString(),
                "--starts", "1", "--max-iterations", "1", "--json");
        assertEquals(2, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        assertEquals(Boolean.FALSE, j.get("converged"));
        assertTrue(r.err().contains("did not converge") && r.err().contains("best point"), r::toString);
        assertTrue(r.noStackTrace(), r::toString);
    }

    @Test
    void badFitInputsExitTwoWithOneSentence() {
        String[][] cases = {
            {"--bounds", "w_std=-1:2"},
            {"--bounds", "noise=1:0.1"},
            {"--fit", "depth"},
            {"--noise", "-0.5"},
            {"--starts", "0"},
            {"--optimizer", "newton"},
            {"--write-spec", "--json"},
        };
        for (String[] extra : cases) {
            Cli.Result r = Cli.run(concat(new String[] {"fit", "--net", "Dense Relu Dense", "--train-x", x.toString(),
                "--train-y", y.toString()}, extra));
            assertEquals(2, r.status(), () -> String.join(" ", extra) + "\n" + r);
            assertTrue(r.noStackTrace() && r.errLines() == 1, () -> String.join(" ", extra) + "\n" + r);
            assertTrue(r.out().isEmpty(), r::toString);
        }
        Cli.Result conv = Cli.run("fit", "--net", "Conv(1,0) Relu Flatten Dense", "--train-x", x.toString(), "--train-y", y.toString());
        assertEquals(2, conv.status(), conv::toString);
        assertTrue(conv.err().contains("needs images") && conv.errLines() == 1, conv::toString); // plain vectors for a Conv spec
    }

    @Test
    void sweepWritesFilesAndItsBestPointIsTheGridsBest() throws IOException {
        Path out = dir.resolve("figs");
        Cli.Result r = Cli.run("sweep", "--act", "Erf", "--train", labelled.toString(), "--n-train", "40", "--n-val", "20",
                "--test", labelled.toString(), "--n-test", "30", "--sw2", "0.5:3:4", "--sb2", "0,0.5", "--depth", "2,1",
                "--out", out.toString(), "--threads", "2", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        List<?> points = (List<?>) j.get("points");
        assertEquals(4 * 2 * 2, points.size());
        List<?> best = (List<?>) j.get("best");
        assertEquals(4, best.size());
        for (Object o : best) {
            @SuppressWarnings("unchecked")
            Map<String, Object> b = (Map<String, Object>) o;
            String key = "validation_accuracy".equals(b.get("by")) ? "accuracy" : "log_marginal_likelihood";
            double top = points.stream().map(p -> (Map<?, ?>) p).filter(p -> ((Double) p.get("depth")).equals(b.get("depth")))
                    .mapToDouble(p -> (Double) p.get(key)).max().orElseThrow();
            assertEquals(top, (Double) b.get(key), 0.0);
            assertTrue(b.containsKey("test_accuracy"));
        }
        for (String f : new String[] {"sweep-Erf.csv", "sweep-Erf-d1.png", "sweep-Erf-d1.svg", "sweep-Erf-d2.png", "sweep-Erf-d2.svg"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        assertEquals(2 + 16, Files.readAllLines(out.resolve("sweep-Erf.csv")).size());
    }

    @Test
    void badSweepInputsExitTwoWithOneSentence() {
        String[][] cases = {
            {"--sw2", "2:1:5"},
            {"--sw2", "1:2:0"},
            {"--sb2", ""},
            {"--sw2", "-1,2"},
            {"--sb2", "-0.1"},
            {"--depth", "0"},
            {"--n-train", "50", "--n-val", "20"},
            {"--sw2", "1,1"},
        };
        for (String[] extra : cases) {
            Cli.Result r = Cli.run(concat(new String[] {"sweep", "--act", "Relu", "--train-x", x.toString(), "--train-y", y.toString(),
                "--n-train", "30", "--n-val", "10"}, extra));
            assertEquals(2, r.status(), () -> String.join(" ", extra) + "\n" + r);
            assertTrue(r.noStackTrace() && r.errLines() == 1, () -> String.join(" ", extra) + "\n" + r);
        }
        Cli.Result split = Cli.run("sweep", "--act", "Relu", "--train-x", x.toString(), "--train-y", y.toString(), "--n-train", "50",
                "--n-val", "20");
        assertTrue(split.err().contains("too few"), split::toString);
        assertFalse(split.err().contains("Exception"), split::toString);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
