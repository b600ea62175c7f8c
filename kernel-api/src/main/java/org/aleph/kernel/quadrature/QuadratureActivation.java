package org.aleph.kernel.quadrature;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.support.PointwiseActivation;

/**
 * An activation known only pointwise (phi, phi' and its kinks) whose Gaussian
 * expectations E[phi(u) phi(v)] and E[phi'(u) phi'(v)] are computed by
 * {@link GaussianExpectation}: nested Gauss-Legendre/Hermite quadrature in Cholesky
 * coordinates, split and graded at the kinks, with Mehler's series for |rho| &lt;= 0.8. This is
 * the fallback for nonlinearities without a closed form (Tanh, Softplus, ...) and for
 * symbolic derivations that did not verify.
 *
 * <p>Promise (stated in {@link #provenance()}): relative error at most 1e-9 when phi has no
 * kinks and 1e-7 when it has, measured against max(|E|, 1e-6 sqrt(E[phi(u)^2] E[phi(v)^2]))
 * (absolute where the value is ~0), for phi of at most polynomial growth whose smooth features
 * lie near 0 or at declared kinks on the length scale given (1 by default). Functions whose
 * expectation does not exist or is out of the rule's reach (undefined for some x, poles,
 * growth beyond the Gaussian decay) are refused per variance by {@link IntegrabilityProbe}
 * with a sentence, never answered with a number; integrands the rule cannot resolve within its
 * {@link QuadratureBudget} of evaluations (per entry, and on average per entry over the
 * activation's lifetime) end in a {@link UserErrorException} naming the activation, the
 * covariance triple and what to do, never in a hang or a silently inaccurate number. The same promise
 * holds for phi', which may jump at the kinks (a step for Relu). phi and phi' each keep a
 * thread-safe cache of series coefficients by variance, shared by all tiles of a computation.
 *
 * <p>For phi without kinks on the default length scale, every entry first tries
 * {@link ParsevalSeries}: Mehler's series with as many Hermite terms as each variance needs
 * (up to {@value ParsevalSeries#MAX_TERMS}, or {@value ParsevalSeries#LONG_TERMS} for an entry the
 * short ones miss, as at large variances) and a truncation bound from Parseval's identity,
 * valid at every correlation including +-1. Entries whose bound is within a tenth of the
 * promise take that value (a few hundred to a few thousand multiply-adds, against thousands of
 * evaluations of phi for the direct rule at high correlations); the others, e.g. at variances
 * whose expansion would need still more terms, go through {@link GaussianExpectation} as before.
 */
public class QuadratureActivation extends PointwiseActivation {

    private final GaussianExpectation quadrature;
    private final GaussianExpectation.SeriesCache phiCache;
    private final GaussianExpectation.SeriesCache dphiCache;
    /** Hermite expansions of phi and phi' by variance; null when phi has kinks or a finer scale. */
    private final HermiteExpansions phiExpansions;
    private final HermiteExpansions dphiExpansions;
    private final double seriesTolerance;
    private final IntegrabilityProbe phiProbe;
    private final IntegrabilityProbe dphiProbe;
    private final double scale;
    private final QuadratureBudget budget;

    /**
     * @param name  the activation as written in a spec, e.g. {@code Elu(alpha=1)}
     * @param phi   phi(x)
     * @param dphi  the almost-everywhere derivative phi'(x)
     * @param kinks points where phi or phi' is not smooth (copied), empty if none
     */
    public QuadratureActivation(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks) {
        this(name, phi, dphi, kinks, "");
    }

    /**
     * @param note a reason shown in the provenance, e.g. why a symbolic derivation fell back
     */
    public QuadratureActivation(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks, String note) {
        this(name, phi, dphi, kinks, note, GaussianExpectation.DEFAULT_SCALE);
    }

    /**
     * @param scale the length scale (in units of x) on which phi changes near 0 and near its
     *              kinks: 1 for the usual activations, e.g. 0.1 for tanh(10 x); positive
     */
    public QuadratureActivation(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks, String note,
            double scale) {
        this(name, phi, dphi, kinks, note, scale, QuadratureBudget.fromSystemProperties());
    }

    /**
     * @param budget the evaluations of phi (and of phi') this activation may spend per entry and
     *               on average per entry over its lifetime ({@link QuadratureBudget}); the other
     *               constructors take it from the system properties
     */
    public QuadratureActivation(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks, String note,
            double scale, QuadratureBudget budget) {
        this(name, phi, dphi, kinks, note, scale, budget,
                GaussianExpectation.forKinks(Objects.requireNonNull(kinks, "kinks").clone(), scale));
    }

