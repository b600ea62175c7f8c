package org.aleph.kernel.builtin;

import java.util.List;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * {@code Identity}: phi(x) = x, so E[phi(u)phi(v)] = q12 and E[phi'(u)phi'(v)] = 1
 * (neural-tangents {@code stax.Identity}). Part of kernel-api so that a network without
 * nonlinearities needs no other module.
 */
public final class IdentityProvider implements ActivationProvider {

    @Override
    public String name() {
        return "Identity";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Activation create(Arguments arguments) {
        return IdentityActivation.INSTANCE;
    }

    @Override
    public Provenance.Kind kind() {
        return Provenance.Kind.CLOSED_FORM;
    }

    @Override
    public String description() {
        return "x";
    }

    private static final class IdentityActivation implements Activation {
        static final IdentityActivation INSTANCE = new IdentityActivation();

        private static final Provenance PROVENANCE = new Provenance(Provenance.Kind.CLOSED_FORM, "E[uv] = q12", 1e-16);

        @Override
        public String name() {
            return "Identity";
        }

        @Override
        public double phi(double x) {
            return x;
        }

        @Override
        public double dphi(double x) {
            return 1.0;
        }

        @Override
        public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
            System.arraycopy(q12, 0, nngp, 0, n);
            if (dnngp != null) {
                java.util.Arrays.fill(dnngp, 0, n, 1.0);
            }
        }

        @Override
        public Provenance provenance() {
            return PROVENANCE;
        }
    }
}
