package org.aleph.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aleph.cli.data.LabeledData;
import org.aleph.cli.data.Preprocessing;
import org.aleph.cli.io.ShapeOption;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.fit.FitResult;
import org.aleph.kernel.fit.HyperparameterSpace;
import org.aleph.kernel.fit.MarginalLikelihood;
import org.aleph.kernel.fit.MarginalLikelihoodFit;
import org.aleph.kernel.fit.NngpPosterior;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph fit}: type-II maximum likelihood of the NNGP's hyperparameters
 * ({@link MarginalLikelihoodFit}) on regression data ({@code --train-x}, {@code --train-y}) or
 * classes ({@code --train}, one-hot 0.9 / -0.1), optionally scored on test data at the fitted
 * point and at the starting spec. Any spec the kernel computer takes: fully connected ones with
 * kernel-fit's own recursion, the others (Conv, pooling, FanOut ... FanIn, Repeat, ...; images
 * keep their shape as in {@code aleph classify}) with the kernel computer, each kernel whole.
 */
@Command(name = "fit",
        sortOptions = false,
        description = {
            "Fit W_std, b_std (tied over the Dense and Conv layers, or per layer), the noise and an",
            "output scale by maximising the NNGP's log marginal likelihood (a Gaussian",
            "likelihood per target column):",
            "  L = -1/2 sum_c y_c^T A^-1 y_c - k/2 log det A - nk/2 log 2pi,",
            "  A = scale K + noise I.",
            "Gradients: exact in noise and scale; central differences of the kernel in",
            "log W_std, log b_std (step from the activations' accuracy, error estimated",
            "with a second step). With relative noise the scale is profiled out in closed",
            "form. Optimiser: projected L-BFGS or BOBYQA, from several starts. The spec",
            "gives the architecture and the starting values: any spec (fully connected",
            "specs use a shared input Gram; Conv, pooling, FanOut...FanIn, Repeat compute",
            "each kernel whole, on images kept in their shape, e.g. IDX 28x28x1 or --shape).",
            "Details: docs/fitting.md.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph fit --net \"Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)\" --train-x x.csv --train-y y.csv",
            "  aleph fit --net \"Dense Erf Dense Erf Dense\" --train /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \\",
            "      --n-train 1000 --test /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --n-test 1000 --json",
            "  aleph fit --net \"Dense Tanh Dense\" --train-x x.npy --train-y y.npy --per-layer --fit w_std,b_std --write-spec",
            "  aleph fit --net \"AvgPool(window=4) Conv(1.5,0.05,filter=3) Relu GlobalAvgPool Dense(1,0)\" \\",
            "      --train /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz --n-train 300 --starts 1",
            "",
            "Exit status 2 also when no start converged: the best point found is printed, and the message says why.",
        })
public final class FitCommand implements Callable<Integer> {

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Mixin
    NetOption net;

    @Option(names = "--shape", paramLabel = "H,W,C",
            description = "Read the rows of 2-D inputs (CSV, 2-D .npy) as images of H x W pixels and C channels (H,W: C = 1).")
    String shape;

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataOptions source;

    @Option(names = "--n-train", paramLabel = "N", defaultValue = "1000", description = "With --train: use the first N training samples (default ${DEFAULT-VALUE}).")
    int nTrain;

    @Option(names = "--per-layer", description = "One W_std and b_std per Dense or Conv layer (default: one pair shared by all of them).")
    boolean perLayer;

    @Option(names = "--fit", paramLabel = "LIST", split = ",", defaultValue = "w_std,b_std,noise,scale",
            description = "The parameters to fit among w_std, b_std, noise, scale (default ${DEFAULT-VALUE}); the others stay at their given values.")
    List<String> free;

