package org.aleph.kernel.quadrature;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;

/**
 * An activation known only pointwise (phi, phi' and its kinks) whose Gaussian
 * expectations are computed by {@link GaussianExpectation} quadrature. This is the
 * fallback for nonlinearities without a closed form (Tanh, Softplus, ...) and for
 * symbolic derivations that did not verify.
 */
public class QuadratureActivation implements Activation {

    private final String name;
    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator dphi;
    private final double[] kinks;
    private final GaussianExpectation quadrature;
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
        this.name = Objects.requireNonNull(name, "name");
        this.phi = Objects.requireNonNull(phi, "phi");
        this.dphi = Objects.requireNonNull(dphi, "dphi");
        this.kinks = kinks.clone();
        this.quadrature = GaussianExpectation.forKinks(this.kinks);
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
        quadrature.expectations(phi, q11, q12, q22, n, nngp);
        if (dnngp != null) {
            quadrature.expectations(dphi, q11, q12, q22, n, dnngp);
        }
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }
}