    private QuadratureActivation(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks, String note,
            double scale, QuadratureBudget budget, GaussianExpectation quadrature) {
        super(name, phi, dphi, kinks, provenance(quadrature, usesSeries(kinks, scale), Objects.requireNonNull(note, "note")));
        this.quadrature = quadrature;
        this.phiCache = quadrature.seriesCache();
        this.dphiCache = quadrature.seriesCache();
        boolean series = usesSeries(kinks, scale);
        this.phiExpansions = series ? new HermiteExpansions() : null;
        this.dphiExpansions = series ? new HermiteExpansions() : null;
        this.seriesTolerance = 0.1 * quadrature.promisedRelativeAccuracy();
        this.phiProbe = new IntegrabilityProbe(name, phi, "phi");
        this.dphiProbe = new IntegrabilityProbe(name, dphi, "phi'");
        this.scale = scale;
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** Hermite series serve phi without kinks on the default length scale or coarser. */
    private static boolean usesSeries(double[] kinks, double scale) {
        return kinks.length == 0 && scale >= GaussianExpectation.DEFAULT_SCALE;
    }

    private static Provenance provenance(GaussianExpectation quadrature, boolean series, String note) {
        String detail = (series ? "Hermite series to degree <= " + ParsevalSeries.MAX_TERMS + " (" + ParsevalSeries.LONG_TERMS
                + " for variances that need it)"
                + " where Parseval's identity certifies its truncation, otherwise " : "")
                + quadrature.description() + (note.isEmpty() ? "" : "; " + note);
        return new Provenance(Provenance.Kind.QUADRATURE, detail, quadrature.promisedRelativeAccuracy());
    }

    /**
     * {@inheritDoc}
     *
     * @throws UserErrorException when phi or phi' is not integrable at a variance ({@link IntegrabilityProbe})
     *                            or the quadrature exhausts its {@link QuadratureBudget}: one sentence naming
     *                            the activation, the triple and what to do
     */
    @Override
    public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
        phiProbe.requireIntegrable(q11, q22, n);
        if (dnngp != null) {
            dphiProbe.requireIntegrable(q11, q22, n);
        }
        one(phiFunction(), "phi", phiExpansions, phiCache, q11, q12, q22, n, nngp);
        if (dnngp != null) {
            one(dphiFunction(), "phi'", dphiExpansions, dphiCache, q11, q12, q22, n, dnngp);
        }
    }

    /** The expectations of one function f (phi or phi'), with budget errors explained. */
    private void one(DoubleUnaryOperator f, String role, HermiteExpansions expansions, GaussianExpectation.SeriesCache cache,
            double[] q11, double[] q12, double[] q22, int n, double[] out) {
        try {
            if (expansions == null) {
                quadrature.expectations(f, q11, q12, q22, n, out, cache, budget);
                return;
            }
            int[] rest = new int[n];
            int m = expansions.serve(f, q11, q12, q22, n, out, seriesTolerance, rest);
            budget.admit(n - m);
            directRule(f, cache, q11, q12, q22, out, rest, m);
        } catch (QuadratureBudgetException e) {
            throw new UserErrorException(explain(e, role), e);
        }
    }

    /** One sentence: which activation, which expectation, where, and what to do. */
    private String explain(QuadratureBudgetException e, String role) {
        String where = String.format(java.util.Locale.ROOT, "(q11=%.6g, q12=%.6g, q22=%.6g)", e.q11(), e.q12(), e.q22());
        String what = e.wholeKernel()
                ? "the quadrature of E[" + role + "(u)" + role + "(v)] averaged more than " + budget.average()
                        + " evaluations of " + role + " per entry (" + e.evaluations() + " on " + budget.entries()
                        + " entries, the last at " + where + ", system property " + QuadratureBudget.AVERAGE_PROPERTY + ")"
                : "the quadrature of E[" + role + "(u)" + role + "(v)] at " + where + " was not resolved within "
                        + e.evaluations() + " evaluations of " + role + " (system property " + QuadratureBudget.ENTRY_PROPERTY + ")";
        return name() + ": " + what + ", so " + role + " has structure finer than the rule's length scale " + scale
                + " (a fast oscillation such as sin(a x) at large a x, or a non-smooth point that is not a declared kink); "
                + "use a closed form where one exists (Sin, Cos, Rbf), declare the kinks and a length scale of about 1/a "
                + "(QuadratureActivation's scale argument), scale the inputs or W_std down, or raise the budget";
    }

    /** The m entries rest[0..m) the series did not certify, gathered for the quadrature and scattered back. */
    private void directRule(DoubleUnaryOperator f, GaussianExpectation.SeriesCache cache, double[] q11, double[] q12,
            double[] q22, double[] result, int[] rest, int m) {
        if (m == 0) {
            return;
        }
        double[] a = new double[m];
        double[] b = new double[m];
        double[] c = new double[m];
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            a[i] = q11[rest[i]];
            b[i] = q12[rest[i]];
            c[i] = q22[rest[i]];
        }
        quadrature.expectations(f, a, b, c, m, out, cache, budget);
        for (int i = 0; i < m; i++) {
            result[rest[i]] = out[i];
        }
    }
}
