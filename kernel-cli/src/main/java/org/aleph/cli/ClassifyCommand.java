package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.aleph.cli.data.DataSets;
import org.aleph.cli.data.LabeledData;
import org.aleph.cli.data.Preprocessing;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.io.OutputGroup;
import org.aleph.kernel.io.Inputs;
import org.aleph.cli.io.ShapeOption;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.MseEnsemble;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.aleph.kernel.dynamics.Prediction;
import org.aleph.kernel.dynamics.Uncertainty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph classify}: kernel regression of one-hot targets (0.9 / -0.1, Lee et al. 2018)
 * with the NNGP (exact Bayesian inference) or the NTK (the infinite ensemble trained by
 * gradient descent, at t = infinity or at a finite time), the predicted class being the
 * arg-max. Prints the accuracy, the confusion matrix and the time of every stage.
 */
@Command(name = "classify",
        sortOptions = false,
        description = {
            "Classifies with the kernel of an infinitely wide network: kernel regression on one-hot targets (0.9 / -0.1).",
            "DATA is IDX (MNIST family, gzip or not; labels found by the MNIST naming rule), CSV with the label in the",
            "first column, or a .npy of samples with --train-labels / --test-labels. The first N (M) samples are used.",
            "Images keep their shape (IDX 28x28 -> 28x28x1, .npy (n, H, W, C) or (n, H, W)), so convolutional specs work;",
            "a 2-D file is read as images with --shape H,W,C.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph classify --net \"Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)\" \\",
            "      --train /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \\",
            "      --test /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --n-train 1000 --n-test 1000",
            "  aleph classify --net \"Dense(2,0.1) Erf Dense(1,0)\" --train train.csv --test test.csv --kernel ntk --time 100 --json",
            "  aleph classify --net \"Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu Conv(1.5,0.05,filter=3,stride=1,padding=SAME) Relu Flatten Dense(1,0)\" \\",
            "      --train /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \\",
            "      --test /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --n-train 1000 --n-test 2000",
        })
public final class ClassifyCommand implements Callable<Integer> {

    /** Targets of Lee et al. 2018: 0.9 for the true class, -0.1 elsewhere. */
    static final double ON = 0.9;
    static final double OFF = -0.1;

    /** The kernel that drives the prediction. */
    enum Kernel { nngp, ntk }

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Mixin
    NetOption net;

    @Option(names = "--train", required = true, paramLabel = "DATA", description = "Training data (IDX, CSV with label first, or .npy).")
    Path train;

    @Option(names = "--test", required = true, paramLabel = "DATA", description = "Test data, same formats.")
    Path test;

