package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.io.MatrixFiles;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aleph predict} from precomputed kernel files ({@code --k-train-train} ...), against
 * the same command with {@code --net}, and one network linearised around its initialisation
 * ({@code --f0-train/--f0-test}) against the closed form of Lee et al. (2019, eq. 9-10)
 * evaluated independently here with Hipparchus' eigendecomposition.
 */
class PredictFromKernelsTest {

    static final String NET = "Dense(1.5,0.05) Relu Dense(1,0)";

    @TempDir
    Path dir;

    Matrix x;
    Matrix y;
    Matrix xt;
    Matrix f0;
    Matrix f0t;

    @BeforeEach
    void data() {
        Random r = new Random(11);
        x = gaussian(r, 8, 3);
        y = gaussian(r, 8, 2);
        xt = gaussian(r, 5, 3);
        f0 = gaussian(r, 8, 2);
        f0t = gaussian(r, 5, 2);
        MatrixFiles.write(dir.resolve("x.npy"), x, "x");
        MatrixFiles.write(dir.resolve("y.npy"), y, "y");
        MatrixFiles.write(dir.resolve("t.npy"), xt, "t");
        MatrixFiles.write(dir.resolve("f0.npy"), f0, "f0");
        MatrixFiles.write(dir.resolve("f0t.csv"), f0t, "f0t");
        KernelComputer kc = new KernelComputer(Network.parse(NET), 1);
        var dd = kc.compute(x, null);
        var td = kc.compute(xt, x);
        var tt = kc.compute(xt, null);
        MatrixFiles.write(dir.resolve("dd_nngp.npy"), dd.nngp(), "k");
        MatrixFiles.write(dir.resolve("dd_ntk.npy"), dd.ntk(), "k");
        MatrixFiles.write(dir.resolve("td_nngp.npy"), td.nngp(), "k");
        MatrixFiles.write(dir.resolve("td_ntk.csv"), td.ntk(), "k");
        MatrixFiles.write(dir.resolve("tt_nngp.npy"), tt.nngp(), "k");
        MatrixFiles.write(dir.resolve("tt_ntk.npy"), tt.ntk(), "k");
        MatrixFiles.writeVector(dir.resolve("tt_nngp_diag.npy"), diagonal(tt.nngp()), "k");
    }

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    private Matrix read(String name) {
        return MatrixFiles.read(dir.resolve(name), name);
    }

    private Cli.Result fromNet(String mean, String... extra) {
        return Cli.run(concat(new String[] {"predict", "--net", NET, "--train-x", p("x.npy"), "--train-y", p("y.npy"),
            "--test-x", p("t.npy"), "--mean", p(mean)}, extra));
    }

    private Cli.Result fromFiles(String mean, String... extra) {
        return Cli.run(concat(new String[] {"predict", "--train-y", p("y.npy"), "--mean", p(mean)}, extra));
    }

    @Test
    void nngpPosteriorWithVariancesFromFilesEqualsTheNetworkRun() {
        Cli.Result a = fromNet("m1.npy", "--diag-reg", "1e-3", "--var", p("v1.npy"));
        Cli.Result b = fromFiles("m2.npy", "--k-train-train", p("dd_nngp.npy"), "--k-test-train", p("td_nngp.npy"),
                "--k-test-test", p("tt_nngp_diag.npy"), "--diag-reg", "1e-3", "--var", p("v2.npy"), "--json");
        assertEquals(0, a.status(), a::toString);
        assertEquals(0, b.status(), b::toString);
        assertArrayEquals(read("m1.npy").data(), read("m2.npy").data(), 1e-13);
        assertArrayEquals(read("v1.npy").data(), read("v2.npy").data(), 1e-13);
        Map<String, Object> j = MiniJson.object(b.out());
        assertEquals("files", j.get("kernels_from"));
        assertEquals(null, j.get("net"));
        assertEquals(8.0, ((Number) j.get("n_train")).doubleValue());
    }

