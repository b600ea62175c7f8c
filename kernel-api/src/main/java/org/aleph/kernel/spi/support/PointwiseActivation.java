package org.aleph.kernel.spi.support;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;

/**
 * The part of an {@link Activation} that is the same for every activation given pointwise:
 * phi and phi' as functions, the kinks (copied in, copied out), the spec name and the
 * provenance. A subclass writes only
 * {@link #expectations(double[], double[], double[], int, double[], double[])}, reading phi and
 * phi' through {@link #phiFunction()} and {@link #dphiFunction()} when it integrates them.
 *
 * <pre>{@code
 * final class SquaredRelu extends PointwiseActivation {
 *     SquaredRelu() {
 *         super("SquaredRelu", x -> x > 0 ? x * x : 0, x -> x > 0 ? 2 * x : 0, new double[] {0},
 *               Provenance.closedForm("arc-cosine kernel of degree 2, Cho & Saul 2009"));
 *     }
 *     public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
 *         ... ArcCosine.j2(rho) ...
 *     }
 * }
 * }</pre>
 *
 * <p>The methods are not final, so that a subclass of an existing activation class (such as
 * {@code QuadratureActivation}) keeps working; override them only to refine, e.g. a provenance
 * that names the composed functions.
 *
 * <p>Immutable when phi and phi' are pure functions, as they must be: the kernel recursion
 * calls an activation from several threads at once.
 */
public abstract class PointwiseActivation implements Activation {

    private final String name;
    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator dphi;
    private final double[] kinks;
    private final Provenance provenance;

    /**
     * @param name       the activation as written in a spec, e.g. {@code Swish(beta=2)}; never null
     * @param phi        phi(x); never null
     * @param dphi       the almost-everywhere derivative phi'(x); never null
     * @param kinks      the points where phi or phi' is not smooth (copied); empty if none, never null
     * @param provenance where the expectations come from and the accuracy they promise; never null
     */
    protected PointwiseActivation(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks,
            Provenance provenance) {
        this.name = Objects.requireNonNull(name, "name");
        this.phi = Objects.requireNonNull(phi, "phi");
        this.dphi = Objects.requireNonNull(dphi, "dphi");
        this.kinks = Objects.requireNonNull(kinks, "kinks").clone();
        this.provenance = Objects.requireNonNull(provenance, "provenance");
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
    public Provenance provenance() {
        return provenance;
    }

    /** phi as the function given to the constructor (for quadrature and probes); never null. */
    protected final DoubleUnaryOperator phiFunction() {
        return phi;
    }

    /** phi' as the function given to the constructor; never null. */
    protected final DoubleUnaryOperator dphiFunction() {
        return dphi;
    }

    /** The name, as a spec writes it. */
    @Override
    public String toString() {
        return name;
    }
}
