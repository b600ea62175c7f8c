package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.MseEnsemble;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.aleph.kernel.dynamics.Prediction;
import org.aleph.kernel.dynamics.Uncertainty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aleph predict} end to end, in-process, against the library called directly. */
class PredictCommandTest {

    static final String NET = "Dense(1.5,0.05) Relu Dense(1,0)";

    @TempDir
    Path dir;

    Matrix x;
    Matrix y;
    Matrix xt;
    KernelPair dd;
    KernelPair td;
    KernelPair tt;

    @BeforeEach
    void data() {
        Random r = new Random(3);
        x = gaussian(r, 9, 3);
        y = gaussian(r, 9, 2);
        xt = gaussian(r, 4, 3);
        MatrixFiles.write(dir.resolve("x.csv"), x, "x");
        MatrixFiles.write(dir.resolve("y.csv"), y, "y");
        MatrixFiles.write(dir.resolve("t.npy"), xt, "t");
        KernelComputer kc = new KernelComputer(Network.parse(NET), 1);
        dd = KernelPair.of(kc.compute(x, null));
        td = KernelPair.of(kc.compute(xt, x));
        tt = KernelPair.of(kc.compute(xt, null));
    }

    private Cli.Result predict(String... extra) {
        String[] base = {"predict", "--net", NET, "--train-x", dir.resolve("x.csv").toString(), "--train-y",
            dir.resolve("y.csv").toString(), "--test-x", dir.resolve("t.npy").toString(), "--mean", dir.resolve("m.npy").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return Cli.run(all);
    }

    @Test
    void nngpPosteriorEqualsTheLibraryAndReportsJson() {
        Cli.Result r = predict("--diag-reg", "1e-3", "--var", dir.resolve("v.csv").toString(), "--json");
        assertEquals(0, r.status(), r::toString);
        GpInference gp = new GpInference(dd, y, DiagonalRegularizer.relative(1e-3), LinearAlgebra.automatic());
        Prediction p = gp.predict(PosteriorKind.NNGP, td, tt, Uncertainty.VARIANCE);
        assertArrayEquals(p.mean().data(), MatrixFiles.read(dir.resolve("m.npy"), "m").data(), 1e-13);
        assertArrayEquals(p.variance(), MatrixFiles.read(dir.resolve("v.csv"), "v").data(), 1e-13);
        Map<String, Object> j = MiniJson.object(r.out());
        assertEquals("predict", j.get("command"));
        assertEquals(List.of("inf"), j.get("times"));
        assertEquals(gp.logMarginalLikelihood(PosteriorKind.NNGP), (Double) j.get("log_marginal_likelihood"), 1e-9);
        @SuppressWarnings("unchecked")
        Map<String, Object> reg = (Map<String, Object>) j.get("diag_reg");
        assertEquals(false, reg.get("raised"));
        assertTrue((Double) reg.get("condition_number") > 1);
    }

    @Test
    void severalTimesGiveOneBlockPerTimeInTimeOrder() {
        Cli.Result r = predict("--kernel", "ntk", "--time", "10,inf,0", "--lr", "0.5", "--diag-reg", "1e-4",
                "--cov", dir.resolve("c.npy").toString());
        assertEquals(0, r.status(), r::toString);
        Matrix mean = MatrixFiles.read(dir.resolve("m.npy"), "m");
        Matrix cov = MatrixFiles.read(dir.resolve("c.npy"), "c");
        assertEquals(12, mean.rows());
        assertEquals(12, cov.rows());
        assertEquals(4, cov.cols());
        MseEnsemble e = new MseEnsemble(dd, y, 0.5, DiagonalRegularizer.relative(1e-4), LinearAlgebra.automatic());
        List<Prediction> ps = e.predictTest(KernelKind.NTK, new double[] {0, 10, Double.POSITIVE_INFINITY}, td, tt,
                Uncertainty.COVARIANCE);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(ps.get(b).mean().row(i), mean.row(4 * b + i), 1e-13, "block " + b);
                assertArrayEquals(ps.get(b).covariance().row(i), cov.row(4 * b + i), 1e-13, "block " + b);
            }
        }
        // The first block is t = 0: the prior, mean 0 and covariance the NNGP test-test kernel.
        assertEquals(0.0, mean.get(0, 0), 0);
        assertEquals(tt.nngp().get(1, 2), cov.get(1, 2), 1e-15);
    }

    @Test
    void crossEntropyRunsTheOdeForMeans() {
        Cli.Result r = predict("--kernel", "ntk", "--loss", "xent", "--time", "1,5", "--json");
        assertEquals(0, r.status(), r::toString);
        assertEquals(8, MatrixFiles.read(dir.resolve("m.npy"), "m").rows());
        assertTrue(r.out().contains("derivative evaluations"), r::toString);
    }

    @Test
    void mistakesExitWithStatusTwoAndOneSentence() {
        Cli.Result ntkgp = predict("--kernel", "ntkgp", "--time", "1");
        assertEquals(2, ntkgp.status(), ntkgp::toString);
        assertTrue(ntkgp.err().contains("--kernel ntkgp is a posterior"), ntkgp::toString);
        assertTrue(ntkgp.noStackTrace() && ntkgp.errLines() == 1, ntkgp::toString);
        Cli.Result both = predict("--var", dir.resolve("v.csv").toString(), "--cov", dir.resolve("c.csv").toString());
        assertEquals(2, both.status(), both::toString);
        Cli.Result badTime = predict("--time", "soon");
        assertEquals(2, badTime.status(), badTime::toString);
        assertTrue(badTime.err().contains("'soon'"), badTime::toString);
    }

    @Test
    void duplicatedTrainingPointsAreRefusedUnlessRaisingIsAllowed() {
        Matrix dup = Matrix.of(new double[][] {{1, 2, 3}, {1, 2, 3}, {0, 1, 0}});
        MatrixFiles.write(dir.resolve("x.csv"), dup, "x");
        MatrixFiles.write(dir.resolve("y.csv"), Matrix.of(new double[][] {{1}, {1}, {0}}), "y");
        Cli.Result refused = predict();
        assertEquals(2, refused.status(), refused::toString);
        assertTrue(refused.err().contains("not numerically positive definite"), refused::toString);
        assertTrue(refused.noStackTrace(), refused::toString);
        Cli.Result raised = predict("--auto-reg", "--json");
        assertEquals(0, raised.status(), raised::toString);
        Map<String, Object> j = MiniJson.object(raised.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> reg = (Map<String, Object>) j.get("diag_reg");
        assertEquals(true, reg.get("raised"));
        assertTrue((Double) reg.get("used") > 0);
        assertTrue(j.get("notes").toString().contains("raised the diagonal regulariser"), raised::toString);
    }

    static Matrix gaussian(Random r, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Matrix.wrap(rows, cols, d);
    }
}
