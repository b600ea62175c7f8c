package org.aleph.kernel.testkit;

import java.util.function.DoubleUnaryOperator;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.support.PointwiseActivation;

/**
 * Activations written inside the testkit's tests, correct ones and deliberately broken
 * ones, so that the contract can be shown to pass on the former and fail on the latter.
 */
final class Samples {

    private Samples() {
    }

    /** Expectations of one triple. */
    interface Formula {
        /** Writes nngp and dnngp of (q11, q12, q22) into out[0], out[1]. */
        void at(double q11, double q12, double q22, double[] out);
    }

    /** An activation from pointwise functions and a per-triple formula. */
    static Activation of(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks, Formula formula) {
        return new PointwiseActivation(name, phi, dphi, kinks, Provenance.closedForm("test")) {
            @Override
            public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
                double[] out = new double[2];
                for (int e = 0; e < n; e++) {
                    formula.at(q11[e], q12[e], q22[e], out);
                    nngp[e] = out[0];
                    if (dnngp != null) {
                        dnngp[e] = out[1];
                    }
                }
            }
        };
    }

    /** Relu: arc-cosine kernel of degree 1 (Cho &amp; Saul 2009). */
    static Activation relu() {
        return of("Relu", x -> Math.max(0, x), x -> x > 0 ? 1 : 0, new double[] {0}, Samples::arcCosine);
    }

    static void arcCosine(double q11, double q12, double q22, double[] out) {
        double s = Math.sqrt(q11 * q22);
        double rho = Gaussians.correlation(q11, q12, q22);
        double t = Math.acos(rho);
        out[0] = s * (Math.sqrt((1 - rho) * (1 + rho)) + (Math.PI - t) * rho) / (2 * Math.PI);
        out[1] = (Math.PI - t) / (2 * Math.PI);
    }

    /** Erf: arcsine kernel (Williams 1997). */
    static Activation erf() {
        return of("Erf", org.hipparchus.special.Erf::erf, x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x), new double[0],
                (q11, q12, q22, out) -> {
                    out[0] = 2 / Math.PI * Math.asin(Math.max(-1, Math.min(1, 2 * q12 / Math.sqrt((1 + 2 * q11) * (1 + 2 * q22)))));
                    out[1] = 4 / Math.PI / Math.sqrt((1 + 2 * q11) * (1 + 2 * q22) - 4 * q12 * q12);
                });
    }

    /** Sign: E = (2/pi) asin(rho), phi' = 0. */
    static Activation sign() {
        return of("Sign", Math::signum, x -> 0, new double[] {0}, (q11, q12, q22, out) -> {
            out[0] = 2 / Math.PI * Math.asin(Gaussians.correlation(q11, q12, q22));
            out[1] = 0;
        });
    }
}
