package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aleph demo} in-process with 400 networks per width (the default run draws 2000): every
 * promised file, and the reported numbers against independent facts: finite networks
 * (kernel-finite) against the analytic NNGP (kernel-api), the GP samples against their
 * covariance, the regression's limits (t = 0 is the prior, t = infinity interpolates).
 */
class DemoCommandTest {

    /** Networks per width in these tests. */
    static final int NETWORKS = 400;

    @TempDir
    static Path dir;

    static Cli.Result run;
    static Map<String, Object> json;

    @BeforeAll
    static void runDemo() {
        run = Cli.run("demo", "--out", dir.resolve("out").toString(), "--networks", Integer.toString(NETWORKS), "--json"); // the default seed 0: the data of the default run
        assertEquals(0, run.status(), run::toString);
        json = MiniJson.object(run.out().strip());
    }

    @Test
    void writesEveryPromisedFileAndDecodablePngs() throws IOException {
        Path out = dir.resolve("out");
        List<?> files = (List<?>) json.get("files");
        assertEquals(5, files.size(), files::toString);
        for (String name : new String[] {"width.png", "width.svg", "regression.png", "regression.svg", "summary.txt"}) {
            Path f = out.resolve(name);
            assertTrue(files.contains(f.toString()), name + " listed in " + files);
            assertTrue(Files.size(f) > 1000, name + " has " + Files.size(f) + " bytes");
        }
        BufferedImage width = ImageIO.read(out.resolve("width.png").toFile());
        assertNotNull(width);
        assertEquals(3 * 560, width.getWidth(), "three columns: widths 4, 500, infinity");
        assertEquals(3 * 430, width.getHeight(), "three rows: functions and two histograms");
        BufferedImage regression = ImageIO.read(out.resolve("regression.png").toFile());
        assertNotNull(regression);
        assertEquals(3 * 560, regression.getWidth());
        assertEquals(2 * 430, regression.getHeight());
        for (String svg : new String[] {"width.svg", "regression.svg"}) {
            String text = Files.readString(out.resolve(svg), StandardCharsets.UTF_8);
            assertTrue(text.contains("<svg") && text.strip().endsWith("</svg>"), svg);
        }
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("KS dist") && summary.contains("NTK ensemble, t = inf"), summary);
        assertTrue(run.err().contains("networks at each of the widths") && run.err().contains("drawing the figures"),
                "progress on standard error (stages under a second draw no bar): " + run.err());
    }

    @Test
    void reportsTheAnalyticNngpAtTheProbes() {
        Network net = Network.parse(DemoCommand.WIDTH_NET, ActivationRegistry.defaultRegistry());
        KernelResult k = net.kernels(Matrix.wrap(2, 1, DemoCommand.PROBES.clone()), null);
        double[] expected = {k.nngp().get(0, 0), k.nngp().get(0, 1), k.nngp().get(1, 1)};
        assertArrayEquals(expected, doubles(width().get("nngp")), 1e-15);
        assertTrue(expected[0] > 0.1 && expected[2] > 0.1, "an informative network: output variances of order 1");
    }

    @Test
    void wideNetworksAndGpSamplesMatchTheNngpWithinTheirStandardErrors() {
        double[] k = doubles(width().get("nngp"));
        for (Map<String, Object> c : columns()) {
            String w = (String) c.get("width");
            if (w.equals("4")) {
                continue;
            }
            double[] var = doubles(c.get("variance"));
            double[] se = doubles(c.get("variance_se"));
            // finite width 500 adds an O(1/500) bias, far below the Monte Carlo error of 400 networks
            assertEquals(k[0], var[0], 4 * se[0], "width " + w + ": Var f(a)");
            assertEquals(k[2], var[1], 4 * se[1], "width " + w + ": Var f(b)");
            assertEquals(k[1], (Double) c.get("covariance"), 4 * (Double) c.get("covariance_se"), "width " + w + ": Cov(f(a), f(b))");
            double[] kurt = doubles(c.get("excess_kurtosis"));
            double[] kse = doubles(c.get("kurtosis_se"));
            assertEquals(0, kurt[0], 4 * kse[0], "width " + w + ": a Gaussian has excess kurtosis 0");
            assertEquals(0, kurt[1], 4 * kse[1], "width " + w);
            for (double p : doubles(c.get("ks_p"))) {
                assertTrue(p > 1e-4, "width " + w + ": KS p-value " + p);
            }
        }
    }

    @Test
    void narrowNetworksAreVisiblyNotGaussian() {
        Map<String, Object> c = columns().get(0);
        assertEquals("4", c.get("width"));
        double[] kurt = doubles(c.get("excess_kurtosis"));
        double[] kse = doubles(c.get("kurtosis_se"));
        assertTrue(kurt[0] > 6 * kse[0] && kurt[1] > 6 * kse[1], "heavy tails at width 4: " + kurt[0] + ", " + kurt[1]);
        for (double p : doubles(c.get("ks_p"))) {
            assertTrue(p < 0.01, "KS rejects normality at width 4: p = " + p);
        }
    }

    @Test
    void regressionLimits() {
        Map<String, Object> r = regression();
        Network net = Network.parse(DemoCommand.REGRESSION_NET, ActivationRegistry.defaultRegistry());
        double[] x = doubles(r.get("train_x"));
        double[] y = doubles(r.get("train_y"));
        assertEquals(DemoCommand.TRAIN, x.length);
        KernelResult prior = net.kernels(Matrix.wrap(x.length, 1, x.clone()), null);
        double[] previousTrain = {Double.POSITIVE_INFINITY};
        for (Map<String, Object> p : predictions()) {
            String kind = (String) p.get("kind");
            String time = (String) p.get("time");
            double[] mean = doubles(p.get("train_mean"));
            double[] sd = doubles(p.get("train_sd"));
            double trainRmse = (Double) p.get("train_rmse");
            if (kind.equals("ntk")) {
                assertTrue(trainRmse < previousTrain[0], "training error falls with t: " + time);
                previousTrain[0] = trainRmse;
            }
            if (kind.equals("ntk") && time.equals("0")) {
                for (int i = 0; i < x.length; i++) {
                    assertEquals(0, mean[i], 0, "t = 0: the prior mean");
                    assertEquals(Math.sqrt(prior.nngp().get(i, i)), sd[i], 1e-12, "t = 0: the prior sd");
                }
            }
            if (time.equals("inf")) {
                double priorSd = Math.sqrt(prior.nngp().get(0, 0));
                if (kind.equals("ntk")) {
                    for (int i = 0; i < x.length; i++) {
                        assertEquals(y[i], mean[i], 0.01, "the NTK ensemble at t = inf interpolates the data (diag_reg 1e-4)");
                    }
                } else {
                    assertTrue(trainRmse < DemoCommand.NOISE, "the NNGP posterior fits the data to within the noise: " + trainRmse);
                }
                for (int i = 0; i < x.length; i++) {
                    assertTrue(sd[i] < 0.05 * priorSd, kind + ": narrow band at training point " + i + ": sd " + sd[i]);
                }
            }
        }
        assertEquals(2 + DemoCommand.TIMES.length + 1, predictions().size(), "NNGP, t = 0, the finite times, inf");
        assertTrue((Double) r.get("max_learning_rate") > DemoCommand.LEARNING_RATE, "the learning rate is stable");
    }

    @Test
    void sameSeedSameNumbersWhateverTheThreads() throws IOException {
        Path a = dir.resolve("t1");
        Path b = dir.resolve("t2");
        assertEquals(0, Cli.run("demo", "--out", a.toString(), "--networks", "40", "--threads", "1").status());
        assertEquals(0, Cli.run("demo", "--out", b.toString(), "--networks", "40", "--threads", "2").status());
        assertEquals(Files.readString(a.resolve("summary.txt")), Files.readString(b.resolve("summary.txt")));
        Cli.Result other = Cli.run("demo", "--out", dir.resolve("t3").toString(), "--networks", "40", "--seed", "1");
        assertEquals(0, other.status());
        assertTrue(!Files.readString(a.resolve("summary.txt")).equals(Files.readString(dir.resolve("t3").resolve("summary.txt"))),
                "another seed draws other networks");
    }

    @Test
    void mistakesExitWithStatusTwoAndOneSentence() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        String[][] bad = {
            {"demo", "--networks", "5", "--out", dir.resolve("e1").toString()},
            {"demo", "--threads", "0", "--out", dir.resolve("e2").toString()},
            {"demo", "--out", file.toString()},
            {"demo", "--seed", "many"},
        };
        for (String[] args : bad) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), r::toString);
            assertTrue(r.noStackTrace(), r::toString);
            assertEquals(1, r.errLines(), r::toString);
        }
        Cli.Result help = Cli.run("demo", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("Examples:") && help.out().contains("aleph demo --out"), help.out());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> width() {
        return (Map<String, Object>) json.get("width");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> regression() {
        return (Map<String, Object>) json.get("regression");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> columns() {
        return (List<Map<String, Object>>) width().get("columns");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> predictions() {
        return (List<Map<String, Object>>) regression().get("predictions");
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(o -> (Double) o).toArray();
    }
}
