package org.aleph.kernel.activations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;

/** Creates built-in activations through the default registry, as a spec would. */
final class Builtins {

    private Builtins() {
    }

    static Activation create(String name, double... positional) {
        List<Object> args = new ArrayList<>();
        for (double x : positional) {
            args.add(x);
        }
        return ActivationRegistry.defaultRegistry().create(name, args, Map.of());
    }

    /** nngp and dnngp of one triple: {E[phi phi], E[phi' phi']}. */
    static double[] at(Activation a, double q11, double q12, double q22) {
        double[] k = new double[1];
        double[] d = new double[1];
        a.expectations(new double[] {q11}, new double[] {q12}, new double[] {q22}, 1, k, d);
        return new double[] {k[0], d[0]};
    }
}
