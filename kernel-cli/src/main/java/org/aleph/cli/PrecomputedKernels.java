package org.aleph.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.io.MatrixFiles;

/**
 * The kernel blocks of a prediction read from files instead of computed from a network, so
 * that kernels made anywhere (neural-tangents, another library, an earlier {@code aleph
 * kernel}) can be used with Aleph's GP inference and training dynamics.
 *
 * <p>Each of {@code --k-train-train}, {@code --k-test-train} and {@code --k-test-test} takes
 * one file or two comma-separated files. One file is the kernel of the prediction's kind (the
 * NNGP for {@code --kernel nngp}, the NTK for {@code ntk} and {@code ntkgp}); two files are
 * the NNGP and then the NTK, which the {@code ntk} ensemble's variances need (its covariance is
 * Theta_*x Theta^-1 K Theta^-1 Theta_x* - ..., Lee et al. 2019, "Wide Neural Networks of Any
 * Depth Evolve as Linear Models Under Gradient Descent", eq. 16). The test-test block may be the
 * full m x m kernel or, for {@code --var}, its diagonal (m x 1 or a vector of length m).
 *
 * <p>Checks, each a one-sentence error naming the option and file: shapes agree (n x n,
 * m x n, m x m or m), every value is finite, the train-train kernel is symmetric to
 * {@value #SYMMETRY_TOLERANCE} of its largest entry (float32 kernels of other tools are
 * symmetric only to rounding; such a kernel is replaced by (K + K^T) / 2 and a note says by how
 * much it differed), and its diagonal is positive.
 */
final class PrecomputedKernels {

    /** Largest relative asymmetry of a train-train kernel accepted (and then symmetrised). */
    static final double SYMMETRY_TOLERANCE = 1e-5;

    /** The blocks of one prediction, and what was noted while reading them. */
    record Blocks(KernelPair trainTrain, KernelPair testTrain, KernelPair testTest, int n, int m, List<String> notes) {
    }

    private final PredictCommand.KernelChoice kind;
    private final java.util.ArrayList<String> notes = new java.util.ArrayList<>();

    private PrecomputedKernels(PredictCommand.KernelChoice kind) {
        this.kind = kind;
    }

    /**
     * Reads and checks the blocks.
     *
     * @param testTest   the files of {@code --k-test-test}, or null when no uncertainty is wanted
     * @param needsBoth  whether the prediction needs the NNGP and the NTK (then two files each)
     * @param fullTest   whether the full test-test kernel is needed (a covariance), not only its diagonal
     */
    static Blocks read(PredictCommand.KernelChoice kind, List<Path> trainTrain, List<Path> testTrain, List<Path> testTest,
                       boolean needsBoth, boolean fullTest) {
        return new PrecomputedKernels(kind).readAll(trainTrain, testTrain, testTest, needsBoth, fullTest);
    }

    private Blocks readAll(List<Path> dd, List<Path> td, List<Path> tt, boolean needsBoth, boolean fullTest) {
        count(dd, "--k-train-train", needsBoth);
        count(td, "--k-test-train", needsBoth);
        if (tt != null) {
            count(tt, "--k-test-test", needsBoth);
        }
        if (dd.size() != td.size() || (tt != null && tt.size() != dd.size())) {
            throw new UserErrorException("--k-train-train, --k-test-train and --k-test-test must each give the same number of files"
                    + " (one: the " + single() + "; two: NNGP,NTK), got " + dd.size() + ", " + td.size()
                    + (tt == null ? "" : ", " + tt.size()));
        }
        Matrix[] trainTrain = new Matrix[dd.size()];
        Matrix[] testTrain = new Matrix[dd.size()];
        Matrix[] testTest = new Matrix[dd.size()];
        int n = -1;
        int m = -1;
        for (int i = 0; i < dd.size(); i++) {
            trainTrain[i] = symmetric(squareFinite(dd.get(i), "--k-train-train"), dd.get(i));
            n = trainTrain[i].rows();
            if (i > 0 && n != trainTrain[0].rows()) {
                throw mismatch("--k-train-train", dd.get(i), trainTrain[i], trainTrain[0].rows() + " x " + trainTrain[0].rows());
            }
            testTrain[i] = finite(MatrixFiles.read(td.get(i), "--k-test-train"), "--k-test-train", td.get(i));
            if (testTrain[i].cols() != n || (i > 0 && testTrain[i].rows() != m)) {
                throw mismatch("--k-test-train", td.get(i), testTrain[i], (i == 0 ? "m" : String.valueOf(m)) + " x " + n
                        + " (one row per test point, one column per training point of --k-train-train)");
            }
            m = testTrain[i].rows();
            if (m == 0) {
                throw new UserErrorException("--k-test-train " + td.get(i) + " has no rows; one row per test point is needed");
            }
            if (tt != null) {
                testTest[i] = testTest(tt.get(i), m, fullTest);
            }
        }
        boolean two = dd.size() == 2;
        boolean ntkOnly = !two && kind != PredictCommand.KernelChoice.nngp;
        return new Blocks(pair(trainTrain, ntkOnly), pair(testTrain, ntkOnly), tt == null ? null : pair(testTest, ntkOnly),
                n, m, List.copyOf(notes));
    }

