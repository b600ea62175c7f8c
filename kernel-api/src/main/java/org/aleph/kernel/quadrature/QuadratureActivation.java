package org.aleph.kernel.quadrature;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;

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
 * lie near 0 or at declared kinks on the length scale given (1 by default). The same promise
 * holds for phi', which may jump at the kinks (a step for Relu). phi and phi' each keep a
 * thread-safe cache of series coefficients by variance, shared by all tiles of a computation.
 */
public class QuadratureActivation implements Activation {

    private final String name;
    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator dphi;
    private final double[] kinks;
    private final GaussianExpectation quadrature;
    private final GaussianExpectation.SeriesCache phiCache;
    private final GaussianExpectation.SeriesCache dphiCache;
    private final Provenance provenance;

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
        this.name = Objects.requireNonNull(name, "name");
        this.phi = Objects.requireNonNull(phi, "phi");
        this.dphi = Objects.requireNonNull(dphi, "dphi");
        this.kinks = Objects.requireNonNull(kinks, "kinks").clone();
        Objects.requireNonNull(note, "note");
        this.quadrature = GaussianExpectation.forKinks(this.kinks, scale);
        this.phiCache = quadrature.seriesCache();
        this.dphiCache = quadrature.seriesCache();
        String detail = quadrature.description() + (note.isEmpty() ? "" : "; " + note);
        this.provenance = new Provenance(Provenance.Kind.QUADRATURE, detail, quadrature.promisedRelativeAccuracy());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double phi(double x) {
        return phi.applyAsDouble(x);
    }

    @Override
    public double dphi(double x) {
        return dphi.applyAsDouble(x);
    }

    @Override
    public double[] kinks() {
        return kinks.clone();
    }

    @Override
    public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
        quadrature.expectations(phi, q11, q12, q22, n, nngp, phiCache);
        if (dnngp != null) {
            quadrature.expectations(dphi, q11, q12, q22, n, dnngp, dphiCache);
        }
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }
}
