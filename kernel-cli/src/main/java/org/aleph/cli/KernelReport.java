package org.aleph.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aleph.kernel.io.Inputs;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;

/**
 * What {@code aleph kernel} tells the user: a short text summary (shapes, times, the
 * provenance of each activation, the outputs written) or one JSON object with the same
 * facts and, when asked or small, the matrices with every digit.
 */
final class KernelReport {

    private final Network network;
    private final List<UsedActivations.Used> activations;
    private final Inputs x1;
    private final Inputs x2;
    private final ImageShape images;
    private final KernelResult result;
    private final int threads;
    private final double readSeconds;
    private final double kernelSeconds;
    private final double writeSeconds;
    private final Map<String, Path> outputs;

    KernelReport(Network network, List<UsedActivations.Used> activations, Inputs x1, Inputs x2, ImageShape images,
                 KernelResult result, int threads, double readSeconds, double kernelSeconds, double writeSeconds,
                 Map<String, Path> outputs) {
        this.network = network;
        this.activations = activations;
        this.x1 = x1;
        this.x2 = x2;
        this.images = images;
        this.result = result;
        this.threads = threads;
        this.readSeconds = readSeconds;
        this.kernelSeconds = kernelSeconds;
        this.writeSeconds = writeSeconds;
        this.outputs = outputs;
    }

    /** The summary; with {@code matrices} the NNGP and NTK follow (6 significant digits, or every digit with {@code exact}). */
    void text(PrintWriter out, boolean matrices, boolean exact) {
        int n1 = result.nngp().rows();
        int n2 = result.nngp().cols();
        out.println("network  " + network.spec());
        out.println("X1       " + describe(x1));
        out.println("X2       " + (x2 == null ? "X1 (kernels are symmetric)" : describe(x2)));
        if (images != null) {
            out.println("images   " + images + " (H x W x C)" + (network.takesImages() ? "" : ", read flat by the fully connected network"));
        }
        out.println("kernels  NNGP and NTK, " + n1 + " x " + n2 + ", computed in " + fmt(kernelSeconds) + " s on " + threads
                + " thread" + (threads == 1 ? "" : "s") + " (reading " + fmt(readSeconds) + " s"
                + (outputs.isEmpty() ? "" : ", writing " + fmt(writeSeconds) + " s") + ")");
        if (activations.isEmpty()) {
            out.println("activations  none (the network is linear)");
        } else {
            out.println("activations");
            int width = activations.stream().mapToInt(u -> u.name().length()).max().orElse(0);
            for (UsedActivations.Used u : activations) {
                out.printf(Locale.ROOT, "  %-" + width + "s  %s, relative accuracy %.0e  [%s]%n",
                        u.name(), u.provenance(), u.provenance().relativeAccuracy(), u.module());
            }
        }
        for (Map.Entry<String, Path> e : outputs.entrySet()) {
            out.println("wrote    " + label(e.getKey()) + " -> " + e.getValue());
        }
        if (matrices) {
            printMatrix(out, "NNGP", result.nngp(), exact);
            printMatrix(out, "NTK", result.ntk(), exact);
        } else if (outputs.isEmpty()) {
            out.println("(add --nngp FILE and --ntk FILE (.csv or .npy) to save the kernels, --print to show them)");
        }
    }

    private static String label(String kind) {
        return switch (kind) {
            case "nngp" -> "NNGP";
            case "ntk" -> "NTK";
            case "var1" -> "variances of X1";
            default -> "variances of X2";
        };
    }

    private static void printMatrix(PrintWriter out, String title, Matrix m, boolean exact) {
        out.println(title + (exact ? ":" : " (6 significant digits; files keep every digit):"));
        double[] a = m.data();
        for (int i = 0; i < m.rows(); i++) {
            StringBuilder b = new StringBuilder(" ");
            for (int j = 0; j < m.cols(); j++) {
                double v = a[i * m.cols() + j];
                b.append(' ').append(exact ? Double.toString(v) : String.format(Locale.ROOT, "%12.6g", v));
            }
            out.println(b);
        }
    }

    /** One JSON object; the matrices and variances are included when {@code matrices} is true. */
    String json(boolean matrices) {
        JsonWriter j = new JsonWriter().beginObject();
        j.name("command").value("kernel");
        j.name("network").value(network.spec());
        input(j.name("x1"), x1);
        if (x2 == null) {
            j.name("x2").nullValue();
        } else {
            input(j.name("x2"), x2);
        }
        ImageInputs.json(j.name("image_shape"), images);
        j.name("symmetric").value(x2 == null);
        j.name("shape").beginArray().value(result.nngp().rows()).value(result.nngp().cols()).endArray();
        j.name("threads").value(threads);
        j.name("seconds").value(kernelSeconds);
        j.name("read_seconds").value(readSeconds);
        j.name("write_seconds").value(writeSeconds);
        j.name("outputs").beginObject();
        for (Map.Entry<String, Path> e : outputs.entrySet()) {
            j.name(e.getKey()).value(e.getValue().toString());
        }
        j.endObject();
        j.name("activations").beginArray();
        for (UsedActivations.Used u : activations) {
            j.beginObject().name("name").value(u.name())
                    .name("provenance").value(u.provenance().kind().label())
                    .name("detail").value(u.provenance().detail())
                    .name("relative_accuracy").value(u.provenance().relativeAccuracy())
                    .name("module").value(u.module())
                    .endObject();
        }
        j.endArray();
        if (matrices) {
            Matrix k = result.nngp();
            j.name("nngp").matrix(k.data(), k.rows(), k.cols());
            Matrix t = result.ntk();
            j.name("ntk").matrix(t.data(), t.rows(), t.cols());
            j.name("var1").vector(result.var1());
            if (x2 != null) {
                j.name("var2").vector(result.var2());
            }
        }
        return j.endObject().toString();
    }

    private static void input(JsonWriter j, Inputs in) {
        Matrix m = in.x();
        j.beginObject().name("path").value(in.path().toString()).name("rows").value(m.rows()).name("cols").value(m.cols());
        ImageInputs.json(j.name("image_shape"), in.shape()).endObject();
    }

    private static String describe(Inputs in) {
        return in.path() + "  " + in.x().rows() + " x " + in.x().cols() + (in.images() ? " (" + in.x().rows() + " images " + in.shape() + ")" : "");
    }

    private static String fmt(double seconds) {
        return String.format(Locale.ROOT, seconds < 10 ? "%.3f" : "%.1f", seconds);
    }
}
