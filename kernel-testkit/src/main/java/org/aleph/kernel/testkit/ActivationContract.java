package org.aleph.kernel.testkit;

import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
import org.junit.jupiter.api.Test;

/**
 * The correctness suite for an {@link Activation}: implement this interface in a JUnit 5
 * test class, return your activation, and every {@code default @Test} below runs on it.
 *
 * <pre>{@code
 * class SwishContractTest implements ActivationContract {
 *     public Activation activation() {
 *         return ActivationRegistry.defaultRegistry().create("Swish", List.of(2.0), Map.of());
 *     }
 * }
 * }</pre>
 *
 * <p>Set-up for a plug-in project: a test-scoped dependency on {@code org.aleph:kernel-testkit}
 * (which brings JUnit's API and QuickTheories) plus {@code org.junit.jupiter:junit-jupiter} for
 * the engine; list the provider in {@code META-INF/services/org.aleph.kernel.spi.ActivationProvider}
 * as well as in {@code module-info.java}, because Surefire runs tests on the class path where
 * {@link ActivationRegistry#defaultRegistry()} finds providers through that file. A failure
 * names the property, the smallest falsifying covariance triple (QuickTheories shrinks it),
 * both numbers and the tolerance, and then the first falsifying value before shrinking, a
 * typical case. {@code examples/activation-plugin} in the Aleph repository is a complete example.
 *
 * <p>The checks are QuickTheories properties with a fixed seed over covariance triples that
 * reach the hard regimes (correlation exactly +-1 and within 1e-9 of +-1, zero, tiny and large
 * variances; see {@link CovarianceGenerators}); each property asserts that its generator really
 * covered every regime ({@link Coverage}). They check:
 * <ul>
 *   <li>both expectations against an independent adaptive quadrature ({@link
 *       ReferenceExpectation}), to {@link #tolerance()} of the Cauchy-Schwarz scale
 *       {@code sqrt(E[f(u)^2] E[f(v)^2])};</li>
 *   <li>both against Monte Carlo sampling, within {@link #monteCarloSigmas()} standard errors;</li>
 *   <li>symmetry under swapping q11 and q22; the Cauchy-Schwarz inequality
 *       {@code |E[f(u)f(v)]| <= sqrt(E[f(u)^2] E[f(v)^2])} for f = phi and phi';</li>
 *   <li>positive semi-definite kernel matrices over random point sets with duplicated,
 *       antipodal, rescaled and zero points;</li>
 *   <li>E[phi(u)phi(v)] &gt;= 0 exactly where phi &gt;= 0 at every sampled point (Relu,
 *       Gaussian, Sigmoid, ...; a cancelling formula's -1e-16 at rho = -1 fails it);</li>
 *   <li>phi' against central differences of phi, with a step scaled to the frequency of phi
 *       (so Snake(a = 20) is neither falsely failed nor slowly checked); every declared kink
 *       real, none undeclared ({@link Smoothness});</li>
 *   <li>block calls equal single calls, {@code dnngp = null} allowed, nothing written beyond n;
 *       concurrent calls from four threads equal a single-threaded one;</li>
 *   <li>a provenance with a positive accuracy, and a name that parses back through
 *       {@link org.aleph.kernel.Network#parse(String, ActivationRegistry)}.</li>
 * </ul>
 *
 * <p>The quadrature reference is deliberately not kernel-api's {@code GaussianExpectation}:
 * that is what every {@code QuadratureActivation} computes with, so comparing the two would
 * prove nothing for them, and a closed form should be judged by something more accurate than
 * the fallback it replaces. {@link ReferenceExpectation} shares no code with it (adaptive
 * Gauss-Legendre on segments cut at the kinks, graded towards them near |rho| = 1).
 *
 * <p>Override a setting only with a reason a reader can check, e.g. {@link #largestVariance()}
 * for {@code exp(b x)}, whose expectations grow like {@code exp(b^2 q)}.
 *
 * <p>At a zero variance the variable is the constant 0; when 0 is a declared kink the
 * expectation is ambiguous, and the contract accepts either phi evaluated at 0 or the limit of
 * vanishing variance (which sees the mean of phi(0-) and phi(0+)).
 */
public interface ActivationContract {

    /** The activation under test. Called once per check. */
    Activation activation();

    /** The largest variance q generated (default 100); lower it where E[phi^2] grows too fast. */
    default double largestVariance() {
        return 100;
    }

    /** The smallest positive variance generated (default 1e-12). */
    default double smallestVariance() {
        return 1e-12;
    }

    /**
     * Allowed error relative to the Cauchy-Schwarz scale: by default four times the accuracy
     * the activation's provenance promises, and no less than 1e-12 (the reference's own error).
     */
    default double tolerance() {
        return Math.max(4 * activation().provenance().relativeAccuracy(), 1e-12);
    }

    /** Cases per property (default 40). */
    default int examples() {
        return 40;
    }

    /** Random kernel matrices in the positive semi-definiteness check (default 30). */
    default int matrices() {
        return 30;
    }

