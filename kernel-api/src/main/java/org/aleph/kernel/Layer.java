package org.aleph.kernel;

import java.util.List;
import java.util.Objects;
import org.aleph.kernel.spi.Activation;

/**
 * One layer of a fully connected network, as the kernel recursion sees it. Layers are
 * immutable values; a {@link Network} is a serial composition of them.
 */
public sealed interface Layer {

    /** The layer as written in a spec. */
    String spec();

    /**
     * Dense layer in the NTK parameterisation (Jacot et al. 2018; neural-tangents
     * {@code stax.Dense}): {@code z = W_std * W y / sqrt(fan_in) + b_std * b} with W, b
     * standard normal. Kernel map: {@code K <- W_std^2 K + b_std^2},
     * {@code T <- K_new + W_std^2 T}.
     *
     * @param wStd weight standard deviation, finite and non-negative
     * @param bStd bias standard deviation, finite and non-negative
     */
    record Dense(double wStd, double bStd) implements Layer {
        public Dense {
            if (!Double.isFinite(wStd) || wStd < 0) {
                throw new IllegalArgumentException("W_std must be finite and non-negative, got " + wStd);
            }
            if (!Double.isFinite(bStd) || bStd < 0) {
                throw new IllegalArgumentException("b_std must be finite and non-negative, got " + bStd);
            }
        }

        @Override
        public String spec() {
            return "Dense(" + fmt(wStd) + ", " + fmt(bStd) + ")";
        }
    }

    /**
     * A pointwise nonlinearity: {@code K <- E[phi(u)phi(v)]}, {@code T <- T E[phi'(u)phi'(v)]}.
     *
     * @param activation the nonlinearity, never null
     */
    record Nonlinearity(Activation activation) implements Layer {
        public Nonlinearity {
            Objects.requireNonNull(activation, "activation");
        }

        @Override
        public String spec() {
            return activation.name();
        }
    }

    /**
     * {@code x + f(x)} with the branch treated as uncorrelated with the skip path (as
     * neural-tangents' FanInSum does): {@code K <- K + K_f}, {@code T <- T + T_f}. This is
     * exact when the branch ends in a Dense layer with fresh weights, so a branch that does
     * not end in Dense is rejected.
     *
     * @param branch the layers of f, non-empty, ending in {@link Dense}
     */
    record Residual(List<Layer> branch) implements Layer {
        public Residual {
            branch = List.copyOf(branch);
            if (branch.isEmpty()) {
                throw new IllegalArgumentException("a Residual branch needs at least one layer");
            }
            if (!(branch.get(branch.size() - 1) instanceof Dense)) {
                throw new IllegalArgumentException("a Residual branch must end in a Dense layer, "
                        + "otherwise branch and skip path are correlated and K + K_f is wrong");
            }
        }

        @Override
        public String spec() {
            StringBuilder b = new StringBuilder("Residual(");
            for (int i = 0; i < branch.size(); i++) {
                b.append(i == 0 ? "" : " ").append(branch.get(i).spec());
            }
            return b.append(')').toString();
        }
    }

    /**
     * Layer normalisation over the features of a fully connected layer:
     * {@code K(x,x') <- K(x,x') / sqrt(K(x,x) K(x',x'))}, T scaled the same way. An input
     * of zero variance is left unchanged (its normalisation is undefined).
     */
    record LayerNorm() implements Layer {
        @Override
        public String spec() {
            return "LayerNorm";
        }
    }

    private static String fmt(double x) {
        return org.aleph.kernel.spi.Arguments.formatNumber(x);
    }
}
