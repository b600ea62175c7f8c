package org.aleph.kernel.spi;

/**
 * A pointwise nonlinearity together with the two Gaussian expectations that the
 * infinite-width kernel recursion needs.
 *
 * <p>For a centred bivariate Gaussian {@code (u, v) ~ N(0, [[q11, q12], [q12, q22]])}
 * an activation computes
 * <pre>
 *   nngp  = E[phi(u) phi(v)]      (the dual activation, Cho &amp; Saul 2009; Lee et al. 2018)
 *   dnngp = E[phi'(u) phi'(v)]    (the derivative kernel, Jacot et al. 2018)
 * </pre>
 * for whole arrays of covariance triples at once. The kernel recursion calls
 * {@link #expectations} once per tile and layer, never once per matrix entry, so an
 * implementation should keep its inner loop free of virtual calls and allocation.
 *
 * <p>Preconditions the recursion guarantees (and direct callers must respect):
 * {@code q11 >= 0}, {@code q22 >= 0} and {@code |q12| <= sqrt(q11 q22)}; a zero variance is
 * legal (the corresponding variable is the constant 0). {@link Gaussians#correlation}
 * turns a triple into a clamped correlation.
 *
 * <p>{@code phi'} is the almost-everywhere derivative: Relu' is the step function, Sign' is 0.
 *
 * <p>Implementations are immutable and thread-safe: the recursion calls them from
 * several threads at once.
 */
public interface Activation {

    /** The name with its arguments as it would be written in a spec, e.g. {@code LeakyRelu(alpha=0.1)}. Never null. */
    String name();

    /** phi(x). */
    double phi(double x);

    /** The almost-everywhere derivative phi'(x). */
    double dphi(double x);

    /**
     * Computes the two expectations for {@code n} covariance triples.
     *
     * @param q11   variances of u, length at least n, never null
     * @param q12   covariances, length at least n, never null
     * @param q22   variances of v, length at least n, never null
     * @param n     number of triples to evaluate
     * @param nngp  receives E[phi(u) phi(v)], length at least n, never null
     * @param dnngp receives E[phi'(u) phi'(v)], length at least n; may be null when only the
     *              NNGP is wanted
     */
    void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp);

    /**
     * Optionally computes the derivatives of the dual activation F(q11, q12, q22) =
     * E[phi(u) phi(v)] in the two variances at fixed covariance, for {@code n} triples:
     * <pre>
     *   dq11 = dF/dq11 = (1/2) E[phi''(u) phi(v)],   dq22 = dF/dq22 = (1/2) E[phi(u) phi''(v)]
     * </pre>
     * (the heat equation of the Gaussian density, d/dq11 N(0, Sigma) = (1/2) d^2/du^2 N(0, Sigma),
     * integrated by parts twice; phi'' in the sense of distributions, e.g. a Dirac mass at Relu's
     * kink). With Price's theorem, dF/dq12 = E[phi'(u) phi'(v)] ({@link #expectations}' dnngp;
     * Price, "A useful theorem for nonlinear devices having Gaussian inputs", IRE Trans. Inf.
     * Theory 4, 1958), these give the exact derivatives of the kernel recursion in its
     * hyperparameters, which kernel-fit propagates forward to fit W_std and b_std.
     *
     * <p>Optional: the default offers nothing and returns false, and callers then fall back to
     * finite differences of {@link #expectations}. A call with {@code n = 0} asks whether the
     * activation offers the derivatives at all. An implementation that offers them may still
     * return false for an array containing a triple where a derivative is infinite or undefined
     * (e.g. a zero variance for Relu, where dF/dq11 grows like q11^(-1/2)); it never returns
     * true with a NaN in its output. Same preconditions as {@link #expectations}.
     *
     * @param q11  variances of u, length at least n, never null
     * @param q12  covariances, length at least n, never null
     * @param q22  variances of v, length at least n, never null
     * @param n    number of triples
     * @param dq11 receives dF/dq11 at fixed q12 and q22, length at least n, never null
     * @param dq22 receives dF/dq22 at fixed q11 and q12, length at least n, never null
     * @return whether the derivatives were computed (false: not offered, or not finite at some triple;
     *         the output arrays' contents are then unspecified)
     */
    default boolean varianceDerivatives(double[] q11, double[] q12, double[] q22, int n, double[] dq11, double[] dq22) {
        return false;
    }

    /** Where the expectations come from and the relative accuracy they promise. Never null. */
    Provenance provenance();

    /**
     * The points where phi or phi' is not smooth (Relu: 0), so that quadrature can split
     * there. Empty for smooth activations. Never null; the caller may not modify it.
     */
    default double[] kinks() {
        return new double[0];
    }
}