    @Test
    void ntkEnsembleCovarianceAtSeveralTimesNeedsBothKernelsAndEqualsTheNetworkRun() {
        Cli.Result a = fromNet("m1.npy", "--kernel", "ntk", "--time", "0.5,3,inf", "--diag-reg", "1e-4", "--cov", p("c1.npy"));
        Cli.Result b = fromFiles("m2.npy", "--kernel", "ntk", "--time", "0.5,3,inf", "--diag-reg", "1e-4", "--cov", p("c2.npy"),
                "--k-train-train", p("dd_nngp.npy") + "," + p("dd_ntk.npy"), "--k-test-train", p("td_nngp.npy") + "," + p("td_ntk.csv"),
                "--k-test-test", p("tt_nngp.npy") + "," + p("tt_ntk.npy"));
        assertEquals(0, a.status(), a::toString);
        assertEquals(0, b.status(), b::toString);
        assertArrayEquals(read("m1.npy").data(), read("m2.npy").data(), 1e-12);
        assertArrayEquals(read("c1.npy").data(), read("c2.npy").data(), 1e-12);
        Cli.Result one = fromFiles("m3.npy", "--kernel", "ntk", "--cov", p("c3.npy"), "--k-train-train", p("dd_ntk.npy"),
                "--k-test-train", p("td_ntk.csv"), "--k-test-test", p("tt_ntk.npy"));
        assertEquals(2, one.status(), one::toString);
        assertTrue(one.err().contains("--k-train-train") && one.err().contains("NNGP,NTK"), one::toString);
    }

    @Test
    void ntkgpAndMeansOnlyNeedOnlyTheNtk() {
        Cli.Result a = fromNet("m1.npy", "--kernel", "ntkgp", "--diag-reg", "1e-3", "--cov", p("c1.npy"));
        Cli.Result b = fromFiles("m2.npy", "--kernel", "ntkgp", "--diag-reg", "1e-3", "--cov", p("c2.npy"),
                "--k-train-train", p("dd_ntk.npy"), "--k-test-train", p("td_ntk.csv"), "--k-test-test", p("tt_ntk.npy"));
        assertEquals(0, b.status(), b::toString);
        assertArrayEquals(read("m1.npy").data(), read("m2.npy").data(), 1e-12);
        assertArrayEquals(read("c1.npy").data(), read("c2.npy").data(), 1e-12);
        Cli.Result c = fromFiles("m3.npy", "--kernel", "ntk", "--time", "2", "--k-train-train", p("dd_ntk.npy"),
                "--k-test-train", p("td_ntk.csv"));
        Cli.Result d = fromNet("m4.npy", "--kernel", "ntk", "--time", "2");
        assertEquals(0, c.status(), c::toString);
        assertArrayEquals(read("m4.npy").data(), read("m3.npy").data(), 1e-12);
    }

