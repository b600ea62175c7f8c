package org.aleph.kernel;

import java.util.List;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * Activations written independently inside the kernel-api tests, so that the recursion
 * can be tested without the built-in module: Relu (arc-cosine kernel, Cho &amp; Saul 2009)
 * and Erf (arcsine kernel, Williams 1997).
 */
final class TestActivations {

    private TestActivations() {
    }

    static final Activation RELU = new Activation() {
        @Override
        public String name() {
            return "Relu";
        }

        @Override
        public double phi(double x) {
            return Math.max(0, x);
        }

        @Override
        public double dphi(double x) {
            return x > 0 ? 1 : 0;
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e] * q22[e]);
                double c = s > 0 ? Math.max(-1, Math.min(1, q12[e] / s)) : 0;
                double t = Math.acos(c);
                nngp[e] = s * j1(c) / (2 * Math.PI);
                if (dnngp != null) {
                    dnngp[e] = (Math.PI - t) / (2 * Math.PI);
                }
            }
        }

        @Override
        public Provenance provenance() {
            return Provenance.closedForm("test");
        }
    };

    /**
     * sqrt(1 - c^2) + (pi - acos c) c, the arc-cosine function of degree 1, without the
     * cancellation near c = -1: there with phi = acos(-c) it is sin(phi) - phi cos(phi) =
     * sum_k (-1)^(k+1) 2k phi^(2k+1) / (2k+1)!.
     */
    static double j1(double c) {
        if (c > -0.9) {
            return Math.sqrt(Math.max(0, 1 - c * c)) + (Math.PI - Math.acos(c)) * c;
        }
        double phi = Math.acos(-c);
        double p2 = phi * phi;
        double term = phi; // phi^(2k+1) / (2k+1)!, starting at k = 0
        double sum = 0;
        for (int k = 1; k <= 12; k++) {
            term *= p2 / ((2 * k) * (2 * k + 1));
            sum += (k % 2 == 1 ? 2 * k : -2 * k) * term;
        }
        return sum;
    }

    static final Activation ERF = new Activation() {
        @Override
        public String name() {
            return "Erf";
        }

        @Override
        public double phi(double x) {
            return org.hipparchus.special.Erf.erf(x);
        }

        @Override
        public double dphi(double x) {
            return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double a = 1 + 2 * q11[e];
                double b = 1 + 2 * q22[e];
                nngp[e] = 2 / Math.PI * Math.asin(2 * q12[e] / Math.sqrt(a * b));
                if (dnngp != null) {
                    dnngp[e] = 4 / Math.PI / Math.sqrt(a * b - 4 * q12[e] * q12[e]);
                }
            }
        }

        @Override
        public Provenance provenance() {
            return Provenance.closedForm("test");
        }
    };

    /** A provider exposing a fixed activation under a name, for registry tests. */
    static ActivationProvider provider(String name, Activation act) {
        return new ActivationProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Parameter> parameters() {
                return List.of();
            }

            @Override
            public Activation create(Arguments arguments) {
                return act;
            }

            @Override
            public Provenance.Kind kind() {
                return Provenance.Kind.CLOSED_FORM;
            }
        };
    }

    /** A provider with parameters (alpha=0.01, n required) for binding tests. */
    static ActivationProvider parameterised() {
        return new ActivationProvider() {
            @Override
            public String name() {
                return "Param";
            }

            @Override
            public List<Parameter> parameters() {
                return List.of(Parameter.number("alpha", 0.01, "slope"), Parameter.requiredNumber("n", "exponent"));
            }

            @Override
            public Activation create(Arguments arguments) {
                int n = arguments.integer("n", 0, 10);
                double alpha = arguments.number("alpha");
                return new Activation() {
                    @Override
                    public String name() {
                        return arguments.toSpec("Param");
                    }

                    @Override
                    public double phi(double x) {
                        return alpha * Math.pow(x, n);
                    }

                    @Override
                    public double dphi(double x) {
                        return 0;
                    }

                    @Override
                    public void expectations(double[] q11, double[] q12, double[] q22, int k, double[] nngp, double[] dnngp) {
                        throw new IllegalStateException("not used");
                    }

                    @Override
                    public Provenance provenance() {
                        return Provenance.closedForm("test");
                    }
                };
            }

            @Override
            public Provenance.Kind kind() {
                return Provenance.Kind.CLOSED_FORM;
            }
        };
    }

    /** A registry holding Identity, TRelu, TErf and Param. */
    static ActivationRegistry registry() {
        return ActivationRegistry.of(List.of(new org.aleph.kernel.builtin.IdentityProvider(),
                provider("Relu", RELU), provider("Erf", ERF), parameterised()));
    }
}
