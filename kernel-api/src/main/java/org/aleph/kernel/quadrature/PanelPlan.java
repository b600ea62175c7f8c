package org.aleph.kernel.quadrature;

import static org.aleph.kernel.spi.Gaussians.INV_SQRT_2PI;

import java.util.Arrays;

/**
 * A quadrature rule for E[g(Z)], Z ~ N(0, 1), laid out for one integrand from the places
 * where the integrand is not smooth ("features"), built into reusable scratch arrays.
 *
 * <p>Each feature is a position p (in z units), a length scale l on which the integrand
 * varies near p, and whether it is a hard kink (g or g' jumps exactly at p) or a soft one
 * (g is analytic but changes on scale l there, like tanh(x / l)). The rule:
 * <ol>
 *   <li>If no feature lies inside the truncation window [-{@value #Z}, {@value #Z}] with a
 *       scale below {@value #GH_SCALE}, the integrand is smooth on the scale of the
 *       Gaussian: a Gauss-Hermite rule whose size is chosen from the smallest effective
 *       scale (6 nodes when g is nearly linear over the Gaussian, up to 24).</li>
 *   <li>Otherwise the window is split at every feature and graded geometrically away from
 *       it (breakpoints p +- l R^j, R = {@value #RATIO}) - the classical hp-graded mesh for
 *       a near-singularity: every panel then lies at a fixed ratio of its distance from the
 *       feature, so an n-point Gauss-Legendre rule converges like (2 + sqrt 3)^(-2n) on
 *       each. A panel gets the smallest Legendre rule that meets both that bound and the
 *       measured accuracy of Legendre on the Gaussian weight ({@link GaussRules}), at a
 *       tolerance relaxed by the panel's Gaussian mass (at most 1000-fold); a panel too
 *       long for 32 nodes is cut into equal parts.</li>
 * </ol>
 * The mass outside the window, P(|Z| &gt; 10) = 1.5e-23, is dropped. Not thread-safe: one
 * plan per thread (the owning {@link GaussianExpectation} call keeps its own).
 */
final class PanelPlan {

    /** Truncation of the standard normal. */
    static final double Z = 10.0;
    /** Grading ratio of the geometric mesh around a feature. */
    static final double RATIO = 3.0;
    /** Feature scales at or above this (in z units) need no splitting: Gauss-Hermite copes. */
    static final double GH_SCALE = 3.0;
    /** Smallest scale resolved; finer structure carries less than ~1e-13 of the mass. */
    static final double MIN_SCALE = 1e-13;
    /** log of (2 + sqrt 3)^2: per-node convergence factor on a panel graded with RATIO 3. */
    private static final double LOG_RHO2 = 2 * Math.log(2 + Math.sqrt(3));

    private double[] featP = new double[8];
    private double[] featL = new double[8];
    private boolean[] featHard = new boolean[8];
    private int features;

    private double[] breaks = new double[64];
    private int breakCount;

    /** Nodes (z) and weights (including the normal density) of the last built rule. */
    double[] z = new double[256];
    double[] w = new double[256];
    /** Number of nodes of the last built rule. */
    int size;
    /**
     * The Gauss-Legendre panels of the last built rule (none for a Gauss-Hermite rule): panel p
     * is [panelA[p], panelB[p]] with the nodes panelFirst[p] .. panelFirst[p] + n - 1 of the
     * Legendre rule with size index panelRule[p], for {@link PanelRefiner}.
     */
    int panels;
    /** The size index of the Gauss-Hermite rule of the last build, -1 if it was composite. */
    int hermiteRule = -1;
    double[] panelA = new double[64];
    double[] panelB = new double[64];
    int[] panelFirst = new int[64];
    int[] panelRule = new int[64];

    /** Forgets all features. */
    void clear() {
        features = 0;
    }

    /** Adds a feature at p (z units) with scale l; NaN or infinite positions are ignored. */
    void add(double p, double l, boolean hard) {
        if (!Double.isFinite(p)) {
            return;
        }
        if (features == featP.length) {
            featP = Arrays.copyOf(featP, 2 * features);
            featL = Arrays.copyOf(featL, 2 * features);
            featHard = Arrays.copyOf(featHard, 2 * features);
        }
        featP[features] = p;
        featL[features] = Math.max(l, MIN_SCALE);
        featHard[features] = hard;
        features++;
    }

    /** Builds the rule for the current features at per-panel relative tolerance tol. */
    void build(double tol) {
        build(tol, Z, Double.POSITIVE_INFINITY, 0, false);
    }

