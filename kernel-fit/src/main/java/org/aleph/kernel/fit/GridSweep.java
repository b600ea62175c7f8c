package org.aleph.kernel.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.Set;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.spi.Activation;

/**
 * NNGP kernel regression over a grid of (sigma_w^2, sigma_b^2, depth) for the networks
 * {@code [Dense(sigma_w, sigma_b) phi] x depth Dense(sigma_w, sigma_b)} of one activation phi
 * (the architecture of Lee et al. 2018, "Deep Neural Networks as Gaussian Processes", whose
 * figure 4 sets test accuracy over this plane beside the order-to-chaos phase diagram of
 * Schoenholz et al. 2017). At every point it reports
 * <ul>
 *   <li>the validation accuracy (arg-max of the posterior mean against the labels) or RMSE of
 *       the mean {@code K_vx (K + r mean(diag K) I)^{-1} Y};</li>
 *   <li>the log marginal likelihood of the training targets with the same relative regulariser
 *       r as noise and the output scale profiled out: for {@code A = s B},
 *       {@code B = K + r mean(diag K) I}, L is largest at {@code s* = tr(Y^T B^{-1} Y) / (n k)},
 *       where {@code L = -n k / 2 (1 + log(2 pi s*)) - k / 2 log det B}; without profiling the
 *       scale, L would mostly measure how far sigma_w^2 puts the kernel's magnitude from the
 *       targets'.</li>
 * </ul>
 * Shared work is done once: the input Gram of training and validation points (one matrix
 * product per block), and along depth each point continues from the previous depth's kernel
 * (depths 1..D cost as much as depth D alone, plus one factorisation per depth asked for).
 * Grid points are shared among the threads, each running its recursion and factorisations
 * alone. Cost per point: D passes of the activation over n (n + 1) / 2 + m n entries, and an
 * n^3 / 3 Cholesky per reported depth.
 *
 * <p>Any other architecture ({@link #forNetwork}: a spec with Conv, pooling, FanOut ... FanIn,
 * Repeat, ... on images or vectors) is swept over the same plane with every weight layer's
 * (W_std, b_std) set to (sigma_w, sigma_b) and every other layer argument kept
 * ({@link HyperparameterSpace#network}); the depth is the spec's own. Nothing is shared between
 * grid points there: each point computes its train-train and validation-train NNGP whole with
 * kernel-api's kernel computer ({@link SpecKernels}); the points are shared among the threads.
 */
public final class GridSweep {

    /**
     * One grid point at one depth.
     *
     * @param sw2                   sigma_w^2
     * @param sb2                   sigma_b^2
     * @param depth                 the number of hidden layers ({@code [Dense phi] x depth Dense}), or 0 for a
     *                              {@link #forNetwork} sweep (the spec's own architecture)
     * @param accuracy              validation accuracy (NaN for regression or when the kernel could not be factorised)
     * @param rmse                  validation RMSE of the posterior mean (NaN when not factorised)
     * @param logMarginalLikelihood the profiled log marginal likelihood of the training targets (NaN when not factorised)
     * @param scale                 the profiled output scale s*
     */
    public record Point(double sw2, double sb2, int depth, double accuracy, double rmse, double logMarginalLikelihood, double scale) {
    }

    /** Receives the number of grid points done, from worker threads. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    private final Activation activation;
    private final Matrix xTrain;
    private final Matrix yTrain;
    private final Matrix xVal;
    private final Matrix yVal;
    private final int[] valLabels;
    private final double diagReg;
    private final LinearAlgebra la;
    private HyperparameterSpace template;
    private ImageShape shape;

    /**
     * @param activation the nonlinearity
     * @param xTrain     training inputs, n x d
     * @param yTrain     training targets, n x k
     * @param xVal       validation inputs, m x d
     * @param yVal       validation targets, m x k
     * @param valLabels  the validation classes (arg-max accuracy), or null for regression
     * @param diagReg    the regulariser relative to the mean diagonal, &gt;= 0
     * @param la         the linear algebra
     */
    public GridSweep(Activation activation, Matrix xTrain, Matrix yTrain, Matrix xVal, Matrix yVal, int[] valLabels, double diagReg,
                     LinearAlgebra la) {
        if (xTrain.rows() < 1 || xVal.rows() < 1) {
            throw new UserErrorException("a sweep needs at least one training and one validation point");
        }
        if (!(diagReg >= 0) || !Double.isFinite(diagReg)) {
            throw new UserErrorException("the regulariser (diag_reg) must be a finite number >= 0, got " + diagReg);
        }
        this.activation = activation;
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xVal = xVal;
        this.yVal = yVal;
        this.valLabels = valLabels;
        this.diagReg = diagReg;
        this.la = la;
    }

