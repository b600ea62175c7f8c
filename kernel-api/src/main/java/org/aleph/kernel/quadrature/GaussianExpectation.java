package org.aleph.kernel.quadrature;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Gaussians;

/**
 * E[f(u) f(v)] for (u, v) ~ N(0, [[q11, q12], [q12, q22]]) by nested Gaussian quadrature,
 * for any f known pointwise whose kinks (points where f or f' jumps) are declared.
 *
 * <p><b>Change of variables</b> (Cholesky): u = s1 z1, v = s2 (rho z1 + c z2) with
 * s = sqrt(q), rho = q12 / sqrt(q11 q22) clamped to [-1, 1] ({@link Gaussians#correlation}),
 * c = sqrt((1 - rho)(1 + rho)) and z1, z2 independent standard normals, so
 * <pre>
 *   E[f(u) f(v)] = E_z1[ f(s1 z1) g(z1) ],   g(z1) = E_z2[ f(s2 rho z1 + s2 c z2) ],
 * </pre>
 * the inner g being the mean of f under N(m, sigma^2), m = s2 rho z1, sigma = s2 c.
 *
 * <p><b>Rules.</b> Both integrals use a {@link PanelPlan}: the z-line is split at the
 * integrand's features and graded geometrically towards them, with Gauss-Legendre
 * panels (Hipparchus nodes, cached in {@link GaussRules}); where nothing is within reach a
 * Gauss-Hermite rule of 6-24 nodes is used instead. The features are
 * <ul>
 *   <li>outer: each kink k of f at z1 = k / s1 (hard, scale L / s1); the centre z1 = 0 where
 *       a smooth activation changes (scale L / s1); and, because g inherits the kinks of f
 *       smoothed by the inner Gaussian, each kink at z1 = k / (s2 rho) with scale c / |rho|
 *       (a hard kink when rho = +-1), and the centre with scale sqrt(L^2/s2^2 + c^2)/|rho|;</li>
 *   <li>inner: each kink at z2 = (k - m) / sigma (hard) and the centre at -m / sigma, with
 *       scale L / sigma.</li>
 * </ul>
 * L is the activation's own length scale (1 by default: tanh, sigmoid, softplus, silu, mish
 * and their derivatives are analytic within distance pi/2 or more of the real axis; state a
 * smaller one for, e.g., tanh(10 x)). Smooth activations must change mainly near 0 or near
 * a declared kink; a declared kink where f is in fact smooth only costs nodes.
 *
 * <p>This handles every correlation continuously: as |rho| -&gt; 1 the inner Gaussian
 * narrows (sigma -&gt; 0) and its rule shrinks to 6 Hermite nodes, while the outer mesh
 * refines around the smoothed kinks down to scale c; at rho = +-1 exactly the inner mean
 * is f(m) itself. A zero variance makes its variable the constant 0: E = f(0) E[f(other)].
 * Tiny and huge variances only move the features (k / s, L / s) in z space.
 *
 * <p><b>Batches</b> ({@link #expectations}): entries with |rho| &lt;= 0.8 use Mehler's series
 * instead ({@link MehlerSeries}: 190 terms, coefficients once per distinct variance, kept in a
 * {@link SeriesCache} that a caller may share across batches), at most a few hundred
 * multiply-adds per entry (16 terms at rho = 0.08, see {@link MehlerSeries#sum}); the rest use
 * the direct rule.
 *
 * <p><b>High correlations.</b> For f without kinks and 0.8 &lt; |rho| &lt; 1 (single triples and
 * batches alike), a shared-factor trapezoidal rule on lattices ({@link LatticeRule}) replaces
 * the nested rule wherever its estimated cost is lower (for tanh at rho = 0.9 and variances near
 * 1, by far; measured times in docs/performance.md); correlations within about 7e-3 of +-1 and large variances
 * keep the nested rule.
 *
 * <p><b>Accuracy</b> (verified by the tests against closed forms and an independent adaptive
 * reference, see {@link #promisedRelativeAccuracy()}): relative error at most 1e-9 for smooth f
 * and 1e-7 for f with kinks, measured against max(|E[f(u) f(v)]|, {@value #FLOOR} sqrt(E[f(u)^2]
 * E[f(v)^2])) - that is, absolute where the value is a million times smaller than its
 * Cauchy-Schwarz bound (an odd f near rho = 0, Relu near rho = -1, where even closed forms
 * lose their relative accuracy). Internally each panel aims at 1e-11 (smooth) or 1e-10
 * (kinked); the tests measure at most 5e-11 (smooth) and 5e-10 (kinked, floor-limited).
 * Covered: f of at most polynomial growth whose smooth features lie near 0 or at declared
 * kinks on scale L; exponential growth e^(a|x|) while a s &lt;= 1; periodic and other
 * oscillating f (sin(a x + b), cos, tested for a &lt;= 3) at variances 1e-6 .. 100 and every
 * correlation including +-1 (worst measured 1.4e-10 against the closed forms,
 * OscillatoryAccuracyTest): every panel of the nested rule is checked a posteriori by the decay
 * of its Legendre (or Hermite) coefficients and bisected where f oscillates faster than the
 * plan foresaw ({@link PanelRefiner}); an integral that cancels heavily (|E| below 2% of
 * E|f(u) g|) is recomputed with the strict check throughout. Single triples with |rho| &lt;= 0.8
 * use Mehler's series too, with coefficients computed for the call.
 *
 * <p><b>Cost</b> of the direct rule, in evaluations of f (each with one exp for the weight):
 * about 8000 for a smooth f at q ~ 1 and |rho| &lt;= 0.7, 5000 at rho = 0.9, 1200 at 0.999, 200
 * at rho = 1; for Relu 2500-5500 (outer nodes where f(u) = 0 skip their inner rule); more for
 * huge variances and correlations within 1e-6 of +-1 (at most about 60000). The outer values
 * f(s1 z1) cannot be shared across entries with the same q11, because the outer mesh adapts to
 * rho (it must refine where the inner Gaussian straddles a kink). Instances are immutable and
 * thread-safe; scratch space lives in a {@link Workspace}.
 */
