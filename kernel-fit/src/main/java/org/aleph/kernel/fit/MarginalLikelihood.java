package org.aleph.kernel.fit;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.fit.HyperparameterSpace.Kind;
import org.aleph.kernel.fit.HyperparameterSpace.Parameter;

/**
 * The log marginal likelihood of targets Y (n x k) under the NNGP regression model of a
 * {@link HyperparameterSpace}, and its gradient with respect to the logarithms of the free
 * hyperparameters (Rasmussen and Williams, Gaussian Processes for Machine Learning, 2006,
 * eqs. 2.30 and 5.9):
 * <pre>
 *   L = -1/2 sum_c y_c^T A^{-1} y_c - k/2 log det A - n k/2 log 2 pi,     A = s K + c I
 *   dL/dtheta = 1/2 tr((alpha alpha^T - k A^{-1}) dA/dtheta),              alpha = A^{-1} Y
 * </pre>
 * The derivatives of A in the noise and the output scale are exact. The derivatives of the
 * kernel K in log W_std and log b_std are exact too when the network is fully connected and
 * every activation offers {@link org.aleph.kernel.spi.Activation#varianceDerivatives} (every
 * closed-form built-in but Sign, the step, Gabor and Polynomial):
 * they are propagated forward through the recursion with K itself ({@link TangentRecursion};
 * {@link #gradientMethod} says "exact"). Otherwise (quadrature activations such as Tanh, other
 * closed forms, the CAS, plug-ins without the method, and the kernel computer's specs) they are
 * central differences of the whole NNGP recursion, {@code (K(t + h) - K(t - h)) / 2h}, with h = (3 eps)^(1/3) for the activations' promised
 * relative accuracy eps (the step that balances the O(h^2) truncation against the eps / h
 * rounding of the expectations; Nocedal and Wright, Numerical Optimization, 2nd ed., sec. 8.1),
 * at least {@value #MIN_STEP}. {@link #gradientErrorEstimate} measures the error actually made
 * by comparing the steps h and 2h.
 *
 * <p>Kernels ({@link KernelSource}): for the networks {@link NngpRecursion} computes (fully
 * connected) the input Gram is computed once and each kernel evaluation is one pass of the
 * recursion over the n (n + 1) / 2 entries. Every other spec the kernel computer takes (Conv,
 * pooling, Flatten, FanOut ... FanIn, Repeat, Dropout; images with their {@link ImageShape}) is
 * evaluated whole by kernel-api's {@code KernelComputer} ({@link SpecKernels}), with the same
 * difference step and error estimate.
 */
public final class MarginalLikelihood {

    /** The smallest finite-difference step in log W_std, log b_std. */
    static final double MIN_STEP = 1e-5;

    /**
     * One evaluation: the full parameter vector, L, and (when asked) dL / d log(free parameter);
     * {@code exactGradient} when the kernel's derivatives were propagated exactly rather than
     * taken by central differences.
     */
    public record Evaluation(double[] values, double logLikelihood, double[] gradient, double absoluteNoise, boolean exactGradient) {
        /** An evaluation without an exact gradient. */
        public Evaluation(double[] values, double logLikelihood, double[] gradient, double absoluteNoise) {
            this(values, logLikelihood, gradient, absoluteNoise, false);
        }
    }

    /** The value of {@link #gradientMethod} when the kernel's derivatives are propagated exactly. */
    public static final String EXACT = "exact";
    /** The value of {@link #gradientMethod} when they are central differences. */
    public static final String CENTRAL_DIFFERENCES = "central differences";

    private final HyperparameterSpace space;
    private final Matrix y;
    private final LinearAlgebra la;
    private final KernelSource kernels;
    private final int n;
    private final int k;
    private final double step;
    private final AtomicLong exactFallbacks = new AtomicLong();
    private volatile boolean exact;
    private final List<TangentRecursion.Direction> directions = new java.util.ArrayList<>();
    /** For each parameter, the index of its direction in {@link #directions}, or -1. */
    private final int[] directionOf;