    /**
     * A sweep of any architecture: at (sigma_w^2, sigma_b^2) every Dense and Conv layer of the
     * template gets W_std = sigma_w and b_std = sigma_b, its other arguments kept.
     *
     * @param template the network
     * @param shape    the image shape of the rows of {@code xTrain} and {@code xVal}, or null for vectors
     * @throws UserErrorException when the template has no Dense or Conv layer
     * @see #GridSweep(Activation, Matrix, Matrix, Matrix, Matrix, int[], double, LinearAlgebra)
     */
    public static GridSweep forNetwork(Network template, ImageShape shape, Matrix xTrain, Matrix yTrain, Matrix xVal, Matrix yVal,
                                       int[] valLabels, double diagReg, LinearAlgebra la) {
        GridSweep g = new GridSweep(null, xTrain, yTrain, xVal, yVal, valLabels, diagReg, la);
        g.template = HyperparameterSpace.of(template, true, true, 0.01, 1, Set.of("w_std", "b_std"), Map.of());
        g.shape = shape;
        return g;
    }

    /** The network of a {@link #forNetwork} sweep at one grid point. */
    public Network network(double sw2, double sb2) {
        if (template == null) {
            throw new IllegalStateException("not a sweep of a given network");
        }
        return template.network(new double[] {Math.sqrt(sw2), Math.sqrt(sb2), 0.01, 1});
    }

    /**
     * Runs the grid of a {@link #forNetwork} sweep: every (sw2[i], sb2[j]) in the order i, j,
     * each point's kernels computed whole (points of depth 0).
     */
    public List<Point> run(double[] sw2, double[] sb2, int threads, Progress progress) {
        if (template == null) {
            throw new IllegalStateException("a sweep of one activation takes depths");
        }
        checkGrid(sw2, sb2);
        Point[][] out = new Point[sw2.length * sb2.length][];
        runPoints(sw2, sb2, threads, progress, out, (index, w2, b2) -> {
            Network net = network(w2, b2);
            double[] a = SpecKernels.nngp(net, xTrain, null, shape, 1);
            double[] kv = SpecKernels.nngp(net, xVal, xTrain, shape, 1);
            out[index] = new Point[] {regress(a, kv, w2, b2, 0)};
        });
        List<Point> points = new ArrayList<>();
        for (Point[] col : out) {
            points.addAll(Arrays.asList(col));
        }
        return points;
    }

    private static void checkGrid(double[] sw2, double[] sb2) {
        if (sw2.length == 0 || sb2.length == 0) {
            throw new UserErrorException("the grid is empty: give at least one sigma_w^2 and one sigma_b^2");
        }
        for (double w : sw2) {
            if (!(w > 0) || !Double.isFinite(w)) {
                throw new UserErrorException("sigma_w^2 = " + w + " is outside its domain: it must be a positive finite number");
            }
        }
        for (double b : sb2) {
            if (!(b >= 0) || !Double.isFinite(b)) {
                throw new UserErrorException("sigma_b^2 = " + b + " is outside its domain: it must be a finite number >= 0");
            }
        }
    }

    @FunctionalInterface
    private interface PointTask {
        void run(int index, double w2, double b2);
    }

