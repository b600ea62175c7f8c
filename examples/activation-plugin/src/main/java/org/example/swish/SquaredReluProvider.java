package org.example.swish;

import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Gaussians;
import org.aleph.kernel.spi.Provenance;
import org.aleph.kernel.spi.support.ArcCosine;
import org.aleph.kernel.spi.support.PointwiseActivation;

/**
 * {@code SquaredRelu}: phi(x) = max(0, x)^2 (So et al., "Primer", NeurIPS 2021), phi'(x) =
 * 2 max(0, x), in closed form: with s = sqrt(q11 q22), rho the clamped correlation and the
 * arc-cosine kernels J_n of Cho &amp; Saul (NIPS 2009),
 * <pre>
 *   E[phi(u)phi(v)]   = s^2 J_2 / (2 pi),   J_2 = 3 sin theta cos theta + (pi - theta)(1 + 2 cos^2 theta),
 *   E[phi'(u)phi'(v)] = 4 s J_1 / (2 pi),   J_1 = sin theta + (pi - theta) cos theta,   theta = arccos(rho).
 * </pre>
 * The smallest provider the SPI allows: a name and {@code create}; no parameters, and the kind
 * listed ({@code closed form}) is read from the created activation's provenance. The activation
 * extends kernel-api's {@link PointwiseActivation} (phi, phi', kinks, name and provenance) and
 * takes J_n from {@link ArcCosine}, which is exact at rho = -1 where the formulas above cancel.
 */
public final class SquaredReluProvider implements ActivationProvider {

    @Override
    public String name() {
        return "SquaredRelu";
    }

    @Override
    public Activation create(Arguments arguments) {
        return new SquaredRelu();
    }

    @Override
    public String description() {
        return "max(0, x)^2";
    }

    /** max(0, x)^2 with its arc-cosine kernels. */
    static final class SquaredRelu extends PointwiseActivation {

        SquaredRelu() {
            super("SquaredRelu", x -> x > 0 ? x * x : 0, x -> x > 0 ? 2 * x : 0, new double[] {0},
                    Provenance.closedForm("arc-cosine kernel of degree 2, Cho & Saul 2009"));
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e] * q22[e]);
                ArcCosine.rectified(2, s, Gaussians.correlation(q11[e], q12[e], q22[e]), nngp, dnngp, e);
            }
        }
    }
}
