package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aleph.kernel.io.Inputs;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.cli.io.ShapeOption;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.finite.Quantity;
import org.aleph.kernel.finite.SphereData;
import org.aleph.kernel.finite.Verification;
import org.aleph.kernel.finite.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aleph verify}: the claims of infinite-width theory measured on real finite networks
 * drawn from the same spec ({@link Verification} in module org.aleph.kernel.finite). For each
 * width: the relative error of the empirical NNGP and NTK against the analytic kernels, the
 * relative weight change and NTK change during gradient-descent training, the gap between the
 * real and the linearised network and the gap to the infinite-width prediction; then the
 * log-log slope of each against width (theory: negative, about -1/2 or steeper).
 *
 * <p>Convolutional specs (Novak et al. 2019; Arora et al. 2019) take images: {@code --x} a 4-D
 * {@code .npy} (n, H, W, C), a 3-D one (n, H, W) with C = 1, or a CSV / 2-D {@code .npy} with
 * {@code --shape H,W,C}; without {@code --x}, {@value #IMAGE_NOTE}. The width is then the number
 * of channels of every hidden Conv and Dense layer.
 */
@Command(name = "verify",
        sortOptions = false,
        description = {
            "Measures how finite random networks of growing width approach the infinite-width theory:",
            "kernel errors at initialisation, lazy training, linearisation, and their log-log slopes.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  aleph verify --net \"Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)\"",
            "  aleph verify --net \"Dense(1.5,0.05) Erf Dense(1,0)\" --widths 64,256,1024 --seeds 8 --json",
            "  aleph verify --net \"Dense Relu Dense\" --x x.csv --y y.csv --test-x t.csv --steps 200 --lr 0.5",
            "  aleph verify --net \"Conv(1.5,0.05,filter=3) Relu Conv(1.5,0.05,filter=3) Relu Flatten Dense(1,0)\" --seeds 8",
            "  aleph verify --net \"Conv(1.5,0.1,filter=3) Relu GlobalAvgPool Dense(1,0)\" --x images.npy --y y.csv",
            "",
            "Data: by default 8 training and 4 test points on the sphere |x|^2 = 4 with targets sin(1.5 u.x);",
            "for a convolutional spec " + VerifyCommand.IMAGE_NOTE + ".",
            "Training: full-batch gradient descent on (1/2N) sum (f - y)^2, --steps steps of --lr; time t = steps,",
            "entering the infinite-width formula as lr * t (neural-tangents' convention, as in aleph predict).",
        })
public final class VerifyCommand implements Callable<Integer> {

    /** What a convolutional sweep uses without --x. */
    static final String IMAGE_NOTE = "4 training and 2 test images of 6x6x2 on the sphere |x|^2 = 72, targets sin(1.5 u.x)";
    /** Default widths (channels) for a convolutional spec, whose layers cost kh kw times more. */
    static final int[] CONV_WIDTHS = {16, 32, 64, 128};

    @ParentCommand
    Aleph aleph;

    @Spec
    CommandSpec spec;

    @Mixin
    NetOption net;

    @Option(names = "--widths", paramLabel = "N[,N...]", split = ",",
            description = "Hidden widths (channels for Conv) to measure, increasing (default 64,256,1024,4096; 16,32,64,128 "
                    + "for a convolutional spec).")
    List<Integer> widths;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "4", description = "Networks per width (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Base random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "100", description = "Gradient-descent steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", paramLabel = "ETA",
            description = "Learning rate (default: half the largest stable rate of the analytic NTK, N / lambda_max).")
    Double lr;

    @Option(names = "--x", paramLabel = "FILE",
            description = "Training inputs (n x d), .csv or .npy, instead of the built-in points; images as a .npy (n,H,W,C) or (n,H,W).")
    Path xFile;

    @Option(names = "--shape", paramLabel = "H,W[,C]", description = "Read each row of a 2-D --x (and --test-x) as one H x W x C image (NHWC).")
    String shapeText;

    @Option(names = "--y", paramLabel = "FILE", description = "Training targets (n x 1); default sin(1.5 u.x) with u = (1,...,1)/sqrt(d).")
    Path yFile;

    @Option(names = "--test-x", paramLabel = "FILE", description = "Test inputs (m x d); with --x the default is none.")
    Path testFile;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Network network = net.network(aleph.registry());
        ImageShape given = ShapeOption.parse(shapeText, "--shape");
        int[] w = widths == null ? (network.takesImages() ? CONV_WIDTHS.clone() : new int[] {64, 256, 1024, 4096})
                : widths.stream().mapToInt(Integer::intValue).toArray();
        for (int i = 1; i < w.length; i++) {
            if (w[i] <= w[i - 1]) {
                throw new UserErrorException("--widths must increase, but " + w[i] + " follows " + w[i - 1]);
            }
        }
        int nThreads = threads.workers();
        double eta = lr == null ? Double.NaN : lr;
        Verification.Settings settings = settings(network, given, w, eta, nThreads);
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        VerificationReport report = Verification.run(settings, line -> {
            err.println("verify: " + line);
            err.flush();
        });
        double total = (System.nanoTime() - t0) * 1e-9;
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            out.println(json(report, total, settings.shape()));
        } else {
            table(out, report, total, settings.shape());
        }
        out.flush();
        return 0;
    }

    private Verification.Settings settings(Network network, ImageShape given, int[] w, double eta, int nThreads) {
        if (xFile == null) {
            if (yFile != null || testFile != null || given != null) {
                throw new UserErrorException("--y, --test-x and --shape need --x (the training inputs)");
            }
            return Verification.Settings.builtIn(network, w, seeds, seed, eta, steps, nThreads);
        }
        Inputs train = MatrixFiles.readInputs(xFile, "--x", given, "--shape");
        Matrix x = train.x();
        ImageShape shape = train.shape();
        if (network.takesImages() && shape == null) {
            throw new UserErrorException("--x " + xFile + " holds " + train.holds() + " but the network is convolutional; give images "
                    + "as a .npy of shape (n, H, W, C) or (n, H, W), or add --shape H,W,C for a 2-D file");
        }
        double[] y;
        if (yFile == null) {
            y = SphereData.targets(x);
        } else {
            Matrix ym = MatrixFiles.read(yFile, "--y");
            if (ym.cols() != 1 || ym.rows() != x.rows()) {
                throw new UserErrorException("--y " + yFile + " is " + ym.rows() + " x " + ym.cols() + " but needs " + x.rows()
                        + " x 1: one target per row of --x " + xFile);
            }
            y = ym.data();
        }
        Matrix test = Matrix.zeros(0, x.cols());
        if (testFile != null) {
            Inputs t = MatrixFiles.readInputs(testFile, "--test-x", given, "--shape");
            test = t.x();
            if (network.takesImages() && t.shape() != null && !t.shape().equals(shape)) {
                throw new UserErrorException("--test-x " + testFile + " holds " + t.holds() + " but --x " + xFile + " holds "
                        + train.holds() + "; give test images of the training images' shape");
            }
            if (test.cols() != x.cols()) {
                throw new UserErrorException("--test-x " + testFile + " has " + test.cols() + " columns but --x " + xFile + " has "
                        + x.cols() + "; both need one column per input feature");
            }
        }
        return new Verification.Settings(network, w, seeds, seed, x, y, test, eta, steps, nThreads,
                network.takesImages() ? shape : null);
    }

    private void table(PrintWriter out, VerificationReport r, double total, ImageShape shape) {
        out.println("aleph verify: " + r.spec());
        out.printf(Locale.ROOT, "%d training + %d test points%s, %d networks per width, %d steps of lr %.4g (t = %d)%n",
                r.trainCount(), r.testCount(), xFile != null ? (shape == null ? "" : " (" + shape + " images)") : shape != null
                        ? " (built-in " + shape + " images)" : " (built-in, sphere in d = " + SphereData.DIM + ")",
                r.seeds(), r.steps(), r.learningRate(), r.steps());
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%7s", "width"));
        for (Quantity q : Quantity.values()) {
            head.append(String.format(Locale.ROOT, " %10s", q.header()));
        }
        out.println(head.append(String.format(Locale.ROOT, " %9s", "seconds")));
        int[] w = r.widths();
        double[] sec = r.seconds();
        for (int i = 0; i < w.length; i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%7d", w[i]));
            for (Quantity q : Quantity.values()) {
                row.append(String.format(Locale.ROOT, " %10.3e", r.values(q)[i]));
            }
            out.println(row.append(String.format(Locale.ROOT, " %9.1f", sec[i])));
        }
        StringBuilder slope = new StringBuilder(String.format(Locale.ROOT, "%7s", "slope"));
        for (Quantity q : Quantity.values()) {
            slope.append(String.format(Locale.ROOT, " %10.2f", r.slope(q)));
        }
        out.println(slope);
        out.printf(Locale.ROOT, "Theory: every column shrinks with width, like width^-1/2 at initialisation (NNGP, NTK errors); "
                + "training changes may shrink faster (often width^-1). Total %.1f s.%n", total);
    }

    private static String json(VerificationReport r, double total, ImageShape shape) {
        JsonWriter j = new JsonWriter().beginObject();
        j.name("net").value(r.spec());
        ImageInputs.json(j.name("image_shape"), shape);
        j.name("widths").beginArray();
        for (int w : r.widths()) {
            j.value((long) w);
        }
        j.endArray();
        for (Quantity q : Quantity.values()) {
            j.name(q.key()).vector(r.values(q));
        }
        j.name("slopes").beginObject();
        for (Quantity q : Quantity.values()) {
            j.name(q.key()).value(r.slope(q));
        }
        j.endObject();
        j.name("standard_errors").beginObject();
        for (Quantity q : Quantity.values()) {
            j.name(q.key()).vector(r.standardErrors(q));
        }
        j.endObject();
        j.name("seconds").vector(r.seconds());
        j.name("total_seconds").value(total);
        j.name("seeds").value((long) r.seeds());
        j.name("steps").value((long) r.steps());
        j.name("learning_rate").value(r.learningRate());
        j.name("train_points").value((long) r.trainCount());
        j.name("test_points").value((long) r.testCount());
        return j.endObject().toString();
    }
}
