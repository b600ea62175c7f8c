package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aleph fit} and {@code aleph sweep --net} on convolutional specs and images (CSV rows read with --shape). */
class ConvFitSweepCommandTest {

    static final String CONV = "Conv(1,0.1,filter=3) Relu GlobalAvgPool Dense(1,0)";

    @TempDir
    static Path dir;

    static Path images;

    /** 36 labelled 6x6 images (label first): a horizontal bar, a vertical bar or a diagonal, at random places, with noise. */
    @BeforeAll
    static void data() throws IOException {
        Random r = new Random(5);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 36; i++) {
            int label = i % 3;
            int at = r.nextInt(6);
            s.append(label);
            for (int h = 0; h < 6; h++) {
                for (int w = 0; w < 6; w++) {
                    boolean on = label == 0 ? h == at : label == 1 ? w == at : (h + at) % 6 == w;
                    s.append(',').append((on ? 1.0 : 0.0) + 0.3 * r.nextGaussian());
                }
            }
            s.append('\n');
        }
        images = Files.writeString(dir.resolve("images.csv"), s);
    }

    @Test
    void convFitReportsItsKernelsAndTheFittedSpecKeepsTheFilter() {
        String[] base = {"fit", "--net", CONV, "--train", images.toString(), "--shape", "6,6,1", "--n-train", "30",
            "--starts", "1", "--threads", "2", "--fit", "w_std,b_std,noise"};
        Cli.Result r = Cli.run(concat(base, "--test", images.toString(), "--n-test", "36", "--json"));
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        assertEquals("kernel_computer", j.get("kernels"));
        assertEquals(List.of(6.0, 6.0, 1.0), j.get("image_shape"));
        assertEquals(Boolean.TRUE, j.get("converged"));
        assertTrue((Double) j.get("log_marginal_likelihood") > (Double) j.get("log_marginal_likelihood_start"));
        assertTrue(j.containsKey("test_accuracy_fitted") && j.containsKey("gradient_error"));
        Cli.Result s = Cli.run(concat(base, "--write-spec"));
        assertEquals(0, s.status(), s::toString);
        Network fitted = Network.parse(s.out().strip());
        Layer.Conv conv = (Layer.Conv) fitted.layers().get(0);
        assertEquals(3, conv.filterH());
        assertEquals((Double) j.get("w_std"), conv.wStd(), 0.0);
        assertEquals((Double) j.get("b_std"), ((Layer.Dense) fitted.layers().get(fitted.layers().size() - 1)).bStd(), 0.0);
    }

    @Test
    void networkSweepWritesItsCsvAndItsBestPointsAreTheGridsBest() throws IOException {
        Path out = dir.resolve("sweep");
        Cli.Result r = Cli.run("sweep", "--net", CONV, "--train", images.toString(), "--shape", "6,6,1", "--n-train", "24",
                "--n-val", "12", "--test", images.toString(), "--n-test", "36", "--sw2", "1,2", "--sb2", "0,0.1", "--threads", "2",
                "--out", out.toString(), "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        List<?> points = (List<?>) j.get("points");
        assertEquals(4, points.size());
        for (Object o : (List<?>) j.get("best")) {
            Map<?, ?> b = (Map<?, ?>) o;
            String key = "validation_accuracy".equals(b.get("by")) ? "accuracy" : "log_marginal_likelihood";
            double top = points.stream().mapToDouble(p -> (Double) ((Map<?, ?>) p).get(key)).max().orElseThrow();
            assertEquals(top, (Double) b.get(key), 0.0);
            assertTrue(((String) b.get("spec")).startsWith("Conv("), b::toString);
        }
        assertEquals(2 + 4, Files.readAllLines(out.resolve("sweep-net.csv")).size());
        assertTrue(r.err().contains("each grid point computes its kernels whole"), r::toString);
    }

    @Test
    void mistakesExitTwoWithOneSentence() {
        String[][] cases = {
            {"fit", "--net", CONV, "--train", images.toString()},  // CSV rows without --shape: plain vectors
            {"fit", "--net", "AvgPool(window=2) Flatten", "--train", images.toString(), "--shape", "6,6,1"},  // no weight layer
            {"fit", "--net", CONV, "--train", images.toString(), "--shape", "6,6,1", "--noise", "-1"},
            {"fit", "--net", CONV, "--train", images.toString(), "--shape", "6,6,1", "--bounds", "w_std=0:2"},
            {"sweep", "--net", CONV, "--train", images.toString(), "--shape", "6,6,1", "--n-train", "20", "--n-val", "10", "--depth", "2"},
            {"sweep", "--net", CONV, "--act", "Relu", "--train", images.toString(), "--shape", "6,6,1", "--n-train", "20", "--n-val", "10"},
            {"sweep", "--net", CONV, "--train", images.toString(), "--shape", "6,6,1", "--n-train", "20", "--n-val", "10", "--sw2", "0,1"},
        };
        String[] names = {"needs images", "w_std", "noise", "w_std", "--depth", "--act", "sigma_w^2"};
        for (int i = 0; i < cases.length; i++) {
            Cli.Result r = Cli.run(cases[i]);
            String what = String.join(" ", cases[i]) + "\n" + r;
            assertEquals(2, r.status(), what);
            assertTrue(r.noStackTrace() && r.errLines() == 1, what);
            assertTrue(r.err().contains(names[i]), what);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
