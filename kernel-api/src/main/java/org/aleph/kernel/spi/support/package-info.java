/**
 * Optional help for writing activations, kept apart from the contract in
 * {@link org.aleph.kernel.spi} (as JUnit keeps {@code engine.support} apart from
 * {@code TestEngine}): read the contract first, and reach for these classes only when wanted.
 *
 * <ul>
 *   <li>{@link org.aleph.kernel.spi.support.PointwiseActivation}: the base of an activation
 *       given by phi and phi' (as lambdas), its kinks, name and provenance; a subclass writes
 *       only {@code expectations}. The quadrature fallback, kernel-cas's symbolic activations,
 *       the testkit's samples and the example plug-in extend it.</li>
 *   <li>{@link org.aleph.kernel.spi.support.ArcCosine}: the arc-cosine kernels J_n of
 *       Cho &amp; Saul (2009), the expectations of rectified monomials max(0, x)^n, evaluated
 *       without cancellation near rho = -1.</li>
 * </ul>
 */
package org.aleph.kernel.spi.support;
