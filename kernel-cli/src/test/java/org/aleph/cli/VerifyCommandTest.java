package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.finite.LogLogFit;
import org.aleph.kernel.finite.Quantity;
import org.aleph.kernel.finite.SphereData;
import org.aleph.kernel.finite.Verification;
import org.aleph.kernel.finite.VerificationReport;
import java.io.IOException;
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

    static final String CONV = "Conv(1.5,0.05,filter=3,padding=SAME) Relu Conv(1.5,0.05,filter=3,stride=2,padding=CIRCULAR) Relu "
            + "Flatten Dense(1,0)";

    @Test
    void convSpecWithoutDataUsesTheBuiltInImagesAndMatchesTheLibrary() {
        Cli.Result r = Cli.run("verify", "--net", CONV, "--widths", "8,32", "--seeds", "2", "--steps", "3", "--threads", "2", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> json = MiniJson.object(r.out());
        assertEquals(List.of(6.0, 6.0, 2.0), json.get("image_shape"));
        assertEquals(4.0, json.get("train_points"));
        assertEquals(2.0, json.get("test_points"));
        VerificationReport expected = Verification.run(Verification.Settings.builtIn(Network.parse(CONV), new int[] {8, 32}, 2, 1,
                Double.NaN, 3, 1), null);
        for (Quantity q : Quantity.values()) {
            @SuppressWarnings("unchecked")
            List<Double> values = (List<Double>) json.get(q.key());
            assertEquals(expected.values(q)[0], values.get(0), 0.0, q.key());
            assertEquals(expected.values(q)[1], values.get(1), 0.0, q.key());
        }
        Cli.Result table = Cli.run("verify", "--net", CONV, "--widths", "8,16", "--seeds", "1", "--steps", "1");
        assertEquals(0, table.status(), table::toString);
        assertTrue(table.out().contains("built-in 6x6x2 images"), table.out());
    }

    @Test
    void imagesFromFourDimensionalNpyEqualCsvWithShape() throws IOException {
        ImageShape shape = new ImageShape(5, 4, 3);
        Matrix x = SphereData.points(5, shape.features(), 3);
        NpyArrays.write(dir.resolve("x.npy"), x.data(), 5, 5, 4, 3);
        NpyArrays.write(dir.resolve("t.npy"), SphereData.points(2, shape.features(), 4).data(), 2, 5, 4, 3);
        MatrixFiles.write(dir.resolve("x.csv"), x, "x");
        String net = "Conv(1.5,0.1,filter=3,padding=CIRCULAR) Relu AvgPool(window=2) Conv(1.5,0.1,filter=2) Erf GlobalAvgPool Dense(1,0)";
        Cli.Result npy = Cli.run("verify", "--net", net, "--x", dir.resolve("x.npy").toString(), "--test-x", dir.resolve("t.npy").toString(),
                "--widths", "8,16", "--seeds", "2", "--steps", "2", "--json");
        assertEquals(0, npy.status(), npy::toString);
        Map<String, Object> json = MiniJson.object(npy.out());
        assertEquals(List.of(5.0, 4.0, 3.0), json.get("image_shape"));
        assertEquals(2.0, json.get("test_points"));
        Cli.Result csv = Cli.run("verify", "--net", net, "--x", dir.resolve("x.csv").toString(), "--shape", "5,4,3",
                "--test-x", dir.resolve("t.npy").toString(), "--widths", "8,16", "--seeds", "2", "--steps", "2", "--json");
        assertEquals(0, csv.status(), csv::toString);
        Map<String, Object> other = MiniJson.object(csv.out());
        for (Quantity q : Quantity.values()) {
            assertEquals(json.get(q.key()), other.get(q.key()), q.key());
        }
    }

    @Test
    void convMistakesExitWithStatusTwo() throws IOException {
        MatrixFiles.write(dir.resolve("flat.csv"), SphereData.points(4, 30, 1), "x");
        NpyArrays.write(dir.resolve("x.npy"), SphereData.points(4, 30, 1).data(), 4, 5, 6);
        NpyArrays.write(dir.resolve("t.npy"), SphereData.points(2, 30, 1).data(), 2, 6, 5);
        String[][] cases = {
            {"--x", dir.resolve("flat.csv").toString()},
            {"--x", dir.resolve("flat.csv").toString(), "--shape", "5,5,1"},
            {"--x", dir.resolve("x.npy").toString(), "--test-x", dir.resolve("t.npy").toString()},
            {"--shape", "5,6,1"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 8];
            System.arraycopy(new String[] {"verify", "--net", CONV, "--widths", "8", "--seeds", "1", "--steps"}, 0, args, 0, 8);
            args = java.util.Arrays.copyOf(args, c.length + 9);
            args[8] = "1";
            System.arraycopy(c, 0, args, 9, c.length);
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), r::toString);
            assertTrue(r.noStackTrace(), r::toString);
        }
        Cli.Result tooBig = Cli.run("verify", "--net", "Conv(1,0,filter=7,padding=VALID) Relu Flatten Dense(1,0)", "--widths", "8",
                "--seeds", "1", "--steps", "1");
        assertEquals(2, tooBig.status(), tooBig::toString);
        assertTrue(tooBig.err().contains("column"), tooBig::toString);
    }
}
