package org.aleph.kernel.cas.internal;

import java.time.Duration;
import java.util.List;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * {@code Expr("...")}: an activation given as a Symja expression in x, e.g.
 * {@code Expr("Sin(x) + x^2/2")}, whose kernel is derived symbolically (see
 * {@link Deriver}) or, when no closed form is found, computed by quadrature. The time limit
 * of a derivation is 10 s, or the system property {@code aleph.cas.timeout} in seconds.
 */
public final class ExprProvider implements ActivationProvider {

    @Override
    public String name() {
        return "Expr";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.string("expr", "phi as an expression in x, e.g. \"Sin(x) + x^2/2\""));
    }

    @Override
    public Activation create(Arguments arguments) {
        return Deriver.activation(arguments.string("expr"), arguments.toSpec(name()), timeout());
    }

    @Override
    public Provenance.Kind kind() {
        return Provenance.Kind.SYMBOLIC;
    }

    @Override
    public String description() {
        return "phi written as an expression in x; kernel derived by Symja (quadrature when no closed form)";
    }

    /** The time limit: the system property {@code aleph.cas.timeout} (seconds) or 10 s. */
    public static Duration timeout() {
        String s = System.getProperty("aleph.cas.timeout");
        if (s != null) {
            try {
                double v = Double.parseDouble(s);
                if (v > 0) {
                    return Duration.ofMillis((long) (v * 1000));
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return Deriver.DEFAULT_TIMEOUT;
    }
}