    /**
     * @param space   the hyperparameters
     * @param x       training inputs, n x d
     * @param y       training targets, n x k
     * @param la      the linear algebra
     * @param pool    threads sharing each layer of the recursion (null: the caller's thread)
     * @param threads the number of those threads
     */
    public MarginalLikelihood(HyperparameterSpace space, Matrix x, Matrix y, LinearAlgebra la, ExecutorService pool, int threads) {
        this(space, x, null, y, la, pool, threads, false);
    }

    /**
     * @param space   the hyperparameters; any spec the kernel computer takes
     * @param x       training inputs, n x d; images of {@code shape} in NHWC order when it is given
     * @param shape   the image shape of the inputs (required by a network that takes images), or null
     * @param y       training targets, n x k
     * @param la      the linear algebra
     * @param pool    threads sharing each layer of the fully connected recursion (null: the caller's thread)
     * @param threads the number of those threads, also the kernel computer's workers
     */
    public MarginalLikelihood(HyperparameterSpace space, Matrix x, ImageShape shape, Matrix y, LinearAlgebra la, ExecutorService pool,
                              int threads) {
        this(space, x, shape, y, la, pool, threads, false);
    }

    /** As above; {@code forceGeneric} evaluates even a fully connected network with the kernel computer (for tests). */
    MarginalLikelihood(HyperparameterSpace space, Matrix x, ImageShape shape, Matrix y, LinearAlgebra la, ExecutorService pool,
                       int threads, boolean forceGeneric) {
        if (x.rows() != y.rows()) {
            throw new UserErrorException("the targets have " + y.rows() + " rows but there are " + x.rows() + " inputs");
        }
        if (x.rows() < 2) {
            throw new UserErrorException("fitting needs at least 2 training points, got " + x.rows());
        }
        this.space = space;
        this.y = y;
        this.la = la;
        this.n = x.rows();
        this.k = y.cols();
        this.kernels = new KernelSource(space.template(), x, shape, la, pool, threads, forceGeneric);
        this.step = Math.max(MIN_STEP, Math.cbrt(3 * KernelSource.worstAccuracy(space.template().layers())));
        this.exact = !kernels.generic() && TangentRecursion.offered(space.template().layers());
        List<Parameter> ps = space.parameters();
        this.directionOf = new int[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            directionOf[i] = -1;
            if (p.free() && (p.kind() == Kind.W_STD || p.kind() == Kind.B_STD)) {
                directionOf[i] = directions.size();
                directions.add(new TangentRecursion.Direction(p.kind() == Kind.W_STD, p.layer()));
            }
        }
    }

    /**
     * Whether the output scale is profiled out: with a free scale and relative noise,
     * A = s (K + noise mean(diag K) I) and L is largest over s at s* = tr(Y^T B^{-1} Y) / (n k)
     * in closed form; s* (clamped to its box) is then used whatever the scale passed in, its
     * gradient component is the partial derivative at s* (zero inside the box), and the other
     * components are those of the profile likelihood (the envelope theorem).
     */
    public boolean profilesScale() {
        return space.relativeNoise() && scaleParameter().free();
    }

    private Parameter scaleParameter() {
        return space.parameters().get(scaleIndex());
    }

    private int scaleIndex() {
        List<Parameter> ps = space.parameters();
        for (int i = 0; i < ps.size(); i++) {
            if (ps.get(i).kind() == Kind.SCALE) {
                return i;
            }
        }
        throw new IllegalStateException("no scale parameter");
    }

    /** The index of the scale among the free parameters, or -1 when it is fixed. */
    int freeScaleIndex() {
        List<Parameter> free = space.free();
        for (int i = 0; i < free.size(); i++) {
            if (free.get(i).kind() == Kind.SCALE) {
                return i;
            }
        }
        return -1;
    }

    /** The hyperparameter space. */
    public HyperparameterSpace space() {
        return space;
    }

    /** The finite-difference step in log W_std and log b_std. */
    public double step() {
        return step;
    }

    /** Takes the kernel's derivatives by central differences even where they could be exact (tests and timings). */
    void useCentralDifferences() {
        exact = false;
    }

    /**
     * How the derivatives of the kernel in log W_std and log b_std are taken: {@value #EXACT}
     * (propagated through the recursion; also when neither is free) or {@value #CENTRAL_DIFFERENCES}.
     */
    public String gradientMethod() {
        return exact || directions.isEmpty() ? EXACT : CENTRAL_DIFFERENCES;
    }

