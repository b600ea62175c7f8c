package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {

    @TempDir
    Path dir;

    /** Three well separated Gaussian blobs in 6 dimensions, label in the first column. */
    private Path blobs(String name, int n, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] centres = {{4, 0, 0, 0, 0, 1}, {0, 4, 0, 0, 1, 0}, {0, 0, 4, 1, 0, 0}};
        StringBuilder b = new StringBuilder("# label, features\n");
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            b.append(c);
            for (double v : centres[c]) {
                b.append(',').append(v + 0.5 * rnd.nextGaussian());
            }
            b.append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, b);
        return p;
    }

    @Test
    void separableBlobsAreClassifiedWithBothKernels() throws IOException {
        Path train = blobs("train.csv", 60, 1);
        Path test = blobs("test.csv", 30, 2);
        for (String kernel : List.of("nngp", "ntk")) {
            Cli.Result r = Cli.run("classify", "--net", "Dense(1.5,0.05) Relu Dense(1,0)", "--train", train.toString(),
                    "--test", test.toString(), "--kernel", kernel, "--json");
            assertEquals(0, r.status(), r.toString());
            Map<String, Object> json = MiniJson.object(r.out());
            assertEquals(1.0, ((Number) json.get("accuracy")).doubleValue(), 0.0, r.out());
            List<?> confusion = (List<?>) json.get("confusion");
            assertEquals(3, confusion.size());
            assertEquals(10.0, ((Number) ((List<?>) confusion.get(1)).get(1)).doubleValue());
            assertTrue(((Map<?, ?>) json.get("seconds")).containsKey("train_kernel"));
        }
    }

    @Test
    void predictionsAreWrittenOnePerTestSample() throws IOException {
        Path train = blobs("train.csv", 60, 11);
        Path test = blobs("test.csv", 30, 12); // sample i has label i % 3, and the blobs are separable
        for (String name : List.of("pred.csv", "pred.npy")) {
            Path out = dir.resolve(name);
            Cli.Result r = Cli.run("classify", "--net", "Dense(1.5,0.05) Relu Dense(1,0)", "--train", train.toString(),
                    "--test", test.toString(), "--predictions", out.toString(), "--json");
            assertEquals(0, r.status(), r.toString());
            assertEquals(1.0, ((Number) MiniJson.object(r.out()).get("accuracy")).doubleValue(), 0.0, r.out());
            assertEquals(out.toString(), MiniJson.object(r.out()).get("predictions"));
            double[] predicted = org.aleph.kernel.io.MatrixFiles.read(out, "--predictions").data();
            assertEquals(30, predicted.length);
            for (int i = 0; i < 30; i++) {
                assertEquals(i % 3, predicted[i], 0.0, name + " row " + (i + 1));
            }
        }
    }

    @Test
    void aPredictionsFileThatIsAnInputOrHasNoFolderIsRefusedBeforeAnyWork() throws IOException {
        Path train = blobs("train.csv", 9, 13);
        Path test = blobs("test.csv", 9, 14);
        String before = Files.readString(test);
        Cli.Result clobber = Cli.run("classify", "--net", "Dense Relu Dense", "--train", train.toString(), "--test", test.toString(),
                "--predictions", test.toString());
        assertEquals(2, clobber.status(), clobber.toString());
        assertTrue(clobber.err().contains("--predictions") && clobber.err().contains("would overwrite an input file (--test"), clobber.err());
        assertTrue(clobber.noStackTrace());
        assertEquals(before, Files.readString(test), "the input is untouched");
        Cli.Result nowhere = Cli.run("classify", "--net", "Dense Relu Dense", "--train", train.toString(), "--test", test.toString(),
                "--predictions", dir.resolve("missing/pred.csv").toString());
        assertEquals(2, nowhere.status(), nowhere.toString());
        assertTrue(nowhere.err().contains("--predictions"), nowhere.err());
        assertTrue(nowhere.out().isEmpty(), "no result before the refusal: " + nowhere.out());
    }

    @Test
    void finiteTimeIsBetweenPriorAndConvergedPrediction() throws IOException {
        Path train = blobs("train.csv", 30, 3);
        Path test = blobs("test.csv", 30, 4);
        // At t = 0 the ensemble mean is the prior mean 0 for every class: arg-max picks class 0,
        // so accuracy is exactly the share of class 0 (1/3). Long training separates the blobs.
        Cli.Result early = Cli.run("classify", "--net", "Dense(1,0) Erf Dense(1,0)", "--train", train.toString(),
                "--test", test.toString(), "--kernel", "ntk", "--time", "0", "--json");
        assertEquals(0, early.status(), early.toString());
        assertEquals(1.0 / 3, ((Number) MiniJson.object(early.out()).get("accuracy")).doubleValue(), 1e-12);
        Cli.Result late = Cli.run("classify", "--net", "Dense(1,0) Erf Dense(1,0)", "--train", train.toString(),
                "--test", test.toString(), "--kernel", "ntk", "--time", "1e6", "--json");
        assertEquals(1.0, ((Number) MiniJson.object(late.out()).get("accuracy")).doubleValue(), 0.0);
    }

    @Test
    void userMistakesExitTwoWithOneSentence() throws IOException {
        Path train = blobs("train.csv", 9, 5);
        Path narrow = dir.resolve("narrow.csv");
        Files.writeString(narrow, "0,1,2\n1,3,4\n");
        Cli.Result width = Cli.run("classify", "--net", "Dense Relu Dense", "--train", train.toString(), "--test", narrow.toString());
        assertEquals(2, width.status(), width.toString());
        assertTrue(width.err().contains("--train has 6 features per sample but --test has 2"), width.err());
        assertTrue(width.noStackTrace());

        Path badLabel = dir.resolve("bad.csv");
        Files.writeString(badLabel, "0,1,2\n1.5,3,4\n");
        Cli.Result label = Cli.run("classify", "--net", "Dense Relu Dense", "--train", badLabel.toString(), "--test", badLabel.toString());
        assertEquals(2, label.status());
        assertTrue(label.err().contains("bad.csv:2"), label.err());

        Cli.Result time = Cli.run("classify", "--net", "Dense Relu Dense", "--train", train.toString(), "--test", train.toString(), "--time", "-1");
        assertEquals(2, time.status());
        assertTrue(time.err().contains("--time"), time.err());

        Cli.Result missing = Cli.run("classify", "--net", "Dense Relu Dense", "--train", dir.resolve("none.csv").toString(), "--test", train.toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("none.csv") && missing.err().contains("no such file"), missing.err());
    }

    @Test
    void refusesAJobThatCannotFitAndSaysWhatItNeeds() {
        org.aleph.kernel.UserErrorException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.aleph.kernel.UserErrorException.class, () -> ClassifyCommand.checkMemory(1_000_000, 10_000, 784, 2));
        assertTrue(e.getMessage().contains("GiB") && e.getMessage().contains("--n-train") && e.getMessage().contains("-Xmx"), e.getMessage());
    }
}