    @Option(names = "--train-labels", paramLabel = "FILE", description = "Labels of the training data (when not found by the naming rule).")
    Path trainLabels;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "Labels of the test data.")
    Path testLabels;

    @Option(names = "--n-train", paramLabel = "N", defaultValue = "1000", description = "Use the first N training samples (default ${DEFAULT-VALUE}).")
    int nTrain;

    @Option(names = "--n-test", paramLabel = "M", defaultValue = "1000", description = "Use the first M test samples (default ${DEFAULT-VALUE}).")
    int nTest;

    @Option(names = "--kernel", defaultValue = "nngp", paramLabel = "KIND",
            description = "nngp (Bayesian posterior mean) or ntk (gradient-descent ensemble mean); default ${DEFAULT-VALUE}. Allowed: ${COMPLETION-CANDIDATES}.")
    Kernel kernel;

    @Option(names = "--diag-reg", defaultValue = "1e-4", paramLabel = "R",
            description = "Diagonal regulariser relative to the mean diagonal of the train kernel (default ${DEFAULT-VALUE}).")
    double diagReg;

    @Option(names = "--time", paramLabel = "T", defaultValue = "inf",
            description = "Training time of the gradient-descent ensemble (learning rate 1), or inf (default) for the converged/posterior mean.")
    String time;

    @Option(names = "--preprocess", defaultValue = "standardize", paramLabel = "HOW",
            description = "standardize (each sample centred, scaled to |x|^2/d = 1; default) or none.")
    String preprocess;

    @Option(names = "--shape", paramLabel = "H,W,C",
            description = "Read the rows of 2-D data (CSV, 2-D .npy) as images of H x W pixels and C channels (H,W: C = 1).")
    String shape;

    @Option(names = "--predictions", paramLabel = "OUT",
            description = "Also write the predicted class of every test sample (0-based, as the labels), one per row, .csv or .npy.")
    Path predictionsOut;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    /** The tiled engine's options (kernel-scale, issue 14). */
    @picocli.CommandLine.Mixin
    ScaleOptions scale = new ScaleOptions();

    /** The tiled solve when the local engine runs, else null. */
    ScaledClassification scaled;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkOptions();
        checkPredictionsOutput();
        double t = parseTime();
        Preprocessing prep = Preprocessing.valueOf(preprocess.toUpperCase(Locale.ROOT));
        int workers = threads.workers();
        Network network = net.network(aleph.registry());
        ImageShape given = ShapeOption.parse(shape, "--shape");
        Map<String, Double> seconds = new LinkedHashMap<>();

        long s0 = System.nanoTime();
        LabeledData tr = DataSets.load(train, trainLabels, nTrain, "--train", given, "--shape");
        LabeledData te = DataSets.load(test, testLabels, nTest, "--test", given, "--shape");
        ImageShape images = ImageInputs.common(network, new Inputs(tr.x(), tr.shape(), train, "--train"),
                new Inputs(te.x(), te.shape(), test, "--test"));
        if (tr.x().cols() != te.x().cols()) {
            throw new UserErrorException("--train has " + tr.x().cols() + " features per sample but --test has " + te.x().cols());
        }
        if (tr.x().rows() < nTrain || te.x().rows() < nTest) {
            err.printf(Locale.ROOT, "note: using %d training and %d test samples (the files hold no more)%n", tr.x().rows(), te.x().rows());
        }
        scaled = ScaledClassification.choose(scale, network, images, tr.x().rows(), te.x().rows(), tr.x().cols(), workers, t,
                () -> checkMemory(network, images, tr.x().rows(), te.x().rows(), tr.x().cols(), workers), err);
        prep.apply(tr.x());
        prep.apply(te.x());
        int classes = Math.max(tr.classes(), te.classes());
        seconds.put("load", elapsed(s0));

        List<String> notes = new ArrayList<>();
        Matrix mean;
        if (scaled != null) {
            mean = scaled.run(tr.x(), te.x(), tr.oneHot(classes, ON, OFF), kernel == Kernel.ntk, diagReg, seconds, notes);
        } else {
        long s1 = System.nanoTime();
        KernelResult kTrain = ImageInputs.compute(new KernelComputer(network, workers, ProgressReporter.forStage(err, "train kernel")),
                tr.x(), null, images);
        seconds.put("train_kernel", elapsed(s1));
        long s2 = System.nanoTime();
        KernelResult kTest = ImageInputs.compute(new KernelComputer(network, workers, ProgressReporter.forStage(err, "test kernel")),
                te.x(), tr.x(), images);
        seconds.put("test_kernel", elapsed(s2));

        long s3 = System.nanoTime();
        Matrix y = tr.oneHot(classes, ON, OFF);
        mean = predict(KernelPair.of(kTrain), KernelPair.of(kTest), y, t, notes);
        seconds.put("solve_predict", elapsed(s3));
        }
        seconds.put("total", elapsed(s0));
        for (String note : notes) {
            err.println("note: " + note);
        }

        int[][] confusion = new int[classes][classes];
        int correct = 0;
        double[] predictedClasses = new double[te.x().rows()];
        for (int i = 0; i < te.x().rows(); i++) {
            int predicted = argmax(mean, i);
            predictedClasses[i] = predicted;
            confusion[te.labels()[i]][predicted]++;
            correct += predicted == te.labels()[i] ? 1 : 0;
        }
        if (predictionsOut != null) {
            try (OutputGroup group = new OutputGroup()) {
                MatrixFiles.stageVector(group, predictionsOut, predictedClasses, "--predictions");
                group.commit();
            }
        }
        double accuracy = (double) correct / te.x().rows();
        if (json.on()) {
            printJson(out, tr, te, images, t, accuracy, confusion, seconds, notes);
        } else {
            printText(out, tr, te, images, t, accuracy, confusion, seconds);
        }
        out.flush();
        return 0;
    }

    private Matrix predict(KernelPair trainTrain, KernelPair testTrain, Matrix y, double t, List<String> notes) {
        DiagonalRegularizer reg = DiagonalRegularizer.relative(diagReg);
        if (Double.isInfinite(t)) {
            GpInference gp = new GpInference(trainTrain, y, reg, LinearAlgebra.automatic());
            Prediction p = gp.predict(kernel == Kernel.nngp ? PosteriorKind.NNGP : PosteriorKind.NTK, testTrain, null, Uncertainty.NONE);
            notes.addAll(gp.notes());
            return p.mean();
        }
        MseEnsemble ensemble = new MseEnsemble(trainTrain, y, 1.0, reg, LinearAlgebra.automatic());
        KernelKind variant = kernel == Kernel.nngp ? KernelKind.NNGP : KernelKind.NTK;
        Prediction p = ensemble.predictTest(variant, new double[] {t}, testTrain, null, Uncertainty.NONE).get(0);
        notes.addAll(ensemble.notes());
        return p.mean();
    }

    /** Refuses, before any work, a --predictions file that cannot be written or that is one of the inputs. */
    private void checkPredictionsOutput() {
        if (predictionsOut == null) {
            return;
        }
        MatrixFiles.checkWritable(predictionsOut, "--predictions");
        OutputGroup.requireDistinct(List.of(new OutputGroup.Target("--predictions", predictionsOut)),
                List.of(new OutputGroup.Target("--train", train), new OutputGroup.Target("--test", test),
                        new OutputGroup.Target("--train-labels", trainLabels), new OutputGroup.Target("--test-labels", testLabels)));
    }

    private void checkOptions() {
        if (nTrain < 1) {
            throw new UserErrorException("--n-train must be at least 1, got " + nTrain);
        }
        if (nTest < 1) {
            throw new UserErrorException("--n-test must be at least 1, got " + nTest);
        }
        if (!(diagReg >= 0) || Double.isInfinite(diagReg)) {
            throw new UserErrorException("--diag-reg must be a finite number >= 0, got " + diagReg);
        }
        threads.workers();
        if (!preprocess.equalsIgnoreCase("standardize") && !preprocess.equalsIgnoreCase("none")) {
            throw new UserErrorException("--preprocess must be standardize or none, got '" + preprocess + "'");
        }
    }

    private double parseTime() {
        if (time.equalsIgnoreCase("inf") || time.equalsIgnoreCase("infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double t = Double.parseDouble(time);
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new NumberFormatException();
            }
            return t;
        } catch (NumberFormatException e) {
            throw new UserErrorException("--time must be a number >= 0 or inf, got '" + time + "'");
        }
    }

    /** Refuses a job whose kernels and factorisation cannot fit in the heap, saying what it needs. */
    static void checkMemory(long n, long m, long d, int workers) {
        checkMemory(null, null, n, m, d, workers);
    }

    /** The same for a network reading images of the given shape (null: flat vectors), with the convolutional estimate. */
    static void checkMemory(Network network, ImageShape images, long n, long m, long d, int workers) {
        MemoryBudget.requireKernelJob(network, images, n, m, d, workers, 0, "--n-train");
    }

    private static int argmax(Matrix m, int row) {
        int best = 0;
        for (int c = 1; c < m.cols(); c++) {
            if (m.get(row, c) > m.get(row, best)) {
                best = c;
            }
        }
        return best;
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private void printText(PrintWriter out, LabeledData tr, LabeledData te, ImageShape images, double t, double accuracy,
                           int[][] confusion,
                           Map<String, Double> seconds) {
        out.printf(Locale.ROOT, "network      %s%n", net.spec());
        out.printf(Locale.ROOT, "data         %d training samples from %s, %d test samples from %s, d = %d%n",
                tr.x().rows(), tr.source(), te.x().rows(), te.source(), tr.x().cols());
        if (images != null) {
            out.printf(Locale.ROOT, "images       %s (H x W x C)%n", images);
        }
        out.printf(Locale.ROOT, "kernel       %s, t = %s, diag_reg %s (relative), preprocess %s%n", kernel,
                Double.isInfinite(t) ? "inf" : Double.toString(t), diagReg, preprocess);
        out.printf(Locale.ROOT, "accuracy     %.4f (%d of %d)%n", accuracy, Math.round(accuracy * te.x().rows()), te.x().rows());
        out.println("confusion    (rows: true class, columns: predicted)");
        for (int i = 0; i < confusion.length; i++) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %3d |", i));
            for (int c : confusion[i]) {
                b.append(String.format(Locale.ROOT, " %5d", c));
            }
            out.println(b);
        }
        if (scaled != null) {
            scaled.text(out);
        }
        StringBuilder times = new StringBuilder("seconds     ");
        seconds.forEach((k, v) -> times.append(String.format(Locale.ROOT, " %s %.2f", k, v)));
        out.println(times);
    }

    private void printJson(PrintWriter out, LabeledData tr, LabeledData te, ImageShape images, double t, double accuracy,
                           int[][] confusion,
                           Map<String, Double> seconds, List<String> notes) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("network").value(net.spec());
        w.name("kernel").value(kernel.name());
        w.name("time");
        if (Double.isInfinite(t)) {
            w.value("inf");
        } else {
            w.value(t);
        }
        w.name("diag_reg").value(diagReg);
        w.name("preprocess").value(preprocess.toLowerCase(Locale.ROOT));
        w.name("n_train").value(tr.x().rows());
        w.name("n_test").value(te.x().rows());
        ImageInputs.json(w.name("image_shape"), images);
        w.name("accuracy").value(accuracy);
        w.name("confusion").beginArray();
        for (int[] row : confusion) {
            w.beginArray();
            for (int c : row) {
                w.value(c);
            }
            w.endArray();
        }
        w.endArray();
        w.name("predictions");
        if (predictionsOut == null) {
            w.nullValue();
        } else {
            w.value(predictionsOut.toString());
        }
        w.name("seconds").beginObject();
        seconds.forEach((k, v) -> w.name(k).value(v));
        w.endObject();
        ScaledClassification.json(w, scaled);
        w.name("notes").beginArray();
        notes.forEach(w::value);
        w.endArray();
        out.println(w.endObject());
    }
}
