package org.aleph.kernel.finite;

import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.Layer;
import org.aleph.kernel.quadrature.QuadratureActivation;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.hipparchus.special.Erf;

/**
 * Activations for the tests, independent of what kernel-activations ships at the moment:
 * Relu from the registry, erf with Williams' closed form, and tanh served by the quadrature
 * fallback of kernel-api.
 */
final class TestActivations {

    private TestActivations() {
    }

    static Layer relu() {
        return new Layer.Nonlinearity(ActivationRegistry.defaultRegistry().create("Relu"));
    }

    static Layer erf() {
        return new Layer.Nonlinearity(ErfActivation.INSTANCE);
    }

    static Layer tanh() {
        return new Layer.Nonlinearity(new QuadratureActivation("Tanh", Math::tanh, x -> {
            double t = Math.tanh(x);
            return 1 - t * t;
        }, new double[0]));
    }

    static Layer identity() {
        return new Layer.Nonlinearity(ActivationRegistry.defaultRegistry().create("Identity"));
    }

    /**
     * phi = erf(x). Williams 1997 ("Computing with infinite networks"):
     * E[erf(u)erf(v)] = (2/pi) asin(2 q12 / sqrt((1 + 2 q11)(1 + 2 q22))) and, with
     * erf'(x) = (2/sqrt(pi)) exp(-x^2), E[erf'(u)erf'(v)] = (4/pi) / sqrt((1 + 2 q11)(1 + 2 q22) - 4 q12^2).
     */
    static final class ErfActivation implements Activation {
        static final ErfActivation INSTANCE = new ErfActivation();

        @Override
        public String name() {
            return "Erf";
        }

        @Override
        public double phi(double x) {
            return Erf.erf(x);
        }

        @Override
        public double dphi(double x) {
            return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double a = (1 + 2 * q11[e]) * (1 + 2 * q22[e]);
                nngp[e] = 2 / Math.PI * Math.asin(2 * q12[e] / Math.sqrt(a));
                if (dnngp != null) {
                    dnngp[e] = 4 / Math.PI / Math.sqrt(a - 4 * q12[e] * q12[e]);
                }
            }
        }

        @Override
        public Provenance provenance() {
            return Provenance.closedForm("Williams 1997");
        }
    }
}
