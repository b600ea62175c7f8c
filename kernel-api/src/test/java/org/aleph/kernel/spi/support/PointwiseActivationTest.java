package org.aleph.kernel.spi.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Test;

/** The pointwise base and the defaults of a minimal provider. */
class PointwiseActivationTest {

    /** Relu in closed form from the scalar helpers: s J_1 / (2 pi) and J_0 / (2 pi). */
    static final class Relu extends PointwiseActivation {
        Relu() {
            super("Relu", x -> Math.max(0, x), x -> x > 0 ? 1 : 0, new double[] {0}, Provenance.closedForm("Cho & Saul 2009"));
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double rho = Gaussians.correlation(q11[e], q12[e], q22[e]);
                nngp[e] = Math.sqrt(q11[e] * q22[e]) * ArcCosine.j1(rho) / (2 * Math.PI);
                if (dnngp != null) {
                    dnngp[e] = ArcCosine.j0(rho) / (2 * Math.PI);
                }
            }
        }
    }

    /** The smallest provider: a name and create. */
    static final class MinimalProvider implements ActivationProvider {
        @Override
        public String name() {
            return "Relu";
        }

        @Override
        public Activation create(Arguments arguments) {
            return new Relu();
        }
    }

    @Test
    void theBaseDelegatesAndCopiesKinks() {
        Activation a = new Relu();
        assertEquals("Relu", a.name());
        assertEquals("Relu", a.toString());
        assertEquals(2.5, a.phi(2.5));
        assertEquals(0.0, a.phi(-1));
        assertEquals(1.0, a.dphi(2.5));
        a.kinks()[0] = 7;
        assertArrayEquals(new double[] {0}, a.kinks());
        assertEquals(Provenance.Kind.CLOSED_FORM, a.provenance().kind());
        // E[relu(u)^2] = q / 2, E[step(u)^2] = 1/2 at rho = 1; both 0 at rho = -1
        double[] nngp = new double[2];
        double[] dnngp = new double[2];
        a.expectations(new double[] {3, 3}, new double[] {3, -3}, new double[] {3, 3}, 2, nngp, dnngp);
        assertEquals(1.5, nngp[0], 1e-15);
        assertEquals(0.5, dnngp[0], 1e-16);
        assertEquals(0.0, nngp[1]);
        assertEquals(0.0, dnngp[1]);
    }

    @Test
    void nullsAreRefusedUpFront() {
        assertThrows(NullPointerException.class, () -> new PointwiseActivation("x", null, x -> 1, new double[0],
                Provenance.closedForm("")) {
            @Override
            public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            }
        });
    }

    @Test
    void aMinimalProviderHasNoParametersAndTheKindOfWhatItCreates() {
        ActivationProvider p = new MinimalProvider();
        assertEquals(List.of(), p.parameters());
        assertEquals(Provenance.Kind.CLOSED_FORM, p.kind());
        assertEquals("", p.description());
        Activation a = ActivationRegistry.of(List.of(p)).create("Relu", List.of(), Map.of());
        assertEquals("Relu", a.name());
    }

    @Test
    void aProviderWhoseParameterHasNoDefaultReportsQuadrature() {
        ActivationProvider p = new ActivationProvider() {
            @Override
            public String name() {
                return "Needs";
            }

            @Override
            public List<Parameter> parameters() {
                return List.of(Parameter.requiredNumber("a", "no default"));
            }

            @Override
            public Activation create(Arguments arguments) {
                return new Relu();
            }
        };
        assertSame(Provenance.Kind.QUADRATURE, p.kind());
    }
}
