package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aleph.kernel.io.Inputs;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.io.NpzArchive;
import org.aleph.kernel.io.OutputGroup;
import org.aleph.cli.io.ShapeOption;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.FunctionSpaceOde;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LearningRates;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.LossGradient;
import org.aleph.kernel.dynamics.MseEnsemble;
import org.aleph.kernel.dynamics.OdeSolution;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.aleph.kernel.dynamics.Prediction;
import org.aleph.kernel.dynamics.RegularizedCholesky;
import org.aleph.kernel.dynamics.Uncertainty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph predict}: predictions of an infinitely wide network on test points, with
 * uncertainty, from the library module org.aleph.kernel.dynamics (conventions of
 * neural-tangents' {@code predict}). At t = inf (the default): the NNGP, NTK or NTK-GP
 * posterior ({@link GpInference}); at finite times with the MSE loss: the infinite ensemble
 * trained by gradient descent ({@link MseEnsemble}; {@code --kernel ntk} trains all layers,
 * {@code nngp} the last one); with {@code --loss xent} or {@code --momentum}: the
 * function-space ODE from f = 0 ({@link FunctionSpaceOde}), means only.
 * Several times give one block of rows per time, in increasing time order.
 */
@Command(name = "predict",
        sortOptions = false,
        description = {
            "Predicts test outputs of an infinitely wide network: exact GP inference (t = inf) or the infinite",
            "ensemble trained by gradient descent at given times, with predictive variances or covariances.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph predict --net \"Dense(1.5,0.05) Relu Dense(1,0)\" --train-x x.csv --train-y y.csv --test-x t.csv --mean m.csv",
            "  aleph predict --net \"Dense Erf Dense\" --train-x x.npy --train-y y.npy --test-x t.npy --kernel ntk \\",
            "      --time 1,10,100,inf --lr 1 --mean m.npy --var v.npy",
            "  aleph predict ... --kernel nngp --diag-reg 1e-4 --cov c.csv --json",
            "  aleph predict --net \"Conv(1.5,0.05) Relu Flatten Dense(1,0)\" --train-x imgs.npy --train-y y.npy --test-x t.npy --mean m.npy",
            "      (images: a .npy of shape (n, H, W, C) or (n, H, W), or 2-D files with --shape H,W,C)",
            "  aleph predict --kernel ntk --k-train-train k_dd.npy,t_dd.npy --k-test-train k_td.npy,t_td.npy \\",
            "      --k-test-test k_tt.npy,t_tt.npy --train-y y.npy --time 1,10,inf --npz out.npz --cov",
            "      (kernels made anywhere, e.g. by neural-tangents; numpy.load('out.npz')['cov'][i] is time i's covariance)",
            "",
            "Loss (1/2N) sum (f - y)^2 with N = rows x columns of --train-y; time t and --lr enter as lr * t.",
        })
public final class PredictCommand implements Callable<Integer> {

    /** Kernels of the prediction. */
    enum KernelChoice { nngp, ntk, ntkgp }

    /** Training losses. */
    enum Loss { mse, xent }

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Mixin
    NetOption net;

    @Option(names = "--train-x", paramLabel = "FILE", description = "Training inputs (n x d), .csv or .npy (with --net).")
    Path trainX;

    @Option(names = "--train-y", required = true, paramLabel = "FILE", description = "Training targets (n x k), one column per output.")
    Path trainY;

    @Option(names = "--test-x", paramLabel = "FILE", description = "Test inputs (m x d) (with --net).")
    Path testX;

    @Option(names = "--k-train-train", split = ",", paramLabel = "FILE[,FILE]",
            description = "Instead of --net/--train-x/--test-x: the train-train kernel (n x n, .npy or .csv) made anywhere, e.g. by "
                    + "neural-tangents. One file: the kernel of --kernel (NNGP for nngp, NTK for ntk and ntkgp); two: NNGP,NTK "
                    + "(needed by --kernel ntk with --var or --cov).")
    List<Path> kTrainTrain;

    @Option(names = "--k-test-train", split = ",", paramLabel = "FILE[,FILE]",
            description = "With --k-train-train: the test-train kernel (m x n), as many files as --k-train-train.")
    List<Path> kTestTrain;

    @Option(names = "--k-test-test", split = ",", paramLabel = "FILE[,FILE]",
            description = "With --k-train-train, for --var or --cov: the test-test kernel (m x m; for --var its diagonal, m x 1, "
                    + "is enough).")
    List<Path> kTestTest;

    @Option(names = "--f0-train", paramLabel = "FILE",
            description = "Outputs of one network at initialisation on the training points (n x k): predicts that network, "
                    + "linearised, trained by gradient descent (neural-tangents' gradient_descent_mse); means only.")
    Path f0TrainFile;

    @Option(names = "--f0-test", paramLabel = "FILE", description = "With --f0-train: that network's outputs on the test points (m x k).")
    Path f0TestFile;

    @Option(names = "--shape", paramLabel = "H,W,C",
            description = "Read the rows of 2-D --train-x/--test-x files as images of H x W pixels and C channels (H,W: C = 1); "
                    + "a .npy of shape (n, H, W, C) or (n, H, W) holds images already.")
    String shape;

    @Option(names = "--kernel", paramLabel = "KIND", defaultValue = "nngp",
            description = "nngp (Bayesian / last layer trained), ntk (all layers trained) or ntkgp (GP with the NTK, t = inf only); "
                    + "default ${DEFAULT-VALUE}. Allowed: ${COMPLETION-CANDIDATES}.")
    KernelChoice kernel;

    @Option(names = "--time", paramLabel = "T[,T...]", split = ",", defaultValue = "inf",
            description = "Training times (>= 0, or inf); output in increasing order. Default ${DEFAULT-VALUE}.")
    List<String> times;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "1", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "Heavy-ball momentum in [0, 1): solves the ODE (means only).")
    Double momentum;

    @Option(names = "--loss", paramLabel = "LOSS", defaultValue = "mse",
            description = "mse (closed form) or xent (softmax cross-entropy, by ODE, means only); default ${DEFAULT-VALUE}.")
    Loss loss;

    @Option(names = "--diag-reg", paramLabel = "R", defaultValue = "0",
            description = "Diagonal regulariser, relative to the mean diagonal of the train-train kernel (default ${DEFAULT-VALUE}).")
    double diagReg;

    @Option(names = "--diag-reg-absolute", description = "Take --diag-reg in the kernel's units instead.")
    boolean diagRegAbsolute;

    @Option(names = "--auto-reg", description = "Raise the regulariser if the kernel is not numerically positive definite (reported).")
    boolean autoReg;

    @Option(names = "--mean", paramLabel = "OUT",
            description = "Write the mean here: (T m) x k for T times, rows of time i at i m .. (i + 1) m - 1, times in increasing order.")
    Path meanOut;

    @Option(names = "--var", paramLabel = "OUT", arity = "0..1", fallbackValue = "",
            description = "Write the predictive variances here: a vector of T m values, m per time (with --npz: no file, into the archive).")
    Path varOut;

    @Option(names = "--cov", paramLabel = "OUT", arity = "0..1", fallbackValue = "",
            description = "Write the predictive covariance here: (T m) x m, one m x m block per time (with --npz: no file, into the archive).")
    Path covOut;

    @Option(names = "--npz", paramLabel = "OUT",
            description = "Instead of --mean: one NumPy archive (numpy.load) with the arrays times (T), mean (T, m, k) and, with the"
                    + " flags --var or --cov, var (T, m) or cov (T, m, m).")
    Path npzOut;

    @Option(names = "--max-lr", description = "Also report the largest stable learning rate 2(1+momentum)N/lambda_max(NTK).")
    boolean maxLr;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    /** The image shape the kernels were computed with, or null for flat inputs. */
    private ImageShape images;

    /** The parsed network, for the report. */
    private Network network;

    @Override
    public Integer call() {
        double[] t = parseTimes();
        boolean ode = loss == Loss.xent || momentum != null;
        checkOptions(t, ode);
        boolean fromFiles = checkSources();
        int workers = threads.workers();
        checkOutputs();
        for (Path p : new Path[] {meanOut, file(varOut), file(covOut)}) {
            if (p != null) {
                MatrixFiles.checkWritable(p, p == meanOut ? "--mean" : p == varOut ? "--var" : "--cov");
            }
        }
        if (npzOut != null) {
            NpzArchive.checkWritable(npzOut, "--npz");
        }
        OutputGroup.requireDistinct(List.of(new OutputGroup.Target("--mean", meanOut), new OutputGroup.Target("--var", file(varOut)),
                new OutputGroup.Target("--cov", file(covOut)), new OutputGroup.Target("--npz", npzOut)), inputTargets());
        Uncertainty u = covOut != null ? Uncertainty.COVARIANCE : varOut != null ? Uncertainty.VARIANCE : Uncertainty.NONE;
        long t0 = System.nanoTime();
        Matrix y = MatrixFiles.read(trainY, "--train-y");
        Blocks blocks = fromFiles ? kernelsFromFiles(u) : kernelsFromNetwork(y, u, t, workers);
        int n = blocks.n();
        int m = blocks.m();
        checkOutputSize(t, m, y.cols(), u);
        if (y.rows() != n) {
            throw new UserErrorException("--train-y " + trainY + " has " + y.rows() + " rows but " + (fromFiles ? "--k-train-train "
                    + kTrainTrain.get(0) + " has " + n : "--train-x " + trainX + " has " + n) + "; one target row per training point is needed");
        }
        Matrix f0Train = f0TrainFile == null ? null : initialOutputs(f0TrainFile, "--f0-train", n, y.cols());
        Matrix f0Test = f0TestFile == null ? null : initialOutputs(f0TestFile, "--f0-test", m, y.cols());
        KernelPair dd = blocks.dd();
        KernelPair td = blocks.td();
        KernelPair tt = blocks.tt();
        long t1 = System.nanoTime();
        LinearAlgebra la = LinearAlgebra.automatic();
        DiagonalRegularizer reg = new DiagonalRegularizer(diagReg, diagRegAbsolute, autoReg);
        List<Prediction> predictions = new ArrayList<>();
        List<String> notes = new ArrayList<>(blocks.notes());
        Double logMarginal = null;
        RegularizedCholesky factor = null;
        KernelKind trained = kernel == KernelChoice.nngp ? KernelKind.NNGP : KernelKind.NTK;
        if (ode) {
            Matrix theta = trained == KernelKind.NTK ? dd.ntk() : dd.nngp();
            Matrix thetaTd = trained == KernelKind.NTK ? td.ntk() : td.nngp();
            odeBudget(theta, y, m, t[t.length - 1], la, err());
            FunctionSpaceOde solver = new FunctionSpaceOde(theta, y, lr, momentum,
                    loss == Loss.xent ? LossGradient.softmaxCrossEntropy() : LossGradient.meanSquaredError(), la);
            for (OdeSolution s : solver.solve(t, thetaTd, f0Train, f0Test)) {
                predictions.add(new Prediction(s.time(), s.test(), null, null));
            }
            notes.add("ODE (Dormand-Prince 8(5,3), relative tolerance " + FunctionSpaceOde.DEFAULT_RELATIVE_TOLERANCE + ") from "
                    + (f0Train == null ? "f = 0" : "--f0-train") + ": " + solver.evaluations() + " derivative evaluations");
        } else {
            // The MSE closed forms are linear in the targets with f = 0 at t = 0, so one network started at f0 is
            // f0_test + (the prediction for the targets y - f0_train) (Lee et al. 2019, eq. 9-10).
            Matrix targets = f0Train == null ? y : minus(y, f0Train);
            MseEnsemble ensemble = new MseEnsemble(dd, targets, lr, reg, la);
            GpInference gp = new GpInference(dd, targets, reg, la);
            for (double time : t) {
                if (time == Double.POSITIVE_INFINITY) {
                    PosteriorKind kind = PosteriorKind.valueOf(kernel.name().toUpperCase(Locale.ROOT));
                    predictions.add(gp.predict(kind, td, tt, u));
                    factor = gp.factorization(trained);
                    if (kind != PosteriorKind.NTK && f0Train == null) {
                        logMarginal = gp.logMarginalLikelihood(kind);
                    }
                } else {
                    predictions.addAll(ensemble.predictTest(trained, new double[] {time}, td, tt, u));
                }
            }
            if (f0Test != null) {
                predictions.replaceAll(p -> new Prediction(p.time(), plus(p.mean(), f0Test), null, null));
                notes.add("one network linearised around its initialisation --f0-train/--f0-test: f0_test plus the prediction"
                        + " for the targets y - f0_train");
            }
            notes.addAll(gp.notes());
            notes.addAll(ensemble.notes());
        }
        Double etaMax = maxLr ? LearningRates.maxStable(dd.ntk(), (long) y.rows() * y.cols(),
                momentum == null ? 0 : momentum, la) : null;
        long t2 = System.nanoTime();
        write(predictions, m, t);
        long t3 = System.nanoTime();
        report(predictions, t, n, y.cols(), m, la, factor, logMarginal, etaMax, notes, new double[] {(t1 - t0) * 1e-9,
            (t2 - t1) * 1e-9, (t3 - t2) * 1e-9});
        return 0;
    }

    /** The three kernel blocks of a prediction, with the sizes n (train) and m (test). */
    private record Blocks(KernelPair dd, KernelPair td, KernelPair tt, int n, int m, List<String> notes) {
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Whether the kernels come from files (--k-*) rather than from --net; checks that exactly one source is complete. */
    private boolean checkSources() {
        boolean files = kTrainTrain != null || kTestTrain != null || kTestTest != null;
        if (files) {
            String clash = net.given() ? "--net" : trainX != null ? "--train-x" : testX != null ? "--test-x" : shape != null ? "--shape" : null;
            if (clash != null) {
                throw new UserErrorException(clash + " and --k-train-train/--k-test-train/--k-test-test are two ways to give the kernels;"
                        + " give the network and its inputs, or the kernel files, not both");
            }
            if (kTrainTrain == null || kTestTrain == null) {
                throw new UserErrorException((kTrainTrain == null ? "--k-train-train" : "--k-test-train")
                        + " is missing: precomputed kernels need both --k-train-train (n x n) and --k-test-train (m x n)");
            }
            boolean testTestNeeded = covOut != null || varOut != null;
            if (testTestNeeded && kTestTest == null) {
                throw new UserErrorException((covOut != null ? "--cov" : "--var") + " needs the test-test kernel: give --k-test-test"
                        + (covOut != null ? " (m x m)" : " (m x m, or its diagonal m x 1)"));
            }
            if (maxLr && kernel == KernelChoice.nngp && kTrainTrain.size() != 2) {
                throw new UserErrorException("--max-lr needs the NTK: give --k-train-train NNGP,NTK (two files) or --kernel ntk");
            }
        } else if (!net.given() || trainX == null || testX == null) {
            throw new UserErrorException((!net.given() ? "--net" : trainX == null ? "--train-x" : "--test-x") + " is missing: give"
                    + " --net, --train-x and --test-x, or precomputed kernels with --k-train-train and --k-test-train");
        }
        if ((f0TrainFile == null) != (f0TestFile == null)) {
            throw new UserErrorException((f0TrainFile == null ? "--f0-train" : "--f0-test") + " is missing: the outputs of the network"
                    + " at initialisation are needed on both the training points (--f0-train) and the test points (--f0-test)");
        }
        if (f0TrainFile != null && (varOut != null || covOut != null)) {
            throw new UserErrorException("--f0-train/--f0-test predict one network, whose outputs are determined by f0; --var and --cov"
                    + " describe the infinite ensemble over initialisations: leave out either f0 or --var/--cov");
        }
        return files;
    }

    private List<OutputGroup.Target> inputTargets() {
        List<OutputGroup.Target> in = new ArrayList<>();
        in.add(new OutputGroup.Target("--train-y", trainY));
        in.add(new OutputGroup.Target("--train-x", trainX));
        in.add(new OutputGroup.Target("--test-x", testX));
        in.add(new OutputGroup.Target("--f0-train", f0TrainFile));
        in.add(new OutputGroup.Target("--f0-test", f0TestFile));
        for (List<Path> files : List.of(kTrainTrain == null ? List.<Path>of() : kTrainTrain,
                kTestTrain == null ? List.<Path>of() : kTestTrain, kTestTest == null ? List.<Path>of() : kTestTest)) {
            String option = files == kTrainTrain ? "--k-train-train" : files == kTestTrain ? "--k-test-train" : "--k-test-test";
            files.forEach(f -> in.add(new OutputGroup.Target(option, f)));
        }
        return in;
    }

    private Blocks kernelsFromFiles(Uncertainty u) {
        boolean both = kernel == KernelChoice.ntk && u != Uncertainty.NONE;
        PrecomputedKernels.Blocks b = PrecomputedKernels.read(kernel, kTrainTrain, kTestTrain,
                u == Uncertainty.NONE ? null : kTestTest, both, u == Uncertainty.COVARIANCE);
        return new Blocks(b.trainTrain(), b.testTrain(), b.testTest(), b.n(), b.m(), b.notes());
    }

    private Blocks kernelsFromNetwork(Matrix y, Uncertainty u, double[] t, int workers) {
        network = net.network(aleph.registry());
        ImageShape given = ShapeOption.parse(shape, "--shape");
        Inputs trainInputs = MatrixFiles.readInputs(trainX, "--train-x", given, "--shape");
        Inputs testInputs = MatrixFiles.readInputs(testX, "--test-x", given, "--shape");
        images = ImageInputs.common(network, trainInputs, testInputs);
        Matrix x = trainInputs.x();
        Matrix xt = testInputs.x();
        if (y.rows() != x.rows()) {
            throw new UserErrorException("--train-y " + trainY + " has " + y.rows() + " rows but --train-x " + trainX + " has "
                    + x.rows() + "; one target row per training point is needed");
        }
        if (xt.cols() != x.cols()) {
            throw new UserErrorException("--test-x " + testX + " has " + xt.cols() + " columns but --train-x " + trainX + " has "
                    + x.cols() + "; both need one column per input feature");
        }
        long m = xt.rows();
        checkOutputSize(t, m, y.cols(), u);
        // A covariance: the test-test kernels (2 m^2), one m x m per time and the stacked output (m^2 per time).
        long uncertainty = u == Uncertainty.COVARIANCE ? 8L * m * m * (2 + 2L * t.length) : 16L * m * t.length;
        MemoryBudget.requireKernelJob(network, images, x.rows(), m, x.cols(), workers,
                uncertainty + 16L * m * y.cols() * t.length + 16L * x.rows() * x.rows() /* eigenbasis for finite t */,
                "fewer rows in --train-x" + (u == Uncertainty.COVARIANCE ? ", --test-x or --time values" : ""));
        KernelPair dd = KernelPair.of(ImageInputs.compute(
                new KernelComputer(network, workers, ProgressReporter.forStage(err(), "train kernels")), x, null, images));
        KernelComputer computer = new KernelComputer(network, workers, ProgressReporter.forStage(err(), "test kernels"));
        KernelResult tdResult = ImageInputs.compute(computer, xt, x, images);
        KernelPair td = KernelPair.of(tdResult);
        KernelPair tt = null;
        if (u == Uncertainty.COVARIANCE || (u == Uncertainty.VARIANCE && kernel == KernelChoice.ntkgp)) {
            tt = KernelPair.of(ImageInputs.compute(computer, xt, null, images));
        } else if (u == Uncertainty.VARIANCE) {
            tt = KernelPair.diagonals(tdResult.var1(), null);
        }
        return new Blocks(dd, td, tt, x.rows(), xt.rows(), List.of());
    }

    private static void checkOutputSize(double[] t, long m, int k, Uncertainty u) {
        long stacked = (long) t.length * m * (u == Uncertainty.COVARIANCE ? m : Math.max(1, k));
        if (stacked > Integer.MAX_VALUE - 8) {
            throw new UserErrorException("--" + (u == Uncertainty.COVARIANCE ? "cov" : "mean") + ": " + t.length + " time"
                    + (t.length == 1 ? "" : "s") + " x " + m + " test points make " + stacked + " values, more than one output holds;"
                    + " give fewer --time values or fewer test points");
        }
    }

    private static Matrix initialOutputs(Path file, String option, int rows, int cols) {
        Matrix f = MatrixFiles.read(file, option);
        if (f.rows() != rows || f.cols() != cols) {
            throw new UserErrorException(option + " " + file + " is " + f.rows() + " x " + f.cols() + " but must be " + rows + " x " + cols
                    + " (one row per " + (option.equals("--f0-train") ? "training" : "test") + " point, one column per column of --train-y)");
        }
        double[] d = f.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new UserErrorException(option + " " + file + " has the non-finite value " + d[i] + " at row " + (i / cols + 1)
                        + ", column " + (i % cols + 1));
            }
        }
        return f;
    }

    private static Matrix minus(Matrix a, Matrix b) {
        double[] d = a.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] -= b.data()[i];
        }
        return Matrix.wrap(a.rows(), a.cols(), d);
    }

    private static Matrix plus(Matrix a, Matrix b) {
        double[] d = a.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] += b.data()[i];
        }
        return Matrix.wrap(a.rows(), a.cols(), d);
    }

    /** Operations per second assumed for the ODE estimate: optimistic, so that a refused job would really take longer. */
    static final double ODE_FLOPS = 2e9;
    /** The integrator's own cost per derivative evaluation (bookkeeping, copies), besides the products: at least this. */
    static final double ODE_SECONDS_PER_EVALUATION = 1e-6;
    /** ODE solves estimated to take longer than this are refused up front. */
    static final double ODE_MAX_SECONDS = 3600;

    /**
     * Estimates the explicit integrator's work before solving, from the largest eigenvalue
     * lambda of the kernel (per target N): without momentum the flow decays at rate lr lambda / N
     * and stability bounds a Dormand-Prince step by about 4 / that rate; with momentum the
     * outputs oscillate with angular frequency sqrt(lambda / N) in tau = sqrt(lr) t, about 10
     * steps per period, and the damping (1 - m) / sqrt(lr) bounds the step as well. Each step
     * costs 12 derivative evaluations of 2 n^2 k + 2 m n k operations and about a microsecond of
     * bookkeeping. A solve estimated at more
     * than an hour is refused with the estimate; one of more than 10 s is announced on stderr.
     */
    private void odeBudget(Matrix theta, Matrix y, int m, double time, LinearAlgebra la, PrintWriter err) {
        long targets = (long) y.rows() * y.cols();
        double mom = momentum == null ? 0 : momentum;
        double rate = 2 * (1 + mom) / LearningRates.maxStable(theta, targets, mom, la); // lambda_max / N
        double steps;
        if (momentum == null) {
            steps = lr * time * rate / 4;
        } else {
            double tau = Math.sqrt(lr) * time;
            steps = Math.max(10 * tau * Math.sqrt(rate) / (2 * Math.PI), tau * (1 - mom) / Math.sqrt(lr) / 4);
        }
        steps = Math.max(steps, 1) * (loss == Loss.xent ? 2 : 1);
        double flops = steps * 12 * (2.0 * y.rows() * y.rows() * y.cols() + 2.0 * m * y.rows() * y.cols());
        double seconds = flops / ODE_FLOPS + steps * 12 * ODE_SECONDS_PER_EVALUATION;
        if (!(seconds <= ODE_MAX_SECONDS)) {
            throw new UserErrorException(String.format(Locale.ROOT, "--time %s: the ODE (%s) needs about %.2g integrator steps, %.0f "
                    + "hours or more; give a shorter --time, a smaller --lr%s", times, momentum == null ? "--loss xent" : "--momentum " + mom,
                    steps, seconds / 3600, momentum == null ? "" : " or less --momentum"));
        }
        if (seconds > 10) {
            err.printf(Locale.ROOT, "predict: the ODE needs about %.2g integrator steps, roughly %.0f s or more%n", steps, seconds);
            err.flush();
        }
    }

    private double[] parseTimes() {
        double[] t = new double[times.size()];
        for (int i = 0; i < t.length; i++) {
            String s = times.get(i).trim();
            try {
                t[i] = s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity") ? Double.POSITIVE_INFINITY : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new UserErrorException("--time: '" + s + "' is not a number or inf", e);
            }
            if (!(t[i] >= 0)) {
                throw new UserErrorException("--time: " + s + " must be >= 0 (or inf)");
            }
        }
        Arrays.sort(t);
        return t;
    }

    private void checkOptions(double[] t, boolean ode) {
        if (varOut != null && covOut != null) {
            throw new UserErrorException("--var and --cov are exclusive: the variances are the covariance's diagonal");
        }
        if (kernel == KernelChoice.ntkgp && t[0] != Double.POSITIVE_INFINITY) {
            throw new UserErrorException("--kernel ntkgp is a posterior (t = inf); training dynamics at --time "
                    + times + " need --kernel ntk or nngp");
        }
        if (ode && (varOut != null || covOut != null)) {
            throw new UserErrorException("--" + (loss == Loss.xent ? "loss xent" : "momentum")
                    + " solves the ODE for the mean from f = 0; --var/--cov exist only for the MSE closed form");
        }
        if (ode && t[t.length - 1] == Double.POSITIVE_INFINITY) {
            throw new UserErrorException("--time inf is not reachable by the ODE (--loss xent or --momentum); give finite times");
        }
        if (ode && kernel == KernelChoice.ntkgp) {
            throw new UserErrorException("--kernel ntkgp has no training dynamics; use ntk or nngp with --loss xent or --momentum");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new UserErrorException("--lr must be a finite number > 0, got " + lr);
        }
    }

    /** A path option given as a flag without a file (--var with --npz) counts as no file. */
    private static Path file(Path p) {
        return p == null || p.toString().isEmpty() ? null : p;
    }

    private void checkOutputs() {
        if (npzOut != null) {
            if (meanOut != null) {
                throw new UserErrorException("--mean and --npz: with --npz the mean goes into the archive (array 'mean'); give one of them");
            }
            for (Path p : new Path[] {varOut, covOut}) {
                if (file(p) != null) {
                    throw new UserErrorException((p == varOut ? "--var " : "--cov ") + p + ": with --npz, " + (p == varOut ? "--var" : "--cov")
                            + " is a flag and its array goes into the archive; leave out the file name");
                }
            }
        } else {
            if (meanOut == null) {
                throw new UserErrorException("--mean OUT is missing: give a file for the predicted mean (or --npz OUT for one archive)");
            }
            for (Path p : new Path[] {varOut, covOut}) {
                if (p != null && file(p) == null) {
                    throw new UserErrorException((p == varOut ? "--var" : "--cov") + " needs a file, or give --npz OUT to put "
                            + (p == varOut ? "the variances" : "the covariance") + " into one archive");
                }
            }
        }
    }

    /** One block of rows per time, stacked in time order; or one .npz with an axis for time. */
    private void write(List<Prediction> ps, int m, double[] t) {
        int k = ps.get(0).mean().cols();
        double[] mean = new double[ps.size() * m * k];
        double[] var = varOut == null ? null : new double[ps.size() * m];
        double[] cov = covOut == null ? null : new double[ps.size() * m * m];
        for (int i = 0; i < ps.size(); i++) {
            System.arraycopy(ps.get(i).mean().data(), 0, mean, i * m * k, m * k);
            if (var != null) {
                System.arraycopy(ps.get(i).variance(), 0, var, i * m, m);
            }
            if (cov != null) {
                System.arraycopy(ps.get(i).covariance().data(), 0, cov, i * m * m, m * m);
            }
        }
        try (OutputGroup group = new OutputGroup()) {
            if (npzOut != null) {
                NpzArchive archive = new NpzArchive().add("times", t.clone(), t.length).add("mean", mean, t.length, m, k);
                if (var != null) {
                    archive.add("var", var, t.length, m);
                }
                if (cov != null) {
                    archive.add("cov", cov, t.length, m, m);
                }
                archive.stage(group, npzOut, "--npz");
                group.commit();
                return;
            }
            MatrixFiles.stage(group, meanOut, Matrix.wrap(ps.size() * m, k, mean), "--mean");
            if (var != null) {
                MatrixFiles.stageVector(group, varOut, var, "--var");
            }
            if (cov != null) {
                MatrixFiles.stage(group, covOut, Matrix.wrap(ps.size() * m, m, cov), "--cov");
            }
            group.commit();
        }
    }

    private void report(List<Prediction> ps, double[] t, int n, int k, int m, LinearAlgebra la, RegularizedCholesky f,
                        Double logMarginal, Double etaMax, List<String> notes, double[] seconds) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            JsonWriter j = new JsonWriter().beginObject();
            j.name("command").value("predict").name("net");
            if (!net.given()) {
                j.nullValue();
            } else {
                j.value(net.spec());
            }
            j.name("kernels_from").value(!net.given() ? "files" : "network").name("kernel").value(kernel.name())
                    .name("loss").value(loss.name()).name("learning_rate").value(lr);
            j.name("momentum");
            if (momentum == null) {
                j.nullValue();
            } else {
                j.value(momentum);
            }
            j.name("times").beginArray();
            for (double time : t) {
                if (time == Double.POSITIVE_INFINITY) {
                    j.value("inf");
                } else {
                    j.value(time);
                }
            }
            j.endArray();
            j.name("n_train").value(n).name("n_test").value(m).name("columns").value(k);
            ImageInputs.json(j.name("image_shape"), images);
            j.name("linear_algebra").value(la.name());
            j.name("diag_reg").beginObject().name("value").value(diagReg).name("absolute").value(diagRegAbsolute)
                    .name("auto").value(autoReg);
            if (f != null) {
                j.name("requested").value(f.requestedRegularizer()).name("used").value(f.usedRegularizer())
                        .name("raised").value(f.raised()).name("condition_number").value(f.conditionNumber());
            }
            j.endObject();
            j.name("log_marginal_likelihood");
            if (logMarginal == null) {
                j.nullValue();
            } else {
                j.value(logMarginal);
            }
            j.name("max_learning_rate");
            if (etaMax == null) {
                j.nullValue();
            } else {
                j.value(etaMax);
            }
            j.name("notes").beginArray();
            notes.forEach(j::value);
            j.endArray();
            j.name("seconds").beginObject().name("kernels").value(seconds[0]).name("prediction").value(seconds[1])
                    .name("writing").value(seconds[2]).endObject();
            j.name("outputs").beginObject();
            if (npzOut != null) {
                j.name("npz").value(npzOut.toString());
            } else {
                j.name("mean").value(meanOut.toString());
                if (varOut != null) {
                    j.name("var").value(varOut.toString());
                }
                if (covOut != null) {
                    j.name("cov").value(covOut.toString());
                }
            }
            j.endObject();
            if ((long) m * ps.size() <= KernelCommand.JSON_MATRIX_LIMIT) {
                j.name("mean").beginArray();
                for (Prediction p : ps) {
                    j.matrix(p.mean().data(), p.mean().rows(), p.mean().cols());
                }
                j.endArray();
            }
            out.println(j.endObject());
        } else {
            out.printf(Locale.ROOT, "predict: %s kernel%s, %s loss, %d training points (%d outputs), %d test points%n", kernel,
                    !net.given() ? " (from files)" : "", loss, n, k, m);
            if (images != null) {
                out.println("images: " + images + " (H x W x C)" + (network.takesImages() ? "" : ", read flat by the fully connected network"));
            }
            out.printf(Locale.ROOT, "times: %s (lr %s)%n", Arrays.toString(t).replace("Infinity", "inf"), lr);
            out.println("linear algebra: " + la.name());
            if (f != null) {
                out.printf(Locale.ROOT, "diag-reg: %.6g used (%.6g requested, absolute), condition number %.3g%n",
                        f.usedRegularizer(), f.requestedRegularizer(), f.conditionNumber());
            }
            if (logMarginal != null) {
                out.printf(Locale.ROOT, "log marginal likelihood: %.10g%n", logMarginal);
            }
            if (etaMax != null) {
                out.printf(Locale.ROOT, "largest stable learning rate: %.6g%n", etaMax);
            }
            notes.forEach(note -> out.println("note: " + note));
            out.printf(Locale.ROOT, "wrote %s%s%s; kernels %.2f s (%s), prediction %.2f s%n", npzOut != null ? npzOut : meanOut,
                    file(varOut) == null ? "" : ", " + varOut, file(covOut) == null ? "" : ", " + covOut, seconds[0],
                    !net.given() ? "read" : "computed", seconds[1]);
        }
        out.flush();
    }
}
