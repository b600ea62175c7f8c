package org.aleph.cli.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.aleph.cli.io.MatrixFiles;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * Loads a labelled data set from the formats of DESIGN.md: IDX (MNIST family, gzip or not,
 * labels file found by the MNIST naming rule unless given), CSV with the label in the first
 * column, or a {@code .npy} of samples with a {@code .npy} (or CSV) of labels.
 */
public final class DataSets {

    private DataSets() {
    }

    /**
     * Reads the first {@code limit} samples (all when negative).
     *
     * @param data    the samples file
     * @param labels  the labels file, or null to use the naming rule (IDX) or the first column (CSV)
     * @param option  the option that named the file, for messages (e.g. {@code --train})
     */
    public static LabeledData load(Path data, Path labels, int limit, String option) {
        if (!Files.exists(data)) {
            throw new UserErrorException(option + " " + data + ": no such file");
        }
        if (IdxFormat.looksLikeIdx(data)) {
            return idx(data, labels, limit, option);
        }
        String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            if (labels == null) {
                throw new UserErrorException(option + " " + data + ": a .npy of samples needs its labels file too ("
                        + option + "-labels FILE, .npy or .csv with one label per row)");
            }
            Matrix x = MatrixFiles.read(data, option);
            Matrix y = MatrixFiles.read(labels, option + "-labels");
            return fromColumns(x, y, labels.toString(), limit, option);
        }
        Matrix all = MatrixFiles.read(data, option);
        if (labels != null) {
            return fromColumns(all, MatrixFiles.read(labels, option + "-labels"), labels.toString(), limit, option);
        }
        if (all.cols() < 2) {
            throw new UserErrorException(option + " " + data + ": a CSV data set needs the label in the first column and at least one feature after it");
        }
        int n = limit < 0 ? all.rows() : Math.min(limit, all.rows());
        int d = all.cols() - 1;
        double[] x = new double[n * d];
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            lab[i] = label(all.get(i, 0), data + ":" + (i + 1) + " (first column)");
            System.arraycopy(all.data(), i * all.cols() + 1, x, i * d, d);
        }
        return new LabeledData(Matrix.wrap(n, d, x), lab, data.toString());
    }

    private static LabeledData idx(Path images, Path labels, int limit, String option) {
        Path labelFile = labels != null ? labels : IdxFormat.labelsFor(images);
        if (labelFile == null) {
            throw new UserErrorException(option + " " + images + ": cannot tell its labels file from the name; give it with "
                    + option + "-labels FILE");
        }
        if (!Files.exists(labelFile)) {
            throw new UserErrorException(option + " " + images + ": its labels file " + labelFile + " does not exist; give it with "
                    + option + "-labels FILE");
        }
        IdxFormat.Array img = IdxFormat.read(images, limit);
        IdxFormat.Array lab = IdxFormat.read(labelFile, limit);
        if (lab.itemSize() != 1) {
            throw new UserErrorException(labelFile + ": expected a one-dimensional IDX labels file");
        }
        if (lab.items() < img.items()) {
            throw new UserErrorException(labelFile + " holds " + lab.items() + " labels but " + img.items() + " images were read from " + images);
        }
        int n = img.items();
        int d = img.itemSize();
        double[] x = new double[n * d];
        byte[] px = img.data();
        for (int e = 0; e < x.length; e++) {
            x[e] = px[e] & 0xff;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lab.data()[i] & 0xff;
        }
        return new LabeledData(Matrix.wrap(n, d, x), y, images.toString());
    }

    private static LabeledData fromColumns(Matrix x, Matrix y, String labelSource, int limit, String option) {
        if (y.cols() != 1) {
            throw new UserErrorException(option + "-labels " + labelSource + ": expected one label per row, found " + y.cols() + " columns");
        }
        if (y.rows() < x.rows()) {
            throw new UserErrorException(option + "-labels " + labelSource + " holds " + y.rows() + " labels for " + x.rows() + " samples");
        }
        int n = limit < 0 ? x.rows() : Math.min(limit, x.rows());
        int d = x.cols();
        double[] data = java.util.Arrays.copyOf(x.data(), n * d);
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            lab[i] = label(y.get(i, 0), labelSource + ":" + (i + 1));
        }
        return new LabeledData(Matrix.wrap(n, d, data), lab, labelSource);
    }

    private static int label(double v, String where) {
        if (v != Math.rint(v) || v < 0 || v > 100_000) {
            throw new UserErrorException(where + ": the label " + v + " is not a class number (a non-negative integer)");
        }
        return (int) v;
    }
}
