package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.aleph.cli.io.MatrixFiles;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.finite.LogLogFit;
import org.aleph.kernel.finite.Quantity;
import org.aleph.kernel.finite.SphereData;
import org.aleph.kernel.finite.Verification;
import org.aleph.kernel.finite.VerificationReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aleph verify} end to end, in-process: the JSON object carries exactly what the library
 * measures for the same settings (bit for bit, the run being deterministic), the table shows
 * every width and the slopes, and mistakes exit with status 2 and one sentence.
 */
class VerifyCommandTest {

    static final String NET = "Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)";

    @TempDir
    Path dir;

    @Test
    void jsonHoldsTheLibraryMeasurementsAndSlopes() {
        Cli.Result r = Cli.run("verify", "--net", NET, "--widths", "16,64", "--seeds", "2", "--steps", "5", "--threads", "2", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> json = MiniJson.object(r.out());
        assertEquals(List.of(16.0, 64.0), json.get("widths"));
        VerificationReport expected = Verification.run(Verification.Settings.builtIn(Network.parse(NET), new int[] {16, 64}, 2, 1,
                Double.NaN, 5, 1), null);
        @SuppressWarnings("unchecked")
        Map<String, Object> slopes = (Map<String, Object>) json.get("slopes");
        for (Quantity q : Quantity.values()) {
            @SuppressWarnings("unchecked")
            List<Double> values = (List<Double>) json.get(q.key());
            double[] e = expected.values(q);
            assertEquals(e.length, values.size(), q.key());
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], values.get(i), 0.0, q.key());
            }
            assertEquals(LogLogFit.slope(new int[] {16, 64}, e), (Double) slopes.get(q.key()), 1e-15, q.key());
            // every measured quantity shrinks from width 16 to 64
            assertTrue((Double) slopes.get(q.key()) < 0, () -> q.key() + " slope " + slopes.get(q.key()));
        }
        assertEquals(6, slopes.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> errors = (Map<String, Object>) json.get("standard_errors");
        assertEquals(expected.standardErrors(Quantity.NTK_ERROR)[1], ((List<?>) errors.get("ntk_error")).get(1));
        assertEquals(8.0, json.get("train_points"));
        assertTrue(r.err().contains("width 64"), "progress on standard error");
    }

    @Test
    void tableShowsEveryWidthAndTheSlopes() {
        Cli.Result r = Cli.run("verify", "--net", "Dense(1.5,0.05) Erf Dense(1,0)", "--widths", "8,32", "--seeds", "2", "--steps", "3");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("NTK err"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("8 ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("32 ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("slope")), r.out());
    }

    @Test
    void readsTrainingAndTestDataFromFiles() {
        Matrix x = SphereData.points(6, 3, 5);
        MatrixFiles.write(dir.resolve("x.csv"), x, "x");
        MatrixFiles.write(dir.resolve("y.csv"), Matrix.wrap(6, 1, SphereData.targets(x)), "y");
        MatrixFiles.write(dir.resolve("t.npy"), SphereData.points(3, 3, 6), "t");
        Cli.Result r = Cli.run("verify", "--net", NET, "--widths", "8,16", "--seeds", "2", "--steps", "2", "--json",
                "--x", dir.resolve("x.csv").toString(), "--y", dir.resolve("y.csv").toString(), "--test-x", dir.resolve("t.npy").toString());
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> json = MiniJson.object(r.out());
        assertEquals(6.0, json.get("train_points"));
        assertEquals(3.0, json.get("test_points"));
    }

    @Test
    void mistakesExitWithStatusTwoAndOneSentence() {
        Cli.Result widths = Cli.run("verify", "--net", NET, "--widths", "64,32");
        assertEquals(2, widths.status(), widths::toString);
        assertTrue(widths.err().contains("--widths"), widths::toString);
        assertTrue(widths.noStackTrace());

        Cli.Result noDense = Cli.run("verify", "--net", "Dense(1,0) Relu", "--widths", "8,16", "--seeds", "1", "--steps", "1");
        assertEquals(2, noDense.status(), noDense::toString);
        assertTrue(noDense.err().contains("Dense"), noDense::toString);
        assertTrue(noDense.noStackTrace());

        MatrixFiles.write(dir.resolve("x.csv"), SphereData.points(4, 2, 1), "x");
        MatrixFiles.write(dir.resolve("y.csv"), Matrix.wrap(2, 2, new double[4]), "y");
        Cli.Result shape = Cli.run("verify", "--net", NET, "--x", dir.resolve("x.csv").toString(), "--y", dir.resolve("y.csv").toString());
        assertEquals(2, shape.status(), shape::toString);
        assertTrue(shape.err().contains("--y"), shape::toString);

        Cli.Result seeds = Cli.run("verify", "--net", NET, "--seeds", "0");
        assertEquals(2, seeds.status(), seeds::toString);
    }
}
