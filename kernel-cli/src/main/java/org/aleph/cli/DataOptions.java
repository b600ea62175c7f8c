package org.aleph.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aleph.cli.data.LabeledData;
import org.aleph.cli.data.Preprocessing;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.io.OutputGroup;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The data of {@code aleph fit} and {@code aleph sweep}, as {@code predict} takes it
 * ({@code --train-x}, {@code --train-y}) or as {@code classify} does ({@code --train} with
 * labels, one-hot targets 0.9 / -0.1), with optional test data for scoring. Used as an
 * exclusive {@code @ArgGroup} with multiplicity 1: exactly one of the two forms. Images keep
 * their shape (the commands' {@code --shape H,W,C} reads 2-D files as images), so that
 * convolutional specs work.
 */
final class DataOptions {

    @ArgGroup(exclusive = false)
    Regression regression;

    @ArgGroup(exclusive = false)
    Classes classes;

    /** The input files given, each with its option, for the check that no output replaces one. */
    List<OutputGroup.Target> inputs() {
        List<OutputGroup.Target> inputs = new ArrayList<>();
        if (regression != null) {
            add(inputs, "--train-x", regression.x);
            add(inputs, "--train-y", regression.y);
            add(inputs, "--test-x", regression.testX);
            add(inputs, "--test-y", regression.testY);
        }
        if (classes != null) {
            add(inputs, "--train", classes.train);
            add(inputs, "--train-labels", classes.trainLabels);
            add(inputs, "--test", classes.test);
            add(inputs, "--test-labels", classes.testLabels);
        }
        return inputs;
    }

    private static void add(List<OutputGroup.Target> inputs, String option, Path path) {
        if (path != null) {
            inputs.add(new OutputGroup.Target(option, path));
        }
    }

    /** --train-x and --train-y. */
    static final class Regression {
        @Option(names = "--train-x", required = true, paramLabel = "FILE", description = "Training inputs (n x d), .csv or .npy.")
        Path x;

        @Option(names = "--train-y", required = true, paramLabel = "FILE", description = "Training targets (n x k).")
        Path y;

        @Option(names = "--test-x", paramLabel = "FILE", description = "Test inputs, to score the result (with --test-y).")
        Path testX;

        @Option(names = "--test-y", paramLabel = "FILE", description = "Test targets (with --test-x).")
        Path testY;

        /** {training data, test data or null}, the test data with the training data's columns. */
        FitData[] load(ImageShape given) {
            FitData train = FitData.regression(x, "--train-x", y, "--train-y", given);
            if ((testX == null) != (testY == null)) {
                throw new UserErrorException("--test-x and --test-y go together: give both to score the result, or neither");
            }
            if (testX == null) {
                return new FitData[] {train, null};
            }
            FitData test = FitData.regression(testX, "--test-x", testY, "--test-y", given);
            if (test.x().cols() != train.x().cols() || test.y().cols() != train.y().cols()) {
                throw new UserErrorException("--test-x/--test-y have " + test.x().cols() + "/" + test.y().cols()
                        + " columns but --train-x/--train-y have " + train.x().cols() + "/" + train.y().cols());
            }
            return new FitData[] {train, test};
        }
    }

    /** --train with labels. */
    static final class Classes {
        @Option(names = "--train", required = true, paramLabel = "DATA", description = "Labelled training data (IDX, CSV with the label first, .npy + labels).")
        Path train;

        @Option(names = "--train-labels", paramLabel = "FILE", description = "Labels of the training data (when not found by the naming rule).")
        Path trainLabels;

        @Option(names = "--test", paramLabel = "DATA", description = "Labelled test data, to score the result.")
        Path test;

        @Option(names = "--test-labels", paramLabel = "FILE", description = "Labels of the test data.")
        Path testLabels;

        @Option(names = "--n-test", paramLabel = "M", description = "Use the first M test samples (default: 1000 for fit, 2000 for sweep).")
        Integer nTest;

        @Option(names = "--preprocess", defaultValue = "standardize", paramLabel = "HOW",
                description = "standardize (default: each sample centred, |x|^2/d = 1) or none.")
        String preprocess;

        /**
         * {training samples (the first {@code nTrain}, or all for -1), test samples or null},
         * with the same number of features; images of {@code given} when a 2-D file carries no shape.
         */
        LabeledData[] load(int nTrain, int defaultTest, ImageShape given) {
            int m = nTest == null ? defaultTest : nTest;
            if (m < 1) {
                throw new UserErrorException("--n-test must be at least 1, got " + m);
            }
            Preprocessing prep = FitCommand.preprocessing(preprocess);
            LabeledData tr = FitData.labelled(train, trainLabels, nTrain, "--train", prep, given);
            LabeledData te = test == null ? null : FitData.labelled(test, testLabels, m, "--test", prep, given);
            if (te != null && te.x().cols() != tr.x().cols()) {
                throw new UserErrorException("--train has " + tr.x().cols() + " features per sample but --test has " + te.x().cols());
            }
            return new LabeledData[] {tr, te};
        }
    }
}
