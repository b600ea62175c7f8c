package org.aleph.kernel.theory;

import org.aleph.kernel.UserErrorException;

/**
 * The eigenvalues of a dot-product kernel k(x, x') = kappa(x . x') on the unit sphere
 * S^{d-1} with its uniform probability measure, by degree k of the spherical harmonics
 * (Funk-Hecke theorem; Smola, Ovari &amp; Williamson 2001, "Regularization with dot-product
 * kernels"; Bietti &amp; Mairal 2019, arXiv:1905.12173, sec. 3):
 * <pre>
 *   mu_k = |S^{d-2}| / |S^{d-1}|  int_{-1}^{1} kappa(t) P_k^{(d)}(t) (1 - t^2)^{(d-3)/2} dt,
 *   N(d, k) = (2k + d - 2) / (k + d - 2) * C(k + d - 2, k)      (N(d, 0) = 1),
 * </pre>
 * where P_k^{(d)} is the Legendre (Gegenbauer) polynomial of dimension d with P_k^{(d)}(1) = 1:
 * P_{k+1} = ((2k + d - 2) t P_k - k P_{k-1}) / (k + d - 2). Each mu_k has multiplicity
 * N(d, k), and sum_k N(d, k) mu_k = kappa(1), the trace (Mercer, since the N(d, k) harmonics of
 * degree k satisfy sum_j Y_kj(x)^2 = N(d, k)).
 *
 * <p>For an Aleph network the inputs are x = sqrt(d) x_hat, so that x.x'/d = x_hat . x_hat' = t
 * and kappa is a {@link DualActivation}'s k_L or theta_L.
 *
 * <p>Quadrature: t = cos(theta), composite 16-point Gauss-Legendre in theta over [0, pi] in
 * {@value #PANELS} panels (kernels like Relu's arc-cosine are analytic in theta, not in t), the
 * weight sin^{d-2}(theta) normalised by the same rule so that kappa = 1 has mu_0 = 1 exactly.
 * The kernel is evaluated once, at all nodes, in one block.
 */
public final class SphereSpectrum {

    /** Panels of the theta rule. */
    static final int PANELS = 128;

    /** Evaluates a kernel kappa(t) at a block of dot products t in [-1, 1]. */
    @FunctionalInterface
    public interface DotProductKernel {
        /** kappa(t[i]) for every i; the result has the length of t. */
        double[] at(double[] t);
    }

    private static final double[] THETA;
    private static final double[] THETA_WEIGHTS;
    private static final double[] NODES;

    static {
        double[] breaks = new double[PANELS + 1];
        for (int p = 0; p <= PANELS; p++) {
            breaks[p] = Math.PI * p / PANELS;
        }
        double[][] rule = GaussLegendre.SIXTEEN.composite(breaks, Math.PI);
        THETA = rule[0];
        THETA_WEIGHTS = rule[1];
        NODES = new double[THETA.length];
        for (int e = 0; e < THETA.length; e++) {
            NODES[e] = Math.cos(THETA[e]);
        }
    }

    private final int dimension;
    private final double[] eigenvalues;
    private final double[] multiplicities;

    private SphereSpectrum(int dimension, double[] eigenvalues, double[] multiplicities) {
        this.dimension = dimension;
        this.eigenvalues = eigenvalues;
        this.multiplicities = multiplicities;
    }

    /**
     * mu_0 .. mu_maxDegree of kappa on S^{d-1}.
     *
     * @throws UserErrorException when d &lt; 2 or maxDegree &lt; 0
     */
    public static SphereSpectrum of(DotProductKernel kappa, int dimension, int maxDegree) {
        double[] t = nodes();
        double[] values = kappa.at(t);
        if (values.length != t.length) {
            throw new IllegalStateException("the kernel returned " + values.length + " values for " + t.length + " points");
        }
        return fromValues(values, dimension, maxDegree);
    }

    /**
     * The dot products t = cos(theta) at which {@link #fromValues} expects the kernel's values
     * (a fresh copy; the same nodes on every call).
     */
    public static double[] nodes() {
        return NODES.clone();
    }

    /**
     * mu_0 .. mu_maxDegree from kappa evaluated at {@link #nodes()}, for callers that compute
     * several kernels at the nodes in one pass (the NNGP and NTK of one network).
     *
     * @throws UserErrorException when d &lt; 2 or maxDegree &lt; 0
     */
    public static SphereSpectrum fromValues(double[] values, int dimension, int maxDegree) {
        if (dimension < 2) {
            throw new UserErrorException("the input dimension d must be at least 2, got " + dimension);
        }
        if (maxDegree < 0) {
            throw new UserErrorException("the largest degree must be at least 0, got " + maxDegree);
        }
        int n = NODES.length;
        if (values.length != n) {
            throw new IllegalArgumentException(values.length + " kernel values for " + n + " nodes");
        }
        double[] weight = new double[n];
        double total = 0;
        for (int e = 0; e < n; e++) {
            weight[e] = THETA_WEIGHTS[e] * Math.pow(Math.sin(THETA[e]), dimension - 2);
            total += weight[e];
        }
        double[] t = NODES;
        double[] mu = new double[maxDegree + 1];
        for (int e = 0; e < n; e++) {
            double g = values[e] * weight[e] / total;
            double pPrev = 1;
            double p = 1;
            for (int k = 0; k <= maxDegree; k++) {
                mu[k] += g * p;
                double pNext = k == 0 ? t[e] : ((2.0 * k + dimension - 2) * t[e] * p - k * pPrev) / (k + dimension - 2.0);
                pPrev = p;
                p = pNext;
            }
        }
        double[] mult = new double[maxDegree + 1];
        for (int k = 0; k <= maxDegree; k++) {
            mult[k] = multiplicity(dimension, k);
        }
        return new SphereSpectrum(dimension, mu, mult);
    }

    /** N(d, k): the number of linearly independent spherical harmonics of degree k on S^{d-1}. */
    public static double multiplicity(int d, int k) {
        if (k == 0) {
            return 1;
        }
        double binomial = 1;
        for (int i = 1; i <= k; i++) {
            binomial *= (d - 2.0 + i) / i;
        }
        return (2.0 * k + d - 2) / (k + d - 2.0) * binomial;
    }

    /** The dimension d of the ambient space (the sphere is S^{d-1}). */
    public int dimension() {
        return dimension;
    }

    /** mu_k for k = 0..maxDegree (a copy). */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** N(d, k) for k = 0..maxDegree (a copy). */
    public double[] multiplicities() {
        return multiplicities.clone();
    }

    /** sum_k N(d, k) mu_k over the computed degrees: tends to kappa(1) as the degree grows. */
    public double trace() {
        double s = 0;
        for (int k = 0; k < eigenvalues.length; k++) {
            s += multiplicities[k] * eigenvalues[k];
        }
        return s;
    }
}