    /** Every grid point's task on a pool of the given threads. */
    private static void runPoints(double[] sw2, double[] sb2, int threads, Progress progress, Object[] out, PointTask task) {
        int total = sw2.length * sb2.length;
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "aleph-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < sw2.length; i++) {
                for (int j = 0; j < sb2.length; j++) {
                    int index = i * sb2.length + j;
                    double w2 = sw2[i];
                    double b2 = sb2[j];
                    futures.add(pool.submit(() -> {
                        task.run(index, w2, b2);
                        progress.update(done.incrementAndGet(), total);
                    }));
                }
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs the grid: every (sw2[i], sb2[j]) at every depth, in the order i, j, depth.
     *
     * @param sw2     sigma_w^2 values, positive
     * @param sb2     sigma_b^2 values, &gt;= 0
     * @param depths  hidden-layer counts, &gt;= 1
     * @param threads worker threads
     */
    public List<Point> run(double[] sw2, double[] sb2, int[] depths, int threads, Progress progress) {
        if (activation == null) {
            throw new IllegalStateException("a sweep of a given network has no depths");
        }
        if (depths.length == 0) {
            throw new UserErrorException("the grid is empty: give at least one sigma_w^2, one sigma_b^2 and one depth");
        }
        checkGrid(sw2, sb2);
        int[] ds = Arrays.stream(depths).sorted().distinct().toArray();
        if (ds[0] < 1) {
            throw new UserErrorException("depth " + ds[0] + " is outside its domain: a depth is a number of hidden layers >= 1");
        }
        PairLayout.Joint joint = PairLayout.trainAndOther(xTrain, xVal, la);
        int sym = joint.symmetric();
        int rect = joint.rectangular();
        KernelState input = joint.input();
        NngpRecursion recursion = new NngpRecursion(joint.layout(), null, 1);

        Point[][] out = new Point[sw2.length * sb2.length][];
        runPoints(sw2, sb2, threads, progress, out, (index, w2, b2) -> out[index] = column(recursion, input, sym, rect, w2, b2, ds));
        List<Point> points = new ArrayList<>();
        for (Point[] col : out) {
            points.addAll(Arrays.asList(col));
        }
        return points;
    }

    /** One (sw2, sb2): the recursion deepened layer by layer, evaluated at each requested depth. */
    private Point[] column(NngpRecursion recursion, KernelState input, int sym, int rect, double w2, double b2, int[] depths) {
        KernelState s = input.copy();
        Point[] points = new Point[depths.length];
        int next = 0;
        for (int depth = 1; next < depths.length; depth++) {
            recursion.dense(s, w2, b2);
            recursion.activation(s, activation);
            if (depth == depths[next]) {
                points[next++] = evaluate(recursion.layout(), s, sym, rect, w2, b2, depth);
            }
        }
        return points;
    }

    /** The readout Dense(sw, sb) applied while the dense blocks are built, then the regression. */
    private Point evaluate(PairLayout layout, KernelState s, int sym, int rect, double w2, double b2, int depth) {
        double[] a = layout.dense(s.entries(), sym);
        for (int e = 0; e < a.length; e++) {
            a[e] = w2 * a[e] + b2;
        }
        double[] kv = layout.dense(s.entries(), rect);
        for (int e = 0; e < kv.length; e++) {
            kv[e] = w2 * kv[e] + b2;
        }
        return regress(a, kv, w2, b2, depth);
    }

    /** The regression and the likelihood from the train-train NNGP a (n x n, overwritten) and the validation-train NNGP kv (m x n). */
    private Point regress(double[] a, double[] kv, double w2, double b2, int depth) {
        int n = xTrain.rows();
        int m = xVal.rows();
        int k = yTrain.cols();
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i * n + i];
        }
        double r = diagReg * trace / n;
        for (int i = 0; i < n; i++) {
            a[i * n + i] += r;
        }
        if (!(trace > 0) || !Double.isFinite(trace) || la.choleskyInPlace(a, n) != 0) {
            return new Point(w2, b2, depth, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            logDet += Math.log(a[i * n + i]);
        }
        logDet *= 2;
        double[] alpha = NngpPosterior.transposeSolve(a, n, yTrain, la);
        double fit = 0;
        double[] yd = yTrain.data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                fit += yd[i * k + c] * alpha[c * n + i];
            }
        }
        double scale = fit / ((double) n * k);
        double logL = -0.5 * n * k * (1 + Math.log(2 * Math.PI * scale)) - 0.5 * k * logDet;
        double[] mean = new double[m * k];
        la.gemm(false, true, m, k, n, 1.0, kv, alpha, 0.0, mean);
        double[] t = yVal.data();
        double sq = 0;
        for (int e = 0; e < mean.length; e++) {
            sq += (mean[e] - t[e]) * (mean[e] - t[e]);
        }
        double rmse = Math.sqrt(sq / mean.length);
        double acc = Double.NaN;
        if (valLabels != null) {
            int correct = 0;
            for (int i = 0; i < m; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (mean[i * k + c] > mean[i * k + best]) {
                        best = c;
                    }
                }
                correct += best == valLabels[i] ? 1 : 0;
            }
            acc = (double) correct / m;
        }
        return new Point(w2, b2, depth, acc, rmse, Double.isFinite(logL) ? logL : Double.NaN, scale);
    }
}
