/**
 * The quadrature fallback: Gaussian expectations E[f(u) f(v)] of any activation known only
 * pointwise, for (u, v) ~ N(0, [[q11, q12], [q12, q22]]).
 *
 * <p>{@link org.aleph.kernel.quadrature.QuadratureActivation} wraps phi, phi' and the kinks
 * into an {@link org.aleph.kernel.spi.Activation};
 * {@link org.aleph.kernel.quadrature.GaussianExpectation} does the work:
 * <ul>
 *   <li>direct rule: Cholesky coordinates u = s1 z1, v = s2 (rho z1 + c z2); outer integral
 *       over z1, inner conditional mean of f(v) given z1; each a composite Gauss-Legendre rule
 *       on [-10, 10] split at the kinks and graded geometrically (ratio 3) towards them and
 *       towards the origin, on the activation's length scale L (1 by default), or a
 *       Gauss-Hermite rule of 6-24 nodes where nothing is within reach. The outer rule also
 *       refines around the kinks of the inner mean, z1 = k / (s2 rho), on scale c / |rho|, which
 *       keeps correlations near +-1 accurate; rho = +-1 and zero variances are exact limits.</li>
 *   <li>Mehler's series sum_k rho^k a_k(s1) a_k(s2) for |rho| &lt;= 0.8 in batches, with
 *       Hermite coefficients computed once per variance and cached per function; for f without
 *       kinks at every correlation, with as many terms as Parseval's identity needs to certify
 *       the truncation (up to 400, and up to 6000 for variances where many entries need them,
 *       such as tanh at q ~ 50: {@link org.aleph.kernel.quadrature.QuadratureActivation}).</li>
 *   <li>For f without kinks at 0.8 &lt; |rho| &lt; 1, where cheaper: a shared factor z0
 *       (u = s1 (sqrt r z0 + sqrt(1 - r) z1), v likewise with z2) and the trapezoidal rule on a
 *       lattice per side, f evaluated once per lattice point and smoothed by a discrete Gaussian
 *       convolution ({@link org.aleph.kernel.quadrature.LatticeRule}).</li>
 *   <li>Nodes from Hipparchus ({@code GaussIntegratorFactory.legendre}/{@code hermite}),
 *       built once per JVM (sizes 6-32 and 6-24).</li>
 * </ul>
 *
 * <p>Promise: relative error &lt;= 1e-9 without kinks, &lt;= 1e-7 with kinks, against
 * max(|E|, 1e-6 sqrt(E[f(u)^2] E[f(v)^2])). Measured by the tests in
 * {@code src/test/java/org/aleph/kernel/quadrature} (maximum over random triples that include
 * rho = +-1, 1 - 1e-12, 0, zero, 1e-10 and 1e4..1e6 variances): closed forms - Relu 5e-10,
 * Step 1e-10, Relu^2 7e-11, LeakyRelu 3e-11, Abs 1e-11, Sign 6e-12 (kinked); Erf 2e-11,
 * Erf(4x) 5e-11, x^2 3e-12, sin 1e-12, cos 1e-13, exp 6e-14 (smooth); against an adaptive
 * reference - Tanh 2e-12, Tanh' 3e-11, Sigmoid' 4e-11, Softplus 2e-13, Silu 4e-13, Mish 1e-12
 * (smooth), Elu 1e-11, Elu' (a jump) 2e-12, Selu 1e-11 (kinked); at 0.8 &lt; |rho| &lt;= 1 with
 * variances 1e-8..1e3 (lattice and nested rule as dispatched) Tanh 3e-12, Softplus 5e-11,
 * Silu 2e-11, Sigmoid' 4e-11, Elu(0.7) 1e-11.
 *
 * <p>Budget ({@link org.aleph.kernel.quadrature.QuadratureBudget}): at most
 * {@value org.aleph.kernel.quadrature.QuadratureBudget#DEFAULT_ENTRY} evaluations of f per entry
 * (system property {@code aleph.quadrature.entryEvaluations}) and
 * {@value org.aleph.kernel.quadrature.QuadratureBudget#DEFAULT_AVERAGE} per entry on average over
 * an activation's entries ({@code aleph.quadrature.averageEvaluations}); beyond them a
 * {@link org.aleph.kernel.quadrature.QuadratureBudgetException} (a user error, one sentence with
 * the triple and what to do) instead of a hang in the adaptive refinement.
 */
package org.aleph.kernel.quadrature;