    @Option(names = "--noise", paramLabel = "V", defaultValue = "0.01",
            description = "Starting (or fixed) noise, relative to the mean diagonal of scale K unless --noise-absolute (default ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--noise-absolute", description = "Take the noise in the kernel's units.")
    boolean noiseAbsolute;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "1", description = "Starting (or fixed) output scale (default ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--bounds", paramLabel = "NAME=LO:HI", split = ",",
            description = "Box constraints, e.g. w_std=0.5:4,noise=1e-6:1 (defaults: w_std 0.05:10, b_std 1e-4:10, noise 1e-8:10, scale 1e-6:1e6).")
    List<String> bounds;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "lbfgs", description = "lbfgs (default) or bobyqa (derivative-free).")
    String optimizer;

    @Option(names = "--starts", paramLabel = "N", defaultValue = "4", description = "Starts: the given values, then random ones within e^+-2 of them (default ${DEFAULT-VALUE}).")
    int starts;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the random starts (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-iterations", paramLabel = "N", defaultValue = "200", description = "Iterations per start (default ${DEFAULT-VALUE}).")
    int maxIterations;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "1e-7",
            description = "Projected-gradient tolerance relative to max(1, |L|) (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--baseline-diag-reg", paramLabel = "R", defaultValue = "1e-4",
            description = "Relative regulariser of the starting spec's test score, as aleph classify's --diag-reg (default ${DEFAULT-VALUE}).")
    double baselineReg;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--write-spec", description = "Print only the fitted spec on standard output (for aleph classify / predict --net).")
    boolean writeSpec;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (writeSpec && json.on()) {
            throw new UserErrorException("--write-spec and --json both choose what goes to standard output: give one");
        }
        int workers = threads.workers();
        MarginalLikelihoodFit.Optimizer opt = switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "lbfgs", "l-bfgs", "l-bfgs-b" -> MarginalLikelihoodFit.Optimizer.LBFGS;
            case "bobyqa" -> MarginalLikelihoodFit.Optimizer.BOBYQA;
            default -> throw new UserErrorException("--optimizer " + optimizer + ": unknown optimiser; choose lbfgs or bobyqa");
        };
        MarginalLikelihoodFit.Settings settings = new MarginalLikelihoodFit.Settings(opt, starts, seed, maxIterations, tolerance);
        Network network = net.network(aleph.registry());
        HyperparameterSpace space = HyperparameterSpace.of(network, !perLayer, !noiseAbsolute, noise, scale,
                new LinkedHashSet<>(free), parseBounds(bounds));
        long t0 = System.nanoTime();
        FitData[] data = load(ShapeOption.parse(shape, "--shape"));
        FitData train = data[0];
        FitData test = data[1];
        ImageShape images = ImageInputs.common(network, train.inputs(), test == null ? null : test.inputs());
        checkMemory(train.size(), test == null ? 0 : test.size());
        checkKernelMemory(network, images, train.size(), test == null ? 0 : test.size(), workers);
        double loadSeconds = (System.nanoTime() - t0) * 1e-9;
        err.printf(Locale.ROOT, "aleph fit: %d training points, %d target column%s, %d free parameter%s, %s, %d start%s%n",
                train.size(), train.y().cols(), train.y().cols() == 1 ? "" : "s", space.free().size(), space.free().size() == 1 ? "" : "s",
                opt.name().toLowerCase(Locale.ROOT), starts, starts == 1 ? "" : "s");
        err.flush();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "aleph-fit");
            t.setDaemon(true);
            return t;
        });
        try {
            LinearAlgebra la = LinearAlgebra.automatic();
            MarginalLikelihood ml = new MarginalLikelihood(space, train.x(), images, train.y(), la, pool, workers);
            if (ml.generic()) {
                err.printf(Locale.ROOT, "aleph fit: the network is not fully connected%s: each kernel is computed whole by the kernel "
                        + "computer (difference step %.2g)%n", images == null ? "" : " (" + images + " images)", ml.step());
                err.flush();
            }
            double startL = ml.evaluate(space.initialLogFree(), false).logLikelihood();
            FitResult r = MarginalLikelihoodFit.fit(ml, settings, line -> {
                err.println("  " + line);
                err.flush();
            });
            Map<String, Double> scores = new LinkedHashMap<>();
            double testSeconds = 0;
            if (test != null) {
                long t1 = System.nanoTime();
                double fitScale = r.value("scale");
                double[] fitted = NngpPosterior.mean(r.network(), train.x(), images, train.y(), test.x(), fitScale, r.value("noise"),
                        r.relativeNoise(), la, pool, workers);
                double[] start = NngpPosterior.mean(network, train.x(), images, train.y(), test.x(), 1, baselineReg, true, la, pool, workers);
                String what = train.classification() ? "accuracy" : "rmse";
                scores.put("test_" + what + "_fitted", train.classification() ? test.accuracy(fitted) : test.rmse(fitted));
                scores.put("test_" + what + "_start", train.classification() ? test.accuracy(start) : test.rmse(start));
                testSeconds = (System.nanoTime() - t1) * 1e-9;
            }
            if (writeSpec) {
                out.println(r.network().spec());
            } else if (json.on()) {
                printJson(out, r, train, test, startL, scores, loadSeconds, testSeconds, ml.profilesScale(), images, ml.generic());
            } else {
                printText(out, r, train, startL, scores);
                if (ml.profilesScale()) {
                    out.println("(the scale was profiled out in closed form: s* = tr(Y^T B^-1 Y) / (n k), B = K + noise mean(diag K) I)");
                }
            }
            out.flush();
            if (!r.converged()) {
                err.printf(Locale.ROOT, "aleph fit: the optimiser did not converge (%s); the best point found is printed "
                        + "(log marginal likelihood %.6f, projected gradient norm %.3g)%n", r.message(), r.logMarginalLikelihood(), r.gradientNorm());
                err.flush();
                return ExitCodes.USER_ERROR;
            }
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }

    private FitData[] load(ImageShape given) {
        if (source.regression != null) {
            return source.regression.load(given);
        }
        if (nTrain < 2) {
            throw new UserErrorException("--n-train must be at least 2, got " + nTrain);
        }
        LabeledData[] d = source.classes.load(nTrain, 1000, given);
        int classes = Math.max(d[0].classes(), d[1] == null ? 0 : d[1].classes());
        return new FitData[] {FitData.classes(d[0], classes, source.classes.train, "--train"),
            d[1] == null ? null : FitData.classes(d[1], classes, source.classes.test, "--test")};
    }

    static Preprocessing preprocessing(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "standardize" -> Preprocessing.STANDARDIZE;
            case "none" -> Preprocessing.NONE;
            default -> throw new UserErrorException("--preprocess " + name + ": choose standardize or none");
        };
    }

    /** name=lo:hi entries. */
    static Map<String, double[]> parseBounds(List<String> entries) {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (entries == null) {
            return out;
        }
        for (String e : entries) {
            int eq = e.indexOf('=');
            int colon = e.indexOf(':', Math.max(eq, 0));
            if (eq < 1 || colon < 0) {
                throw new UserErrorException("--bounds " + e + ": write NAME=LO:HI, e.g. w_std=0.5:4");
            }
            String name = e.substring(0, eq).trim();
            try {
                double lo = Double.parseDouble(e.substring(eq + 1, colon).trim());
                double hi = Double.parseDouble(e.substring(colon + 1).trim());
                out.put(name, new double[] {lo, hi});
            } catch (NumberFormatException x) {
                throw new UserErrorException("--bounds " + e + ": the bounds must be numbers, e.g. w_std=0.5:4");
            }
        }
        return out;
    }

    /** The fit holds about six n x n arrays (kernel, factor, inverse, M, two differences) and the inputs. */
    static void checkMemory(long n, long m) {
        long bytes = 8L * (6 * n * n + 2 * (n + m) * n);
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw new UserErrorException(String.format(Locale.ROOT, "fitting on %d points needs about %.1f GB but the heap holds %.1f GB; "
                    + "use fewer points or raise -Xmx (ALEPH_JAVA_OPTS)", n, bytes / 1e9, max / 1e9));
        }
    }

    /** The kernel computer's peak for a network it computes (convolutional: the per-pair spatial state), against the heap. */
    static void checkKernelMemory(Network network, ImageShape images, long n, long m, int workers) {
        if (org.aleph.kernel.fit.NngpRecursion.computes(network)) {
            return;
        }
        long bytes = ImageInputs.memoryEstimate(network, images, n, n, workers) + ImageInputs.memoryEstimate(network, images, m, n, workers);
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw new UserErrorException(String.format(Locale.ROOT, "the kernels of %d points need about %.1f GB but the heap holds %.1f GB; "
                    + "use fewer points or raise -Xmx (ALEPH_JAVA_OPTS)", n, bytes / 1e9, max / 1e9));
        }
    }

    private static void printText(PrintWriter o, FitResult r, FitData train, double startL, Map<String, Double> scores) {
        o.printf(Locale.ROOT, "fitted %s%n", r.network().spec());
        for (int i = 0; i < r.parameters().size(); i++) {
            HyperparameterSpace.Parameter p = r.parameters().get(i);
            String sd = Double.isNaN(r.logSd()[i]) ? "" : String.format(Locale.ROOT, "  (x/ exp(%.3g) one sd)", r.logSd()[i]);
            o.printf(Locale.ROOT, "  %-9s %.6g%s%s%s%n", p.name(), r.values()[i], p.free() ? "" : "  (fixed)", r.atBound()[i] ? "  (at a bound)" : "", sd);
        }
        o.printf(Locale.ROOT, "  noise is %s: %.6g added to the diagonal%n", r.relativeNoise() ? "relative to the mean diagonal of scale K" : "absolute",
                r.absoluteNoise());
        o.printf(Locale.ROOT, "log marginal likelihood %.6f (at the start %.6f), %d points x %d columns%n", r.logMarginalLikelihood(), startL,
                train.size(), train.y().cols());
        o.printf(Locale.ROOT, "gradient norm %.3g (%s, estimated error %.2g, difference step %.2g)%s%n", r.gradientNorm(), r.gradientMethod(),
                r.gradientError(), r.step(), r.converged() ? ", converged" : ", NOT converged: " + r.message());
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            o.printf(Locale.ROOT, "%s %.4f%n", e.getKey().replace('_', ' '), e.getValue());
        }
        o.printf(Locale.ROOT, "%d kernel evaluations, %.1f s%n", r.kernelEvaluations(), r.seconds());
    }

    private static void printJson(PrintWriter o, FitResult r, FitData train, FitData test, double startL, Map<String, Double> scores,
                                  double loadSeconds, double testSeconds, boolean profiled, ImageShape images, boolean generic) {
        JsonWriter j = new JsonWriter().beginObject();
        boolean tied = r.parameters().stream().allMatch(p -> p.layer() < 0);
        if (tied) {
            j.name("w_std").value(r.value("w_std")).name("b_std").value(r.value("b_std"));
        } else {
            j.name("w_std").beginArray();
            r.parameters().stream().filter(p -> p.kind() == HyperparameterSpace.Kind.W_STD).forEach(p -> j.value(r.value(p.name())));
            j.endArray().name("b_std").beginArray();
            r.parameters().stream().filter(p -> p.kind() == HyperparameterSpace.Kind.B_STD).forEach(p -> j.value(r.value(p.name())));
            j.endArray();
        }
        j.name("tied").value(tied)
                .name("noise").value(r.value("noise"))
                .name("noise_mode").value(r.relativeNoise() ? "relative" : "absolute")
                .name("noise_absolute").value(r.absoluteNoise())
                .name("scale").value(r.value("scale"))
                .name("scale_profiled").value(profiled)
                .name("spec").value(r.network().spec())
                .name("log_marginal_likelihood").value(r.logMarginalLikelihood())
                .name("log_marginal_likelihood_start").value(startL)
                .name("gradient_norm").value(r.gradientNorm())
                .name("gradient_method").value(r.gradientMethod())
                .name("gradient_error").value(r.gradientError())
                .name("difference_step").value(r.step())
                .name("converged").value(r.converged())
                .name("message").value(r.message())
                .name("n_train").value((long) train.size())
                .name("targets").value((long) train.y().cols())
                .name("task").value(train.classification() ? "classification" : "regression")
                .name("kernels").value(generic ? "kernel_computer" : "recursion");
        ImageInputs.json(j.name("image_shape"), images);
        j.name("parameters").beginArray();
        for (int i = 0; i < r.parameters().size(); i++) {
            HyperparameterSpace.Parameter p = r.parameters().get(i);
            j.beginObject().name("name").value(p.name()).name("value").value(r.values()[i]).name("free").value(p.free())
                    .name("lower").value(p.lower()).name("upper").value(p.upper()).name("at_bound").value(r.atBound()[i])
                    .name("log_sd").value(r.logSd()[i]).endObject();
        }
        j.endArray().name("gradient").vector(r.gradient());
        j.name("starts").beginArray();
        for (FitResult.Start s : r.starts()) {
            j.beginObject().name("initial").vector(s.initial()).name("final").vector(s.values())
                    .name("log_marginal_likelihood").value(s.logLikelihood()).name("iterations").value((long) s.iterations())
                    .name("converged").value(s.converged()).name("message").value(s.message()).endObject();
        }
        j.endArray();
        if (test != null) {
            j.name("n_test").value((long) test.size());
        }
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            j.name(e.getKey()).value(e.getValue());
        }
        j.name("kernel_evaluations").value(r.kernelEvaluations())
                .name("seconds").value(r.seconds())
                .name("seconds_load").value(loadSeconds)
                .name("seconds_test").value(testSeconds)
                .endObject();
        o.println(j);
    }
}
