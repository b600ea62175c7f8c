package org.aleph.cli;

import java.nio.file.Path;
import java.util.Arrays;
import org.aleph.cli.data.DataSets;
import org.aleph.cli.data.LabeledData;
import org.aleph.cli.data.Preprocessing;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.io.Inputs;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * Data for {@code aleph fit} and {@code aleph sweep}: inputs X (n x d) with regression targets
 * Y (n x k), or, for classification, class labels with one-hot targets 0.9 / -0.1 (as
 * {@code aleph classify}, DESIGN.md "Classification defaults"). Images keep their shape as
 * classify's and predict's inputs do (IDX 28x28 -> 28x28x1, a .npy (n, H, W[, C]), or a 2-D
 * file with {@code --shape H,W,C}), so that convolutional specs can be fitted and swept.
 *
 * @param x       the inputs, one per row
 * @param y       the targets, one column per output
 * @param labels  the class of each row, or null for regression
 * @param classes the number of classes (0 for regression)
 * @param source  where the data came from, for messages
 * @param shape   the image shape of every row of x, or null for plain vectors
 * @param path    the file of the inputs
 * @param option  the option that named it, for messages
 */
record FitData(Matrix x, Matrix y, int[] labels, int classes, String source, ImageShape shape, Path path, String option) {

    /** One-hot value of the true class. */
    static final double ON = 0.9;
    /** One-hot value of the other classes. */
    static final double OFF = -0.1;

    /** Whether the targets are one-hot classes. */
    boolean classification() {
        return labels != null;
    }

    int size() {
        return x.rows();
    }

    /** The inputs as a command read them (for {@link ImageInputs#common}). */
    Inputs inputs() {
        return new Inputs(x, shape, path, option);
    }

    /**
     * Regression data from an inputs file and a targets file with one row per input; the inputs
     * are images when the file carries a shape (.npy of 3 or 4 axes) or {@code given} is not null.
     */
    static FitData regression(Path xFile, String xOption, Path yFile, String yOption, ImageShape given) {
        Inputs in = MatrixFiles.readInputs(xFile, xOption, given, "--shape");
        Matrix x = in.x();
        Matrix y = MatrixFiles.read(yFile, yOption);
        if (x.rows() != y.rows()) {
            throw new UserErrorException(yOption + " " + yFile + " has " + y.rows() + " rows but " + xOption + " " + xFile
                    + " has " + x.rows() + "; give one target row per input");
        }
        return new FitData(x, y, null, 0, xFile.toString(), in.shape(), xFile, xOption);
    }

    /** Labelled data (IDX, CSV with the label first, or .npy with a labels file), preprocessed, limit rows (all when negative). */
    static LabeledData labelled(Path data, Path labels, int limit, String option, Preprocessing prep, ImageShape given) {
        LabeledData d = DataSets.load(data, labels, limit, option, given, "--shape");
        prep.apply(d.x());
        return d;
    }

    /** Classification data with one-hot targets over the given number of classes. */
    static FitData classes(LabeledData d, int classes, Path path, String option) {
        return new FitData(d.x(), d.oneHot(classes, ON, OFF), d.labels(), classes, d.source(), d.shape(), path, option);
    }

    /** Rows [from, to) as a new data set. */
    FitData rows(int from, int to) {
        int d = x.cols();
        int k = y.cols();
        Matrix xs = Matrix.wrap(to - from, d, Arrays.copyOfRange(x.data(), from * d, to * d));
        Matrix ys = Matrix.wrap(to - from, k, Arrays.copyOfRange(y.data(), from * k, to * k));
        return new FitData(xs, ys, labels == null ? null : Arrays.copyOfRange(labels, from, to), classes, source, shape, path, option);
    }

    /** Accuracy (classification) of a predicted mean, the arg-max per row against the labels. */
    double accuracy(double[] mean) {
        int k = y.cols();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (mean[i * k + c] > mean[i * k + best]) {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** Root-mean-square error of a predicted mean over every entry of Y. */
    double rmse(double[] mean) {
        double[] t = y.data();
        double s = 0;
        for (int i = 0; i < t.length; i++) {
            double e = mean[i] - t[i];
            s += e * e;
        }
        return Math.sqrt(s / t.length);
    }
}