    /**
     * How many gradients fell back from the exact method to central differences because an
     * activation declined its variance derivatives at some entry (a zero variance for Relu).
     */
    public long exactFallbacks() {
        return exactFallbacks.get();
    }

    /** How many NNGP kernels have been computed so far (a pass with tangents counts as one). */
    public long kernelEvaluations() {
        return kernels.evaluations();
    }

    /** Whether the kernels come from the kernel computer (a spec the fully connected recursion does not compute). */
    public boolean generic() {
        return kernels.generic();
    }

    /** The NNGP train-train entries (packed upper triangle) of a network. */
    double[] kernel(Network network) {
        return kernels.kernel(network);
    }

    /** The dense train-train NNGP of a full parameter vector (without scale and noise). */
    public Matrix kernelMatrix(double[] values) {
        return Matrix.wrap(n, n, kernels.layout().dense(kernel(space.network(values)), 0));
    }

    /** L and, when {@code gradient}, its gradient with the default step. */
    public Evaluation evaluate(double[] logFree, boolean gradient) {
        return evaluate(logFree, gradient, step);
    }

    /**
     * L at the free parameters {@code exp(logFree)} and, when {@code gradient}, dL/d logFree
     * with the given finite-difference step for the kernel's W_std and b_std derivatives.
     * L is -infinity when A is not numerically positive definite (then no gradient).
     */
    public Evaluation evaluate(double[] logFree, boolean gradient, double h) {
        return evaluate(logFree, gradient, h, exact);
    }

