package org.aleph.kernel.activations;

import java.util.List;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * {@code Relu}: phi(x) = max(0, x). With rho = q12 / sqrt(q11 q22) and theta = arccos(rho),
 * the arc-cosine kernel of degree 1 (Cho &amp; Saul 2009, eq. 6):
 * <pre>
 *   E[phi(u)phi(v)]   = sqrt(q11 q22) (sin theta + (pi - theta) cos theta) / (2 pi)
 *   E[phi'(u)phi'(v)] = (pi - theta) / (2 pi)
 * </pre>
 */
public final class ReluProvider implements ActivationProvider {

    @Override
    public String name() {
        return "Relu";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Activation create(Arguments arguments) {
        return Relu.INSTANCE;
    }

    @Override
    public Provenance.Kind kind() {
        return Provenance.Kind.CLOSED_FORM;
    }

    @Override
    public String description() {
        return "max(0, x)";
    }

    static final class Relu implements Activation {
        static final Relu INSTANCE = new Relu();

        private static final Provenance PROVENANCE = Provenance.closedForm("arc-cosine kernel, Cho & Saul 2009");
        private static final double INV_2PI = 1.0 / (2 * Math.PI);

        @Override
        public String name() {
            return "Relu";
        }

        @Override
        public double phi(double x) {
            return x > 0 ? x : 0.0;
        }

        @Override
        public double dphi(double x) {
            return x > 0 ? 1.0 : 0.0;
        }

        @Override
        public double[] kinks() {
            return new double[] {0.0};
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            for (int e = 0; e < n; e++) {
                double s = Math.sqrt(q11[e] * q22[e]);
                double rho = s > 0 ? q12[e] / s : 0.0;
                rho = rho > 1 ? 1 : (rho < -1 ? -1 : rho);
                double theta = Math.acos(rho);
                double pt = Math.PI - theta;
                nngp[e] = s * (Math.sqrt(Math.max(0, 1 - rho * rho)) + pt * rho) * INV_2PI;
                if (dnngp != null) {
                    dnngp[e] = pt * INV_2PI;
                }
            }
        }

        @Override
        public Provenance provenance() {
            return PROVENANCE;
        }
    }
}
