package org.aleph.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-thread scratch arrays for the spatial recursion of one pair of images
 * ({@link SpatialRecursion}): the current NNGP and NTK covariances, buffers for the window
 * passes, the activation's input and output chunks, saved copies for each level of Residual
 * nesting, and where the per-pixel variances come from.
 *
 * <p>In <em>self</em> mode (an image against itself) every variance the recursion needs is
 * the diagonal of the current covariance, and it is recorded; in <em>pair</em> mode the
 * variances of the two images are read from their records. The operations are the same in
 * both modes, so the diagonal of X against itself equals the recorded variances bit for bit.
 */
final class SpatialWorkspace {

    /** Entries per call of an activation: big enough to amortise the call, small enough for L2. */
    static final int CHUNK = 4096;

    final int capacity;
    final boolean full;
    double[] k;
    double[] t;
    double[] k2;
    double[] t2;
    final double[] tmp;
    final double[] q11;
    final double[] q12;
    final double[] q22;
    final double[] outK;
    final double[] outD;
    /** Current image height and width of the state. */
    int h;
    int w;
    /** Entries of the state: (h w)^2 when full, h w when diagonal. */
    int length;
    private final List<double[][]> saved = new ArrayList<>();
    private double[] block;
    private double[][] recordA;
    private double[][] recordB;
    private double[][] recording;

    SpatialWorkspace(int capacity, boolean full, int maxWidth) {
        this.capacity = capacity;
        this.full = full;
        k = new double[capacity];
        t = new double[capacity];
        k2 = new double[capacity];
        t2 = new double[capacity];
        tmp = new double[capacity];
        int chunk = Math.max(CHUNK, maxWidth);
        q11 = new double[chunk];
        q12 = new double[chunk];
        q22 = new double[chunk];
        outK = new double[chunk];
        outD = new double[chunk];
    }

    /** Whether the two images are one input (self mode, or a diagonal pair of X against itself), for Dropout. */
    boolean sameImage;

    /** Self mode: variances are the diagonal of the state and are recorded into {@code into[slot]}. */
    void selfMode(double[][] into) {
        sameImage = true;
        recording = into;
        recordA = null;
        recordB = null;
    }

    /** Pair mode: the variances of the two images come from their records. */
    void pairMode(double[][] a, double[][] b) {
        sameImage = false;
        recording = null;
        recordA = a;
        recordB = b;
    }

    /** Whether the workspace runs an image against itself (variances from the state's diagonal). */
    boolean selfMode() {
        return recording != null;
    }

    /** The per-pixel variances of image a for the given slot (in self mode: the state's diagonal, recorded). */
    double[] variancesA(int slot) {
        if (recording == null) {
            return recordA[slot];
        }
        double[] v = new double[h * w];
        if (full) {
            SpatialPasses.diagonalOfFull(k, h, w, v);
        } else {
            System.arraycopy(k, 0, v, 0, h * w);
        }
        recording[slot] = v;
        return v;
    }

    /** In self mode: records the given per-pixel variances (computed by the caller from the new state) for the slot. */
    void record(int slot, double[] variances) {
        recording[slot] = variances;
    }

    /** The per-pixel variances of image b for the slot just asked of {@link #variancesA}. */
    double[] variancesB(int slot) {
        return recording == null ? recordB[slot] : recording[slot];
    }

    /** A second scratch buffer of at least the given length (for the fused convolution's NTK block). */
    double[] blockBuffer(int length) {
        if (block == null || block.length < length) {
            block = new double[length];
        }
        return block;
    }

    /** Sets the state's dimensions. */
    void dims(int height, int width) {
        h = height;
        w = width;
        int p = height * width;
        length = full ? p * p : p;
    }

    /** Exchanges the state with the pass outputs. */
    void swap() {
        double[] a = k;
        k = k2;
        k2 = a;
        double[] b = t;
        t = t2;
        t2 = b;
    }

    /** Four arrays for a join at the given branch depth: the saved input K and T, and the accumulators of K and T. */
    double[][] saved(int depth) {
        while (saved.size() <= depth) {
            saved.add(new double[][] {new double[capacity], new double[capacity], new double[capacity], new double[capacity]});
        }
        return saved.get(depth);
    }
}