    private Evaluation evaluate(double[] logFree, boolean gradient, double h, boolean useExact) {
        double[] values = space.values(logFree);
        Network network = space.network(values);
        TangentRecursion.Result tangent = null;
        if (gradient && useExact && !directions.isEmpty()) {
            tangent = kernels.withTangents(network, directions);
            if (tangent == null) {
                exactFallbacks.incrementAndGet();
            }
        }
        double[] kEntries = tangent != null ? tangent.entries() : kernel(network);
        boolean profile = profilesScale();
        double s = profile ? 1 : space.value(values, Kind.SCALE);
        double nu = space.value(values, Kind.NOISE);
        double meanDiag = meanDiagonal(kEntries);
        double c = space.relativeNoise() ? nu * s * meanDiag : nu;
        double[] a = kernels.layout().dense(kEntries, 0);
        for (int e = 0; e < a.length; e++) {
            a[e] *= s;
        }
        for (int i = 0; i < n; i++) {
            a[i * n + i] += c;
        }
        if (la.choleskyInPlace(a, n) != 0) {
            return new Evaluation(values, Double.NEGATIVE_INFINITY, null, c);
        }
        if (profile) {
            // B = K + noise mean(diag K) I factorised; L is largest over s at s* = tr(Y^T B^{-1} Y) / (n k), clamped to the box.
            double[] rows = NngpPosterior.transposeSolve(a, n, y, la);
            double fitB = 0;
            double[] yd = y.data();
            for (int i = 0; i < n; i++) {
                for (int col = 0; col < k; col++) {
                    fitB += yd[i * k + col] * rows[col * n + i];
                }
            }
            Parameter sp = scaleParameter();
            s = Math.min(sp.upper(), Math.max(sp.lower(), fitB / ((double) n * k)));
            double root = Math.sqrt(s);
            for (int e = 0; e < a.length; e++) {
                a[e] *= root;
            }
            c *= s;
            values[scaleIndex()] = s;
        }
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            logDet += Math.log(a[i * n + i]);
        }
        logDet *= 2;
        // alpha^T as k rows of n: each target column solved contiguously
        double[] alphaRows = new double[k * n];
        double[] yd = y.data();
        for (int i = 0; i < n; i++) {
            for (int col = 0; col < k; col++) {
                alphaRows[col * n + i] = yd[i * k + col];
            }
        }
        la.choleskySolveRows(a, n, alphaRows, k);
        double fit = 0;
        for (int i = 0; i < n; i++) {
            for (int col = 0; col < k; col++) {
                fit += yd[i * k + col] * alphaRows[col * n + i];
            }
        }
        double logL = -0.5 * fit - 0.5 * k * logDet - 0.5 * n * k * Math.log(2 * Math.PI);
        if (!Double.isFinite(logL)) {
            return new Evaluation(values, Double.NEGATIVE_INFINITY, null, c);
        }
        if (!gradient) {
            return new Evaluation(values, logL, null, c);
        }
        // M = alpha alpha^T - k A^{-1}
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1;
        }
        la.choleskySolveRows(a, n, inv, n);
        double[] m = new double[n * n];
        la.gemm(true, false, n, n, k, 1.0, alphaRows, alphaRows, 0.0, m);
        double traceM = 0;
        for (int e = 0; e < m.length; e++) {
            m[e] -= k * inv[e];
        }
        for (int i = 0; i < n; i++) {
            traceM += m[i * n + i];
        }
        List<Parameter> ps = space.parameters();
        double[] g = new double[space.free().size()];
        int f = 0;
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            if (!p.free()) {
                continue;
            }
            switch (p.kind()) {
                case SCALE -> g[f] = 0.5 * (s * contract(m, kEntries) + (space.relativeNoise() ? c * traceM : 0));
                case NOISE -> g[f] = 0.5 * c * traceM;
                default -> {
                    double[] dk = tangent != null ? tangent.tangents()[directionOf[i]] : kernelDerivative(values, i, h);
                    double dm = meanDiagonal(dk);
                    g[f] = 0.5 * s * (contract(m, dk) + (space.relativeNoise() ? nu * dm * traceM : 0));
                }
            }
            f++;
        }
        return new Evaluation(values, logL, g, c, tangent != null || directions.isEmpty());
    }

    /** dK / d log(parameter i) by central differences with step h. */
    double[] kernelDerivative(double[] values, int i, double h) {
        double[] plus = values.clone();
        double[] minus = values.clone();
        plus[i] = values[i] * Math.exp(h);
        minus[i] = values[i] * Math.exp(-h);
        double[] kp = kernel(space.network(plus));
        double[] km = kernel(space.network(minus));
        double inv = 1 / (2 * h);
        for (int e = 0; e < kp.length; e++) {
            kp[e] = (kp[e] - km[e]) * inv;
        }
        return kp;
    }

    /** sum_ij M_ij X_ij for symmetric M (dense) and X (packed upper triangle). */
    private double contract(double[] m, double[] packed) {
        double s = 0;
        int e = 0;
        for (int i = 0; i < n; i++) {
            s += m[i * n + i] * packed[e++];
            double row = 0;
            for (int j = i + 1; j < n; j++) {
                row += m[i * n + j] * packed[e++];
            }
            s += 2 * row;
        }
        return s;
    }

    private double meanDiagonal(double[] packed) {
        double t = 0;
        int e = 0;
        for (int i = 0; i < n; i++) {
            t += packed[e];
            e += n - i;
        }
        return t / n;
    }

    /**
     * An estimate of the error of the gradient at a point. Central differences: max_i
     * |g_h - g_2h| / 3 over the free parameters (for an O(h^2) central difference,
     * g_2h - g_h ~ 3 C h^2 is three times the truncation error of g_h; rounding errors enter
     * with the same order). Exact: max_i |g - (4 g_h - g_2h) / 3|, the distance to the
     * Richardson-extrapolated central differences (O(h^4)), a bound on the exact gradient's
     * error up to that extrapolation's own.
     */
    public double gradientErrorEstimate(double[] logFree) {
        double[] g1 = evaluate(logFree, true, step, false).gradient();
        double[] g2 = evaluate(logFree, true, 2 * step, false).gradient();
        double[] g0 = exact ? evaluate(logFree, true, step, true).gradient() : null;
        if (g1 == null || g2 == null || (exact && g0 == null)) {
            return Double.NaN;
        }
        double err = 0;
        for (int i = 0; i < g1.length; i++) {
            err = Math.max(err, exact ? Math.abs(g0[i] - (4 * g1[i] - g2[i]) / 3) : Math.abs(g1[i] - g2[i]) / 3);
        }
        return err;
    }
}
