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

    /** max(0, x)^2 in closed form, as a plug-in author writes it with the support layer. */
    static final class SquaredRelu extends PointwiseActivation {
        SquaredRelu() {
            super("SquaredRelu", x -> x > 0 ? x * x : 0, x -> x > 0 ? 2 * x : 0, new double[] {0},
                    Provenance.closedForm("Cho & Saul 2009"));
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                ArcCosine.rectified(2, Math.sqrt(q11[e] * q22[e]), Gaussians.correlation(q11[e], q12[e], q22[e]), nngp, dnngp, e);
            }
        }
    }

    /** The smallest provider: a name and create. */
    static final class MinimalProvider implements ActivationProvider {
        @Override
        public String name() {
            return "SquaredRelu";
        }

        @Override
        public Activation create(Arguments arguments) {
            return new SquaredRelu();
        }
    }

    @Test
    void theBaseDelegatesAndCopiesKinks() {
        Activation a = new SquaredRelu();
        assertEquals("SquaredRelu", a.name());
        assertEquals("SquaredRelu", a.toString());
        assertEquals(6.25, a.phi(2.5));
        assertEquals(0.0, a.phi(-1));
        assertEquals(5.0, a.dphi(2.5));
        a.kinks()[0] = 7;
        assertArrayEquals(new double[] {0}, a.kinks());
        assertEquals(Provenance.Kind.CLOSED_FORM, a.provenance().kind());
        // E[relu(u)^4] = 3/2 at unit variance
        double[] nngp = new double[1];
        a.expectations(new double[] {1}, new double[] {1}, new double[] {1}, 1, nngp, null);
        assertEquals(1.5, nngp[0], 1e-15);
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
        Activation a = ActivationRegistry.of(List.of(p)).create("SquaredRelu", List.of(), Map.of());
        assertEquals("SquaredRelu", a.name());
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
                return new SquaredRelu();
            }
        };
        assertSame(Provenance.Kind.QUADRATURE, p.kind());
    }
}