    /**
     * Builds the rule on the window [-window, window], with panels no longer than maxLength
     * and at least minNodes Legendre nodes each; always composite (never Gauss-Hermite) when
     * forceComposite, as integrands with oscillating factors (Hermite polynomials) need.
     */
    void build(double tol, double window, double maxLength, int minNodes, boolean forceComposite) {
        double zMax = window;
        boolean composite = forceComposite;
        double smallest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < features; i++) {
            double p = featP[i];
            double l = featL[i];
            boolean inside = p > -zMax && p < zMax;
            if (inside && (featHard[i] || l < GH_SCALE)) {
                composite = true;
                break;
            }
            double effective = inside ? l : Math.max(l, Math.abs(p) - 0.5 * zMax);
            smallest = Math.min(smallest, effective);
        }
        if (!composite) {
            hermite(smallest);
            return;
        }
        breakCount = 0;
        panels = 0;
        hermiteRule = -1;
        addBreak(-zMax);
        addBreak(zMax);
        for (int i = 0; i < features; i++) {
            double p = featP[i];
            if (!(p > -zMax && p < zMax)) {
                continue;
            }
            addBreak(p);
            for (double d = featL[i]; d < 2 * zMax; d *= RATIO) {
                if (p - d > -zMax) {
                    addBreak(p - d);
                }
                if (p + d < zMax) {
                    addBreak(p + d);
                }
            }
        }
        Arrays.sort(breaks, 0, breakCount);
        size = 0;
        double a = breaks[0];
        for (int k = 1; k < breakCount; k++) {
            double b = breaks[k];
            if (b - a > 1e-15 * (1 + Math.abs(a))) {
                int parts = Math.max(1, (int) Math.ceil((b - a) / maxLength));
                double h = (b - a) / parts;
                for (int p = 0; p < parts; p++) {
                    panel(a + p * h, p == parts - 1 ? b : a + (p + 1) * h, tol, minNodes);
                }
                a = b;
            }
        }
    }

    private void hermite(double smallestScale) {
        int k = smallestScale >= 200 ? 0 : smallestScale >= 40 ? 1 : smallestScale >= 10 ? 2 : 3;
        double[] hz = GaussRules.HERMITE_Z[k];
        double[] hw = GaussRules.HERMITE_W[k];
        ensure(hz.length);
        System.arraycopy(hz, 0, z, 0, hz.length);
        System.arraycopy(hw, 0, w, 0, hw.length);
        size = hz.length;
        panels = 0;
        hermiteRule = k;
    }

    private void panel(double a, double b, double tol, int minNodes) {
        double near = (a <= 0 && b >= 0) ? 0 : Math.min(Math.abs(a), Math.abs(b));
        double mass = Math.exp(-0.5 * near * near);
        double t = Math.min(1e-3, tol / Math.max(mass, 1e-3));
        double need = Math.log(1 / t) / LOG_RHO2;
        double h = b - a;
        int[] sizes = GaussRules.LEGENDRE_SIZES;
        int pieces = 1;
        int k = 0;
        while (true) {
            double hp = h / pieces;
            k = 0;
            while (k < sizes.length && (sizes[k] < need || sizes[k] < minNodes || GaussRules.maxPanelLength(k, t) < hp)) {
                k++;
            }
            if (k < sizes.length) {
                break;
            }
            pieces++;
        }
        double[] x = GaussRules.LEGENDRE_X[k];
        double[] wx = GaussRules.LEGENDRE_W[k];
        ensure(size + pieces * x.length);
        double hp = h / pieces;
        for (int p = 0; p < pieces; p++) {
            double lo = a + p * hp;
            double half = 0.5 * hp;
            addPanel(lo, p == pieces - 1 ? b : lo + hp, size, k);
            double mid = lo + half;
            for (int j = 0; j < x.length; j++) {
                double zz = mid + half * x[j];
                z[size] = zz;
                w[size] = half * wx[j] * INV_SQRT_2PI * Math.exp(-0.5 * zz * zz);
                size++;
            }
        }
    }

    private void addPanel(double a, double b, int first, int rule) {
        if (panels == panelA.length) {
            int m = 2 * panels;
            panelA = Arrays.copyOf(panelA, m);
            panelB = Arrays.copyOf(panelB, m);
            panelFirst = Arrays.copyOf(panelFirst, m);
            panelRule = Arrays.copyOf(panelRule, m);
        }
        panelA[panels] = a;
        panelB[panels] = b;
        panelFirst[panels] = first;
        panelRule[panels] = rule;
        panels++;
    }

    private void addBreak(double b) {
        if (breakCount == breaks.length) {
            breaks = Arrays.copyOf(breaks, 2 * breakCount);
        }
        breaks[breakCount++] = b;
    }

    private void ensure(int n) {
        if (n > z.length) {
            int m = Math.max(n, 2 * z.length);
            z = Arrays.copyOf(z, m);
            w = Arrays.copyOf(w, m);
        }
    }
}