    /** The seed of every property (fixed, so that a run is repeatable). */
    default long seed() {
        return 0x5eedA1E9L;
    }

    /** Covariance triples checked against Monte Carlo (default 24). */
    default int monteCarloCases() {
        return 24;
    }

    /** Monte Carlo samples per triple (default 20 000). */
    default int monteCarloSamples() {
        return 20_000;
    }

    /** Allowed Monte Carlo deviation in standard errors (default 5). */
    default double monteCarloSigmas() {
        return 5;
    }

    /** Pointwise checks draw x uniformly from [-pointRange, pointRange] (default 10). */
    default double pointRange() {
        return 10;
    }

    /** Allowed relative error of phi' against Richardson central differences (default 1e-7). */
    default double derivativeTolerance() {
        return 1e-7;
    }

    /**
     * True for an activation that normalises its input by the input's own scale, so that no
     * pointwise phi has its kernel at every variance (neural-tangents' ExpNormalized): its
     * phi and phi' are the action on a unit-variance input, and its expectations must be
     * E[phi phi] = sqrt(q11 q22) E_1 and E[phi' phi'] = E_1' with E_1, E_1' those of phi, phi' at
     * (1, rho, 1). The checks against the independent quadrature and Monte Carlo then check
     * these two identities at every triple and phi, phi' at (1, rho, 1). Default false.
     */
    default boolean normalizesScale() {
        return false;
    }

    /** The registry that {@link #nameParsesBack()} parses with (default: the default registry). */
    default ActivationRegistry registry() {
        return ActivationRegistry.defaultRegistry();
    }

    /** E[phi(u)phi(v)] and E[phi'(u)phi'(v)] agree with {@link ReferenceExpectation} to {@link #tolerance()}. */
    @Test
    default void expectationsAgreeWithIndependentQuadrature() {
        ExpectationChecks.quadrature(this);
    }

    /** Both expectations agree with {@link MonteCarloExpectation} within {@link #monteCarloSigmas()} standard errors. */
    @Test
    default void expectationsAgreeWithMonteCarlo() {
        ExpectationChecks.monteCarlo(this);
    }

    /** Swapping q11 and q22 leaves both expectations unchanged (to {@link #tolerance()}). */
    @Test
    default void expectationsAreSymmetric() {
        ExpectationChecks.symmetry(this);
    }

    /** Second moments are non-negative and |E[f(u)f(v)]| &lt;= sqrt(E[f(u)^2]E[f(v)^2]) for f = phi, phi'. */
    @Test
    default void expectationsSatisfyCauchySchwarz() {
        ExpectationChecks.cauchySchwarz(this);
    }

    /**
     * Kernel matrices of 5-8 points have smallest eigenvalue &gt;= -max(1e-10, n tolerance) trace
     * (less the shift a 4-ulp rounding of correlations near +-1 can cause).
     */
    @Test
    default void kernelMatricesArePositiveSemiDefinite() {
        BlockChecks.positiveSemiDefinite(this);
    }

    /** A block call equals single calls; dnngp may be null; nothing beyond n is read into or written. */
    @Test
    default void blockEvaluationMatchesSingleCalls() {
        BlockChecks.blocks(this);
    }

    /** Four threads calling expectations at once get the single-threaded values (activations must be thread-safe). */
    @Test
    default void concurrentCallsAgree() throws InterruptedException {
        BlockChecks.concurrency(this);
    }

    /**
     * phi' equals Richardson-extrapolated central differences of phi away from kinks, with a step
     * and a rounding allowance scaled by the length on which phi oscillates (estimated from the
     * zero crossings of phi and phi'' over [-pointRange, pointRange]; {@link Smoothness#lengthScale}).
     */
    @Test
    default void derivativeMatchesFiniteDifferences() {
        PointwiseChecks.derivative(this);
    }

    /**
     * Where phi &gt;= 0 at every sampled point, E[phi(u)phi(v)] &gt;= 0 exactly at every triple
     * (and E[phi'(u)phi'(v)] where phi' &gt;= 0 too); skipped when phi takes a negative value.
     */
    @Test
    default void nngpIsNonNegativeWherePhiIs() {
        SignChecks.nonNegative(this);
    }

    /** At every declared kink phi, phi', phi'' or phi''' really jumps. */
    @Test
    default void declaredKinksAreReal() {
        PointwiseChecks.declaredKinks(this);
    }

    /**
     * phi and phi' are smooth at 0, +-0.5, +-1, +-2, at random points, and wherever a scan of
     * [-pointRange, pointRange] finds a spike in third differences, unless a kink is declared there.
     */
    @Test
    default void noUndeclaredKinks() {
        PointwiseChecks.undeclaredKinks(this);
    }

    /** The provenance is complete and promises an accuracy in (0, 0.01); the name is not blank. */
    @Test
    default void provenanceIsDeclared() {
        PointwiseChecks.provenance(this);
    }

    /** {@code Network.parse(activation.name())} gives an activation of the same name and values (skipped when the provider is not registered). */
    @Test
    default void nameParsesBack() {
        PointwiseChecks.nameParsesBack(this);
    }
}