    /** f_t(test) = f0_test + Theta_td Theta^-1 (I - exp(-lr Theta t / N)) (y - f0_train), N = n k. */
    @Test
    void oneLinearisedNetworkFromItsInitialOutputsFollowsTheClosedForm() {
        double lr = 0.7;
        double time = 4;
        Cli.Result r = fromFiles("m.npy", "--kernel", "ntk", "--time", "0," + time, "--lr", String.valueOf(lr),
                "--k-train-train", p("dd_ntk.npy"), "--k-test-train", p("td_ntk.csv"), "--f0-train", p("f0.npy"),
                "--f0-test", p("f0t.csv"));
        assertEquals(0, r.status(), r::toString);
        Matrix mean = read("m.npy");
        int m = 5;
        int k = 2;
        // t = 0: exactly the network's own outputs.
        for (int i = 0; i < m * k; i++) {
            assertEquals(f0t.data()[i], mean.data()[i], 1e-12);
        }
        RealMatrix theta = hip(read("dd_ntk.npy"));
        RealMatrix thetaTd = hip(read("td_ntk.csv"));
        EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(theta);
        RealMatrix v = e.getV();
        double[] lambda = e.getEigenvalues();
        double n = 8 * k;
        RealMatrix middle = new Array2DRowRealMatrix(8, 8);
        for (int i = 0; i < 8; i++) {
            middle.setEntry(i, i, -Math.expm1(-lr * lambda[i] * time / n) / lambda[i]);
        }
        RealMatrix op = thetaTd.multiply(v).multiply(middle).multiply(v.transpose());
        RealMatrix expected = hip(f0t).add(op.multiply(hip(y).subtract(hip(f0))));
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < k; c++) {
                assertEquals(expected.getEntry(i, c), mean.get(m + i, c), 1e-9, "test point " + i);
            }
        }
        // The ODE (cross-entropy) starts from the same outputs: at t = 0 exactly f0_test.
        Cli.Result ode = fromFiles("m_ode.npy", "--kernel", "ntk", "--loss", "xent", "--time", "0,1", "--k-train-train",
                p("dd_ntk.npy"), "--k-test-train", p("td_ntk.csv"), "--f0-train", p("f0.npy"), "--f0-test", p("f0t.csv"));
        assertEquals(0, ode.status(), ode::toString);
        double[] odeMean = read("m_ode.npy").data();
        for (int i = 0; i < m * k; i++) {
            assertEquals(f0t.data()[i], odeMean[i], 0.0);
        }
    }

    @Test
    void slightlyAsymmetricKernelsOfOtherToolsAreSymmetrisedWithANoteAndClearlyAsymmetricOnesRefused() throws Exception {
        Matrix k = read("dd_nngp.npy");
        double[] a = k.data().clone();
        a[1] += 1e-9 * a[1];
        MatrixFiles.write(dir.resolve("near.npy"), Matrix.wrap(8, 8, a), "k");
        Cli.Result ok = fromFiles("m1.npy", "--k-train-train", p("near.npy"), "--k-test-train", p("td_nngp.npy"));
        assertEquals(0, ok.status(), ok::toString);
        assertTrue(ok.out().contains("symmetric only to"), ok::toString);
        a[1] += 1e-2;
        MatrixFiles.write(dir.resolve("far.npy"), Matrix.wrap(8, 8, a), "k");
        Cli.Result bad = fromFiles("m2.npy", "--k-train-train", p("far.npy"), "--k-test-train", p("td_nngp.npy"));
        assertEquals(2, bad.status(), bad::toString);
        assertTrue(bad.err().contains("not symmetric") && bad.err().contains("(1, 2)"), bad::toString);
        assertTrue(Files.notExists(dir.resolve("m2.npy")));
    }

    @Test
    void mistakesAreOneSentenceWithExitTwo() {
        String[][] cases = {
            {"--net", NET, "--k-train-train", p("dd_nngp.npy"), "--k-test-train", p("td_nngp.npy")},
            {"--k-train-train", p("dd_nngp.npy")},
            {"--k-train-train", p("dd_nngp.npy"), "--k-test-train", p("tt_nngp.npy")},
            {"--k-train-train", p("td_nngp.npy"), "--k-test-train", p("td_nngp.npy")},
            {"--k-train-train", p("dd_nngp.npy"), "--k-test-train", p("td_nngp.npy"), "--var", p("v.npy")},
            {"--k-train-train", p("dd_nngp.npy"), "--k-test-train", p("td_nngp.npy"), "--cov", p("c.npy"), "--k-test-test",
                p("tt_nngp_diag.npy")},
            {"--k-train-train", p("dd_nngp.npy"), "--k-test-train", p("td_nngp.npy"), "--f0-train", p("f0.npy")},
            {"--k-train-train", p("dd_nngp.npy"), "--k-test-train", p("td_nngp.npy"), "--f0-train", p("f0.npy"),
                "--f0-test", p("f0.npy")},
            {"--k-train-train", p("dd_nngp.npy"), "--k-test-train", p("td_nngp.npy"), "--f0-train", p("f0.npy"),
                "--f0-test", p("f0t.csv"), "--var", p("v.npy"), "--k-test-test", p("tt_nngp.npy")},
            {"--k-train-train", p("dd_nngp.npy") + "," + p("dd_ntk.npy") + "," + p("dd_ntk.npy"), "--k-test-train", p("td_nngp.npy")},
            {"--k-train-train", p("dd_nngp.npy") + "," + p("dd_ntk.npy"), "--k-test-train", p("td_nngp.npy")},
            {"--k-train-train", p("dd_nngp.npy"), "--k-test-train", p("td_nngp.npy"), "--max-lr"},
            {"--train-x", p("x.npy"), "--test-x", p("t.npy")},
        };
        for (String[] c : cases) {
            Cli.Result r = fromFiles("m.npy", c);
            assertEquals(2, r.status(), () -> String.join(" ", c) + " -> " + r);
            assertTrue(r.err().lines().count() <= 2 && !r.err().contains("Exception"), r::toString);
            assertTrue(Files.notExists(dir.resolve("m.npy")), String.join(" ", c));
        }
    }

    private static double[] diagonal(Matrix k) {
        double[] d = new double[k.rows()];
        for (int i = 0; i < d.length; i++) {
            d[i] = k.get(i, i);
        }
        return d;
    }

    private static RealMatrix hip(Matrix m) {
        double[][] a = new double[m.rows()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = m.row(i);
        }
        return new Array2DRowRealMatrix(a, false);
    }

    private static Matrix gaussian(Random r, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Matrix.wrap(rows, cols, d);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void oneNpzArchiveHoldsTheTimesAndTheStackedOutputsWithATimeAxis() throws Exception {
        String[] kernels = {"--kernel", "ntk", "--time", "inf,0.5,3", "--diag-reg", "1e-4", "--k-train-train",
            p("dd_nngp.npy") + "," + p("dd_ntk.npy"), "--k-test-train", p("td_nngp.npy") + "," + p("td_ntk.csv"),
            "--k-test-test", p("tt_nngp.npy") + "," + p("tt_ntk.npy")};
        Cli.Result stacked = fromFiles("m.npy", concat(kernels, new String[] {"--cov", p("c.npy")}));
        Cli.Result npz = Cli.run(concat(new String[] {"predict", "--train-y", p("y.npy"), "--npz", p("out.npz"), "--cov", "--json"},
                kernels));
        assertEquals(0, stacked.status(), stacked::toString);
        assertEquals(0, npz.status(), npz::toString);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(dir.resolve("out.npz").toFile())) {
            assertEquals(java.util.List.of("times.npy", "mean.npy", "cov.npy"), zip.stream().map(java.util.zip.ZipEntry::getName).toList());
            org.aleph.kernel.io.NpyFormat.Array mean = entry(zip, "mean.npy");
            org.aleph.kernel.io.NpyFormat.Array cov = entry(zip, "cov.npy");
            assertArrayEquals(new long[] {3, 5, 2}, mean.shape());
            assertArrayEquals(new long[] {3, 5, 5}, cov.shape());
            assertArrayEquals(read("m.npy").data(), mean.matrix().data(), 0);
            assertArrayEquals(read("c.npy").data(), cov.matrix().data(), 0);
        }
        Map<String, Object> j = MiniJson.object(npz.out());
        assertEquals(p("out.npz"), ((Map<?, ?>) j.get("outputs")).get("npz"));
        String[][] wrong = {
            {"--npz", p("a.npz"), "--mean", p("a.npy")},
            {"--npz", p("b.npz"), "--var", p("v.npy")},
            {"--mean", p("c.npy"), "--var"},
            {},
        };
        for (String[] w : wrong) {
            Cli.Result r = Cli.run(concat(concat(new String[] {"predict", "--train-y", p("y.npy"), "--k-train-train", p("dd_nngp.npy"),
                "--k-test-train", p("td_nngp.npy"), "--k-test-test", p("tt_nngp.npy")}, w), new String[0]));
            assertEquals(2, r.status(), () -> String.join(" ", w) + " -> " + r);
            assertTrue(r.err().contains("--npz") || r.err().contains("--mean"), r::toString);
        }
    }

    private static org.aleph.kernel.io.NpyFormat.Array entry(java.util.zip.ZipFile zip, String name) throws java.io.IOException {
        return org.aleph.kernel.io.NpyFormat.readArray(java.nio.ByteBuffer.wrap(zip.getInputStream(zip.getEntry(name)).readAllBytes()),
                name);
    }
}
