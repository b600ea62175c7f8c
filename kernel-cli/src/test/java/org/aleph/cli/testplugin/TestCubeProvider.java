package org.aleph.cli.testplugin;

import java.util.List;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Arguments;
import org.aleph.kernel.spi.Parameter;
import org.aleph.kernel.spi.Provenance;

/**
 * A plug-in activation for {@code PluginPathTest}: phi(x) = a x^3 with its closed form
 * E[u^3 v^3] = 9 q11 q22 q12 + 6 q12^3 (Isserlis' theorem) and
 * E[3u^2 3v^2] = 9 (q11 q22 + 2 q12^2). The class is copied into a jar at test time; it is
 * not listed in META-INF/services on the class path, so it exists only through the plug-in path.
 */
public final class TestCubeProvider implements ActivationProvider {

    @Override
    public String name() {
        return "TestCube";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.number("a", 1, "scale"));
    }

    @Override
    public Provenance.Kind kind() {
        return Provenance.Kind.CLOSED_FORM;
    }

    @Override
    public String description() {
        return "a x^3";
    }

    @Override
    public Activation create(Arguments args) {
        double a = args.number("a");
        String name = args.toSpec(name());
        return new Activation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double phi(double x) {
                return a * x * x * x;
            }

            @Override
            public double dphi(double x) {
                return 3 * a * x * x;
            }

            @Override
            public void expectations(double[] q11, double[] q12, double[] q22, int n, double[] nngp, double[] dnngp) {
                for (int i = 0; i < n; i++) {
                    double c = q12[i];
                    nngp[i] = a * a * (9 * q11[i] * q22[i] * c + 6 * c * c * c);
                    if (dnngp != null) {
                        dnngp[i] = 9 * a * a * (q11[i] * q22[i] + 2 * c * c);
                    }
                }
            }

            @Override
            public Provenance provenance() {
                return Provenance.closedForm("Isserlis' theorem");
            }
        };
    }
}
