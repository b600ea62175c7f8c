package org.aleph.cli.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.aleph.kernel.io.IdxFormat;
import org.aleph.kernel.io.Inputs;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;

/**
 * Loads a labelled data set from the formats of DESIGN.md: IDX (MNIST family, gzip or not,
 * labels file found by the MNIST naming rule unless given), CSV with the label in the first
 * column, or a {@code .npy} of samples with a {@code .npy} (or CSV) of labels. Images keep their
 * shape: an IDX images file (n, H, W) gives H x W x 1, a {@code .npy} of shape (n, H, W, C) or
 * (n, H, W) its own, and a 2-D file the shape given by {@code --shape}.
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
        return load(data, labels, limit, option, null, "--shape");
    }

    /**
     * Reads the first {@code limit} samples (all when negative), as images of the shape
     * {@code given} when a 2-D file does not carry one.
     *
     * @param data        the samples file
     * @param labels      the labels file, or null to use the naming rule (IDX) or the first column (CSV)
     * @param option      the option that named the file, for messages (e.g. {@code --train})
     * @param given       the image shape from {@code shapeOption}, or null
     * @param shapeOption the name of the shape option, for messages
     * @throws UserErrorException when a file's own image shape disagrees with {@code given}, or
     *                            its rows do not hold H W C values
     */
    public static LabeledData load(Path data, Path labels, int limit, String option, ImageShape given, String shapeOption) {
        if (!Files.exists(data)) {
            throw new UserErrorException(option + " " + data + ": no such file");
        }
        if (IdxFormat.looksLikeIdx(data)) {
            return idx(data, labels, limit, option, given, shapeOption);
        }
        String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            if (labels == null) {
                throw new UserErrorException(option + " " + data + ": a .npy of samples needs its labels file too ("
                        + option + "-labels FILE, .npy or .csv with one label per row)");
            }
            Inputs x = MatrixFiles.readInputs(data, option, given, shapeOption);
            Matrix y = MatrixFiles.read(labels, option + "-labels");
            return fromColumns(x, y, labels.toString(), limit, option);
        }
        if (labels != null) {
            Inputs x = MatrixFiles.readInputs(data, option, given, shapeOption);
            return fromColumns(x, MatrixFiles.read(labels, option + "-labels"), labels.toString(), limit, option);
        }
        Matrix all = MatrixFiles.read(data, option);
        if (all.cols() < 2) {
            throw new UserErrorException(option + " " + data + ": a CSV data set needs the label in the first column and at least one feature after it");
        }
        int n = limit < 0 ? all.rows() : Math.min(limit, all.rows());
        int d = all.cols() - 1;
        if (given != null && d != given.features()) {
            throw new UserErrorException(option + " " + data + " has " + d + " feature" + (d == 1 ? "" : "s")
                    + " per row after the label but " + shapeOption + " " + given.height() + "," + given.width() + ","
                    + given.channels() + " needs H*W*C = " + given.features());
        }
        double[] x = new double[n * d];
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            lab[i] = label(all.get(i, 0), data + ":" + (i + 1) + " (first column)");
            System.arraycopy(all.data(), i * all.cols() + 1, x, i * d, d);
        }
        return new LabeledData(Matrix.wrap(n, d, x), lab, data.toString(), n > 0 ? given : null);
    }

    private static LabeledData idx(Path images, Path labels, int limit, String option, ImageShape given, String shapeOption) {
        Path labelFile = labels != null ? labels : IdxFormat.labelsFor(images);
        if (labelFile == null) {
            throw new UserErrorException(option + " " + images + ": cannot tell its labels file from the name; give it with "
                    + option + "-labels FILE");
        }
        if (!Files.exists(labelFile)) {
            throw new UserErrorException(option + " " + images + ": its labels file " + labelFile + " does not exist; give it with "
                    + option + "-labels FILE");
        }
        if (Files.isRegularFile(images) && Files.isRegularFile(labelFile)) { // headers of pipes cannot be read twice
            int[] imageDims = IdxFormat.dims(images);
            int[] labelDims = IdxFormat.dims(labelFile);
            if (labelDims[0] != imageDims[0]) {
                throw new UserErrorException(labelFile + " holds " + labelDims[0] + " labels but " + images + " holds " + imageDims[0]
                        + " images; an images file needs one label per image");
            }
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
        ImageShape shape = idxShape(images, img, option, given, shapeOption);
        double[] x = new double[n * d];
        byte[] px = img.data();
        for (int e = 0; e < x.length; e++) {
            x[e] = px[e] & 0xff;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lab.data()[i] & 0xff;
        }
        return new LabeledData(Matrix.wrap(n, d, x), y, images.toString(), n > 0 ? shape : null);
    }

    /** The image shape of IDX images: (n, H, W) gives H x W x 1, (n, H, W, C) H x W x C; (n, d) none unless given. */
    private static ImageShape idxShape(Path images, IdxFormat.Array img, String option, ImageShape given, String shapeOption) {
        int[] dims = img.dims();
        ImageShape own = null;
        if ((dims.length == 3 || dims.length == 4) && dims[1] > 0 && dims[2] > 0 && (dims.length == 3 || dims[3] > 0)) {
            own = new ImageShape(dims[1], dims[2], dims.length == 4 ? dims[3] : 1);
        }
        if (given == null) {
            return own;
        }
        if (own != null && !own.equals(given)) {
            throw new UserErrorException(option + " " + images + " holds IDX images of " + own + " but " + shapeOption + " says "
                    + given + "; leave " + shapeOption + " out or make them agree");
        }
        if (own == null && img.itemSize() != given.features()) {
            throw new UserErrorException(option + " " + images + " has " + img.itemSize() + " values per item but " + shapeOption
                    + " " + given.height() + "," + given.width() + "," + given.channels() + " needs H*W*C = " + given.features());
        }
        return given;
    }

    private static LabeledData fromColumns(Inputs in, Matrix y, String labelSource, int limit, String option) {
        Matrix x = in.x();
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
        return new LabeledData(Matrix.wrap(n, d, data), lab, labelSource, n > 0 ? in.shape() : null);
    }

    private static int label(double v, String where) {
        if (v != Math.rint(v) || v < 0 || v > 100_000) {
            throw new UserErrorException(where + ": the label " + v + " is not a class number (a non-negative integer)");
        }
        return (int) v;
    }
}