public final class GaussianExpectation {

    /** Floor of the relative-error promise, as a fraction of the Cauchy-Schwarz bound. */
    public static final double FLOOR = 1e-6;
    /** Promised relative accuracy for f without kinks. */
    public static final double SMOOTH_ACCURACY = 1e-9;
    /** Promised relative accuracy for f with kinks. */
    public static final double KINKED_ACCURACY = 1e-7;
    /** Default length scale L of an activation's features, in units of its argument. */
    public static final double DEFAULT_SCALE = 1.0;

    /** Per-panel tolerance used for smooth f (a hundredfold margin below the promise after the floor). */
    private static final double SMOOTH_TOL = 1e-11;
    /** Per-panel tolerance used for kinked f. */
    private static final double KINKED_TOL = 1e-10;

    private final double[] kinks;
    private final double scale;
    private final double tol;

    private GaussianExpectation(double[] kinks, double scale) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("feature scale must be positive and finite: " + scale);
        }
        for (double k : kinks) {
            if (!Double.isFinite(k)) {
                throw new IllegalArgumentException("kinks must be finite: " + k);
            }
        }
        this.kinks = kinks.clone();
        this.scale = scale;
        this.tol = kinks.length == 0 ? SMOOTH_TOL : KINKED_TOL;
    }

    /** A quadrature for a function with the given kinks (copied) and the default scale 1. */
    public static GaussianExpectation forKinks(double[] kinks) {
        return new GaussianExpectation(kinks, DEFAULT_SCALE);
    }

    /**
     * A quadrature for a function with the given kinks (copied) whose smooth features have
     * length scale {@code scale} (e.g. 0.1 for tanh(10 x)).
     */
    public static GaussianExpectation forKinks(double[] kinks, double scale) {
        return new GaussianExpectation(kinks, scale);
    }

    /** A one-line description for provenance: the rule and the promised accuracy. */
    public String description() {
        return "nested Gauss-Legendre/Hermite quadrature in Cholesky coordinates (Hipparchus nodes), graded at "
                + (kinks.length == 0 ? "the origin" : "the origin and kinks " + java.util.Arrays.toString(kinks))
                + (scale == DEFAULT_SCALE ? "" : " on scale " + scale)
                + ", Mehler series for |rho| <= " + MehlerSeries.MAX_RHO
                + "; relative error <= " + (kinks.length == 0 ? "1e-9" : "1e-7")
                + " (absolute below 1e-6 of the Cauchy-Schwarz bound)";
    }

    /** The relative accuracy promised: 1e-9 without kinks, 1e-7 with (see the class comment). */
    public double promisedRelativeAccuracy() {
        return kinks.length == 0 ? SMOOTH_ACCURACY : KINKED_ACCURACY;
    }

    /** Fresh scratch space for one thread. */
    public Workspace workspace() {
        return new Workspace();
    }

    /**
     * out[i] = E[f(u) f(v)] for each of the first n triples. When at least
     * {@link #MEHLER_MIN_ENTRIES} entries have |rho| &lt;= {@value MehlerSeries#MAX_RHO}, those use
     * Mehler's series ({@link MehlerSeries}) with coefficients computed once per distinct
     * variance of the batch; the others use the direct nested rule.
     */
    public void expectations(DoubleUnaryOperator f, double[] q11, double[] q12, double[] q22, int n, double[] out) {
        int small = 0;
        for (int e = 0; e < n && small < MEHLER_MIN_ENTRIES; e++) {
            if (seriesApplies(q11[e], q12[e], q22[e])) {
                small++;
            }
        }
        expectations(f, q11, q12, q22, n, out, small >= MEHLER_MIN_ENTRIES ? new SeriesCache() : null);
    }

    /**
     * out[i] = E[f(u) f(v)] for each of the first n triples, the entries with |rho| &lt;=
     * {@value MehlerSeries#MAX_RHO} by Mehler's series with coefficients taken from (or added to)
     * {@code cache}, which must belong to this f and this quadrature; null for the direct rule
     * only. Sharing one cache across the tiles of a kernel makes the series cost a few
     * hundred multiply-adds per entry.
     */
    public void expectations(DoubleUnaryOperator f, double[] q11, double[] q12, double[] q22, int n, double[] out,
            SeriesCache cache) {
        expectations(f, q11, q12, q22, n, out, cache, QuadratureBudget.fromSystemProperties());
    }

    /**
     * As {@link #expectations(DoubleUnaryOperator, double[], double[], double[], int, double[], SeriesCache)},
     * charging the direct rule's evaluations of f and the entries to {@code budget}.
     *
     * @throws QuadratureBudgetException when an entry, or the kernel on average, exhausts the budget
     */
    void expectations(DoubleUnaryOperator f, double[] q11, double[] q12, double[] q22, int n, double[] out,
            SeriesCache cache, QuadratureBudget budget) {
        Workspace ws = new Workspace();
        ws.limit = budget.perEntry();
        // the last coefficients looked up on each side (a tile's rows repeat q11), saving map lookups
        double lastA = Double.NaN;
        double lastC = Double.NaN;
        double[] coefA = null;
        double[] coefC = null;
        // a small direct-mapped table in front of the shared map (which costs a boxed lookup)
        long[] localKeys = new long[LOCAL_SLOTS];
        double[][] localCoef = new double[LOCAL_SLOTS][];
        long served = 0; // entries served by the series since the last charge
        for (int e = 0; e < n; e++) {
            double a = q11[e];
            double c = q22[e];
            if (cache != null && seriesApplies(a, q12[e], c)) {
                if (a != lastA) {
                    coefA = local(f, a, cache, ws, localKeys, localCoef);
                    lastA = a;
                }
                if (c != lastC) {
                    coefC = local(f, c, cache, ws, localKeys, localCoef);
                    lastC = c;
                }
                out[e] = MehlerSeries.sum(coefA, coefC, Gaussians.correlation(a, q12[e], c));
                served++;
            } else {
                out[e] = expectation(f, a, q12[e], c, ws);
                if (!budget.charge(ws.spent, served + 1)) {
                    throw QuadratureBudgetException.kernel(a, q12[e], c, budget);
                }
                served = 0;
            }
        }
        if (served > 0) {
            budget.admit(served);
        }
    }

    private static boolean seriesApplies(double q11, double q12, double q22) {
        return q11 > 0 && q22 > 0 && q11 < Double.POSITIVE_INFINITY && q22 < Double.POSITIVE_INFINITY
                && Math.abs(Gaussians.correlation(q11, q12, q22)) <= MehlerSeries.MAX_RHO;
    }

    /** Slots of the per-batch table of coefficients (a power of two). */
    private static final int LOCAL_SLOTS = 256;

    private double[] local(DoubleUnaryOperator f, double q, SeriesCache cache, Workspace ws, long[] keys, double[][] coef) {
        long bits = Double.doubleToRawLongBits(q);
        int h = (int) (bits ^ (bits >>> 32));
        int slot = (h ^ (h >>> 16) ^ (h >>> 7)) & (LOCAL_SLOTS - 1);
        double[] a = coef[slot];
        if (a != null && keys[slot] == bits) {
            return a;
        }
        a = coefficients(f, q, cache, ws);
        keys[slot] = bits;
        coef[slot] = a;
        return a;
    }

    private double[] coefficients(DoubleUnaryOperator f, double q, SeriesCache cache, Workspace ws) {
        double[] a = cache.get(q);
        if (a == null) {
            a = MehlerSeries.coefficients(f, q, kinks, scale, tol, ws.inner);
            cache.put(q, a);
        }
        return a;
    }

    /** A fresh, empty cache of series coefficients for one function (see {@link SeriesCache}). */
    public SeriesCache seriesCache() {
        return new SeriesCache();
    }

    /**
     * Evaluates the Mehler coefficients without a shared cache only when a batch has at least
     * this many entries with a small correlation (each distinct variance costs about as much as
     * 5-10 direct entries).
     */
    public static final int MEHLER_MIN_ENTRIES = 16;

    /** E[f(u) f(v)] for one triple (allocates a small workspace; prefer the batch form). */
    public double expectation(DoubleUnaryOperator f, double q11, double q12, double q22) {
        return expectation(f, q11, q12, q22, new Workspace());
    }

    /** E[f(u)] for u ~ N(0, q). */
    public double mean(DoubleUnaryOperator f, double q) {
        return mean(f, q, new Workspace());
    }

    /** E[f(u)^2] for u ~ N(0, q) (the diagonal q11 = q12 = q22 = q). */
    public double secondMoment(DoubleUnaryOperator f, double q) {
        return expectation(f, q, q, q, new Workspace());
    }

    /**
     * E[f(u) f(v)] for one triple using the given scratch space.
     *
     * @throws QuadratureBudgetException when f needs more than the workspace's budget of
     *                                   evaluations ({@link QuadratureBudget#perEntry()})
     */
    public double expectation(DoubleUnaryOperator f, double q11, double q12, double q22, Workspace ws) {
        ws.spent = 0;
        try {
            return budgeted(f, q11, q12, q22, ws);
        } catch (BudgetExhausted e) {
            throw QuadratureBudgetException.entry(q11, q12, q22, ws.limit);
        }
    }

    private double budgeted(DoubleUnaryOperator f, double q11, double q12, double q22, Workspace ws) {
        checkVariance(q11);
        checkVariance(q22);
        if (q11 == 0 || q22 == 0) {
            double f0 = f.applyAsDouble(0.0);
            if (f0 == 0) {
                return 0.0;
            }
            return f0 * meanWithin(f, q11 == 0 ? q22 : q11, ws);
        }
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        double rho = Gaussians.correlation(q11, q12, q22);
        double c = Math.sqrt((1 - rho) * (1 + rho));
        double absRho = Math.abs(rho);
        if (absRho <= MehlerSeries.MAX_RHO) {
            // Mehler's series: two sets of coefficients cost less than the nested rule, whose 2-D
            // oscillation for a periodic f at large variances would need thousands of nodes a side
            double[] a1 = MehlerSeries.coefficients(f, q11, kinks, scale, tol, ws.inner);
            double[] a2 = q22 == q11 ? a1 : MehlerSeries.coefficients(f, q22, kinks, scale, tol, ws.inner);
            return MehlerSeries.sum(a1, a2, rho);
        }
        if (kinks.length == 0 && absRho < 1 && LatticeRule.preferred(s1, s2, absRho, scale)) {
            return ws.lattice.expectation(f, s1, s2, rho, scale);
        }

        double sum = nested(f, s1, s2, rho, c, absRho, ws, false);
        if (PanelRefiner.cancels(ws.outer, ws.outerValues(0), sum)) {
            sum = nested(f, s1, s2, rho, c, absRho, ws, true);
        }
        return sum;
    }

    /**
     * The nested rule; strict accepts only panels whose top Legendre coefficients are tiny (for
     * integrals that cancel heavily, see {@link PanelRefiner}).
     */
    private double nested(DoubleUnaryOperator f, double s1, double s2, double rho, double c, double absRho, Workspace ws,
            boolean strict) {
        PanelPlan outer = ws.outer;
        outer.clear();
        double centre = scale / s1;
        for (double k : kinks) {
            outer.add(k / s1, scale / s1, true);
        }
        if (rho != 0) {
            centre = Math.min(centre, Math.hypot(scale / s2, c) / absRho);
            for (double k : kinks) {
                outer.add(k / (s2 * rho), c > 0 ? c / absRho : scale / (s2 * absRho), true);
            }
        }
        outer.add(0.0, centre, false);
        outer.build(tol);

        int n1 = outer.size;
        double[] z1 = outer.z;
        double[] w1 = outer.w;
        double sigma = s2 * c;
        double a = s2 * rho;
        double[] gv = ws.outerValues(n1);
        double sum = 0;
        ws.spend(n1);
        for (int i = 0; i < n1; i++) {
            double fu = f.applyAsDouble(s1 * z1[i]);
            double v = fu == 0 ? 0 : fu * innerMean(f, a * z1[i], sigma, ws, strict);
            gv[i] = v;
            sum += w1[i] * v;
        }
        int bad = PanelRefiner.firstUnresolved(outer, gv);
        if (bad >= 0) {
            sum += PanelRefiner.correction(outer, gv, bad, z -> {
                ws.spend(1);
                double fu = f.applyAsDouble(s1 * z);
                return fu == 0 ? 0 : fu * innerMean(f, a * z, sigma, ws, strict);
            }, strict);
        }
        return sum;
    }

    /** E[f(m + sigma Z)], the inner integral of the nested rule (it rebuilds ws.inner). */
    private double innerMean(DoubleUnaryOperator f, double m, double sigma, Workspace ws, boolean strict) {
        if (sigma == 0) {
            return f.applyAsDouble(m);
        }
        PanelPlan inner = ws.inner;
        double innerScale = scale / sigma;
        inner.clear();
        for (double k : kinks) {
            inner.add((k - m) / sigma, innerScale, true);
        }
        inner.add(-m / sigma, innerScale, false);
        inner.build(tol);
        double g = 0;
        double[] z2 = inner.z;
        double[] w2 = inner.w;
        int n2 = inner.size;
        double[] v = ws.innerValues(n2);
        ws.spend(n2);
        for (int j = 0; j < n2; j++) {
            double fv = f.applyAsDouble(m + sigma * z2[j]);
            v[j] = fv;
            g += w2[j] * fv;
        }
        int bad = PanelRefiner.firstUnresolved(inner, v);
        if (bad >= 0) {
            g += PanelRefiner.correction(inner, v, bad, z -> {
                ws.spend(1);
                return f.applyAsDouble(m + sigma * z);
            }, strict);
        }
        return g;
    }

    /**
     * E[f(u)] for u ~ N(0, q) using the given scratch space.
     *
     * @throws QuadratureBudgetException when f needs more than the workspace's budget of evaluations
     */
    public double mean(DoubleUnaryOperator f, double q, Workspace ws) {
        ws.spent = 0;
        try {
            return meanWithin(f, q, ws);
        } catch (BudgetExhausted e) {
            throw QuadratureBudgetException.entry(q, 0, 0, ws.limit);
        }
    }

    private double meanWithin(DoubleUnaryOperator f, double q, Workspace ws) {
        checkVariance(q);
        if (q == 0) {
            return f.applyAsDouble(0.0);
        }
        double s = Math.sqrt(q);
        PanelPlan plan = ws.outer;
        plan.clear();
        for (double k : kinks) {
            plan.add(k / s, scale / s, true);
        }
        plan.add(0.0, scale / s, false);
        plan.build(tol);
        double sum = 0;
        double[] v = ws.outerValues(plan.size);
        ws.spend(plan.size);
        for (int i = 0; i < plan.size; i++) {
            v[i] = f.applyAsDouble(s * plan.z[i]);
            sum += plan.w[i] * v[i];
        }
        int bad = PanelRefiner.firstUnresolved(plan, v);
        if (bad >= 0) {
            sum += PanelRefiner.correction(plan, v, bad, z -> {
                ws.spend(1);
                return f.applyAsDouble(s * z);
            }, PanelRefiner.cancels(plan, v, sum));
        }
        return sum;
    }

    private static void checkVariance(double q) {
        if (!(q >= 0) || q == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("variance must be finite and >= 0: " + q);
        }
    }

    /** Unwinds an entry whose budget ran out (stateless, no stack trace). */
    private static final class BudgetExhausted extends RuntimeException {
        static final BudgetExhausted INSTANCE = new BudgetExhausted();

        private BudgetExhausted() {
            super("quadrature budget exhausted", null, false, false);
        }
    }

    /**
     * Mehler coefficients of one function keyed by variance, shared by the batches (tiles) of a
     * kernel computation: the recursion passes each point's variance in every tile of its row or
     * column, so each is expanded once. Thread-safe; bounded to {@value #MAX_ENTRIES} variances
     * ({@value MehlerSeries#TERMS} doubles each), then emptied and refilled. Belongs to one f and
     * one {@link GaussianExpectation}.
     */
    public static final class SeriesCache {
        /** Largest number of variances kept. */
        public static final int MAX_ENTRIES = 16384;
        private final java.util.concurrent.ConcurrentHashMap<Double, double[]> map = new java.util.concurrent.ConcurrentHashMap<>();

        SeriesCache() {
        }

        double[] get(double q) {
            return map.get(q);
        }

        void put(double q, double[] a) {
            if (map.size() >= MAX_ENTRIES) {
                map.clear();
            }
            map.putIfAbsent(q, a);
        }
    }

    /**
     * Reusable scratch arrays of one thread: the outer and inner rules. Obtain with
     * {@link #workspace()}; never share one between threads.
     */
    public static final class Workspace {
        final PanelPlan outer = new PanelPlan();
        final PanelPlan inner = new PanelPlan();
        final LatticeRule lattice = new LatticeRule();
        private double[] outerValues = new double[256];
        private double[] innerValues = new double[256];
        /** Evaluations of f in the current entry, and the most allowed ({@link QuadratureBudget#perEntry()}). */
        long spent;
        long limit;

        Workspace() {
            this.limit = QuadratureBudget.fromSystemProperties().perEntry();
        }

        /** Counts n evaluations of f; unwinds the entry with {@link BudgetExhausted} beyond the limit. */
        void spend(long n) {
            spent += n;
            if (spent > limit) {
                throw BudgetExhausted.INSTANCE;
            }
        }

        /** Evaluations of f in the last entry computed with this workspace. */
        public long evaluations() {
            return spent;
        }

        double[] outerValues(int n) {
            if (outerValues.length < n) {
                outerValues = new double[Math.max(n, 2 * outerValues.length)];
            }
            return outerValues;
        }

        double[] innerValues(int n) {
            if (innerValues.length < n) {
                innerValues = new double[Math.max(n, 2 * innerValues.length)];
            }
            return innerValues;
        }
    }
}