    private static KernelPair pair(Matrix[] blocks, boolean ntkOnly) {
        if (blocks.length == 2) {
            return new KernelPair(blocks[0], blocks[1]);
        }
        return ntkOnly ? new KernelPair(null, blocks[0]) : new KernelPair(blocks[0], null);
    }

    private String single() {
        return kind == PredictCommand.KernelChoice.nngp ? "NNGP" : "NTK";
    }

    private void count(List<Path> files, String option, boolean needsBoth) {
        if (files.isEmpty() || files.size() > 2) {
            throw new UserErrorException(option + " takes one file (the " + single() + ") or two comma-separated files (NNGP,NTK), got "
                    + files.size());
        }
        if (needsBoth && files.size() != 2) {
            throw new UserErrorException(option + ": --kernel " + kind + " with --var or --cov needs both kernels, the NNGP and the"
                    + " NTK, as two comma-separated files NNGP,NTK (the ensemble's variance involves both)");
        }
    }

    private Matrix testTest(Path file, int m, boolean full) {
        Matrix k = finite(MatrixFiles.read(file, "--k-test-test"), "--k-test-test", file);
        if (k.rows() == m && k.cols() == m) {
            for (int i = 0; i < m; i++) {
                if (!(k.data()[i * m + i] >= 0)) {
                    throw new UserErrorException(String.format(Locale.ROOT, "--k-test-test %s: the diagonal entry %d is %s < 0; a kernel's"
                            + " diagonal holds variances", file, i + 1, k.data()[i * m + i]));
                }
            }
            return full ? k : Matrix.wrap(m, 1, diagonal(k));
        }
        boolean diagonal = (k.rows() == m && k.cols() == 1) || (k.rows() == 1 && k.cols() == m);
        if (diagonal && !full) {
            return Matrix.wrap(m, 1, k.data().clone());
        }
        throw mismatch("--k-test-test", file, k, m + " x " + m + (full ? " (--cov needs the full test-test kernel)"
                : ", or its diagonal as " + m + " x 1"));
    }

    private static double[] diagonal(Matrix k) {
        int m = k.rows();
        double[] d = new double[m];
        for (int i = 0; i < m; i++) {
            d[i] = k.data()[i * m + i];
        }
        return d;
    }

    private static Matrix squareFinite(Path file, String option) {
        Matrix k = finite(MatrixFiles.read(file, option), option, file);
        if (k.rows() != k.cols() || k.rows() == 0) {
            throw mismatch(option, file, k, "n x n with n >= 1 (one row and one column per training point)");
        }
        for (int i = 0; i < k.rows(); i++) {
            double d = k.data()[i * k.cols() + i];
            if (!(d > 0)) {
                throw new UserErrorException(String.format(Locale.ROOT, "%s %s: the diagonal entry %d is %s; a train-train kernel's"
                        + " diagonal must be > 0 (it holds the prior variances)", option, file, i + 1, d));
            }
        }
        return k;
    }

    private Matrix symmetric(Matrix k, Path file) {
        int n = k.rows();
        double[] a = k.data();
        double largest = 0;
        for (double v : a) {
            largest = Math.max(largest, Math.abs(v));
        }
        double worst = 0;
        int wi = 0;
        int wj = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = Math.abs(a[i * n + j] - a[j * n + i]);
                if (d > worst) {
                    worst = d;
                    wi = i;
                    wj = j;
                }
            }
        }
        if (worst == 0) {
            return k;
        }
        if (worst > SYMMETRY_TOLERANCE * largest) {
            throw new UserErrorException(String.format(Locale.ROOT, "--k-train-train %s is not symmetric: entries (%d, %d) = %s and"
                    + " (%d, %d) = %s differ by %.3g of the largest entry (at most %.0e accepted); a kernel of a set against itself"
                    + " is symmetric", file, wi + 1, wj + 1, a[wi * n + wj], wj + 1, wi + 1, a[wj * n + wi], worst / largest,
                    SYMMETRY_TOLERANCE));
        }
        double[] s = new double[a.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
            }
        }
        notes.add(String.format(Locale.ROOT, "--k-train-train %s was symmetric only to %.2g of its largest entry; used (K + K^T) / 2",
                file, worst / largest));
        return Matrix.wrap(n, n, s);
    }

    private static Matrix finite(Matrix k, String option, Path file) {
        double[] d = k.data();
        int cols = Math.max(1, k.cols());
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new UserErrorException(option + " " + file + " has the non-finite value " + d[i] + " at row " + (i / cols + 1)
                        + ", column " + (i % cols + 1) + "; a kernel is finite everywhere");
            }
        }
        return k;
    }

    private static UserErrorException mismatch(String option, Path file, Matrix k, String expected) {
        return new UserErrorException(option + " " + file + " is " + k.rows() + " x " + k.cols() + " but must be " + expected);
    }
}
