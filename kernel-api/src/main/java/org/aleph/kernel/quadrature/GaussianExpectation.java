package org.aleph.kernel.quadrature;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Gaussians;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * E[f(u) f(v)] for (u, v) ~ N(0, [[q11, q12], [q12, q22]]) by Gauss-Hermite quadrature
 * after the Cholesky change of variables u = s1 z1, v = s2 (rho z1 + sqrt(1 - rho^2) z2).
 *
 * <p>First version: a tensor rule of {@value #NODES} x {@value #NODES} nodes, no splitting at
 * kinks. (To be refined: split at kinks, accuracy promise tested.)
 */
public final class GaussianExpectation {

    static final int NODES = 64;

    private static final double[] Z;
    private static final double[] W;

    static {
        GaussIntegrator rule = new GaussIntegratorFactory().hermite(NODES);
        Z = new double[NODES];
        W = new double[NODES];
        double sqrt2 = Math.sqrt(2.0);
        double invSqrtPi = 1.0 / Math.sqrt(Math.PI);
        for (int i = 0; i < NODES; i++) {
            Z[i] = rule.getPoint(i) * sqrt2;
            W[i] = rule.getWeight(i) * invSqrtPi;
        }
    }

    private final double[] kinks;

    private GaussianExpectation(double[] kinks) {
        this.kinks = kinks.clone();
    }

    /** A quadrature suited to a function with the given kinks. */
    public static GaussianExpectation forKinks(double[] kinks) {
        return new GaussianExpectation(kinks);
    }

    /** A one-line description for provenance. */
    public String description() {
        return "Gauss-Hermite " + NODES + "x" + NODES;
    }

    /** The relative accuracy this rule promises. */
    public double promisedRelativeAccuracy() {
        return kinks.length == 0 ? 1e-9 : 1e-7;
    }

    /** out[i] = E[f(u) f(v)] for each triple. */
    public void expectations(DoubleUnaryOperator f, double[] q11, double[] q12, double[] q22, int n, double[] out) {
        for (int e = 0; e < n; e++) {
            out[e] = expectation(f, q11[e], q12[e], q22[e]);
        }
    }

    /** E[f(u) f(v)] for one triple. */
    public double expectation(DoubleUnaryOperator f, double q11, double q12, double q22) {
        double s1 = Math.sqrt(q11);
        double s2 = Math.sqrt(q22);
        double rho = Gaussians.correlation(q11, q12, q22);
        double c = Math.sqrt(Math.max(0, 1 - rho * rho));
        double sum = 0;
        for (int i = 0; i < NODES; i++) {
            double fu = f.applyAsDouble(s1 * Z[i]);
            double inner = 0;
            for (int j = 0; j < NODES; j++) {
                inner += W[j] * f.applyAsDouble(s2 * (rho * Z[i] + c * Z[j]));
            }
            sum += W[i] * fu * inner;
        }
        return sum;
    }
}
