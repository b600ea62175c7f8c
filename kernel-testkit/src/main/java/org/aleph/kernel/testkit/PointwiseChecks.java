package org.aleph.kernel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.Layer;
import org.aleph.kernel.Network;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Assumptions;

/**
 * The checks of {@link ActivationContract} on phi and phi' pointwise (finite differences,
 * kinks) and on the activation's metadata (provenance, name).
 */
final class PointwiseChecks {

    /** Points always probed for undeclared kinks (where hand-written activations put them). */
    private static final double[] USUAL_SUSPECTS = {0, 1, -1, 0.5, -0.5, 2, -2};

    private PointwiseChecks() {
    }

    /** Uniform points in [-range, range], at least 4 kink-detector steps from every declared kink. */
    private static void forPoints(ActivationContract c, Activation a, Coverage coverage, java.util.function.DoubleConsumer check) {
        double range = c.pointRange();
        double[] kinks = a.kinks();
        Falsification.check(c, c.examples(), CovarianceGenerators.unit(), t -> {
            double x = (2 * t - 1) * range;
            if (!farFrom(kinks, x)) {
                coverage.count("skipped next to a kink");
                return;
            }
            coverage.countCase();
            coverage.count(x < 0 ? "x < 0" : "x > 0");
            coverage.count(Math.abs(x) > range / 2 ? "|x| > range/2" : "|x| <= range/2");
            check.accept(x);
        });
        coverage.assertCovered(Math.max(1, c.examples() / 10), "x < 0", "x > 0", "|x| > range/2", "|x| <= range/2");
    }

    /**
     * phi' against Richardson central differences with the kink detector's step, shrunk for an
     * oscillating phi by its length scale L = min(1, {@link Smoothness#lengthScale}): the
     * truncation error (h / L)^4 stays that of an ordinary activation, and the rounding error,
     * about 1e-16 |phi| / h, grows by 1 / L, so its allowance does too. Snake(a = 20)
     * (x + sin^2(20 x) / 20) gets L = 1/40 and passes with a correct phi'; at the unscaled step
     * its differences are off by 1e-2.
     */
    static void derivative(ActivationContract c) {
        Activation a = c.activation();
        double length = Math.min(1, Smoothness.lengthScale(a::phi, c.pointRange()));
        forPoints(c, a, new Coverage("phi' by finite differences"), x -> {
            double h = Smoothness.step(x) * length;
            double fd = Smoothness.derivative(a::phi, x, h);
            double d = a.dphi(x);
            double size = Math.abs(a.phi(x - h)) + Math.abs(a.phi(x + h));
            double allowed = c.derivativeTolerance() * (Math.abs(d) + size / (Math.max(1, Math.abs(x)) * length)) + 1e-14;
            assertTrue(Math.abs(fd - d) <= allowed, () -> a.name() + ": phi'(" + x + ") = " + d
                    + " but central differences of phi give " + fd + " (difference " + Math.abs(fd - d) + ", allowed "
                    + allowed + ", step " + h + " for phi's length scale " + length + ")");
        });
    }

    static void declaredKinks(ActivationContract c) {
        Activation a = c.activation();
        double[] kinks = a.kinks();
        assertNotNull(kinks, a.name() + ": kinks() returned null");
        for (double k : kinks) {
            assertTrue(Double.isFinite(k), () -> a.name() + ": declared kink " + k + " is not finite");
            assertNotNull(Smoothness.kinkAt(a, k), () -> a.name() + ": declares a kink at " + k
                    + " but phi and phi' look smooth there (no jump in phi, phi', phi'' or phi''')");
        }
    }

    static void undeclaredKinks(ActivationContract c) {
        Activation a = c.activation();
        double[] kinks = a.kinks();
        for (double x : USUAL_SUSPECTS) {
            if (!ExpectationChecks.contains(kinks, x) && farFrom(kinks, x)) {
                String found = Smoothness.kinkAt(a, x);
                assertTrue(found == null, () -> a.name() + ": undeclared kink: " + found
                        + "; list it in kinks() so that quadrature splits there");
            }
        }
        String scanned = Smoothness.scanForKinks(a, c.pointRange(), kinks);
        assertTrue(scanned == null, () -> a.name() + ": undeclared kink found by scanning [-" + c.pointRange() + ", "
                + c.pointRange() + "]: " + scanned + "; list it in kinks()");
        forPoints(c, a, new Coverage("no undeclared kinks"), x -> {
            String found = Smoothness.kinkAt(a, x);
            assertTrue(found == null, () -> a.name() + ": undeclared kink: " + found + "; list it in kinks()");
        });
    }

    private static boolean farFrom(double[] kinks, double x) {
        for (double k : kinks) {
            if (Math.abs(x - k) <= 4.01 * Smoothness.step(x)) {
                return false;
            }
        }
        return true;
    }

    static void provenance(ActivationContract c) {
        Activation a = c.activation();
        assertNotNull(a.name(), "name() returned null");
        assertTrue(!a.name().isBlank(), "name() is blank");
        Provenance p = a.provenance();
        assertNotNull(p, () -> a.name() + ": provenance() returned null");
        assertNotNull(p.kind(), () -> a.name() + ": provenance kind is null");
        assertNotNull(p.detail(), () -> a.name() + ": provenance detail is null");
        assertTrue(p.relativeAccuracy() > 0 && p.relativeAccuracy() < 1e-2, () -> a.name()
                + ": the promised relative accuracy must be in (0, 0.01), got " + p.relativeAccuracy());
        assertTrue(c.tolerance() > 0, "tolerance() must be positive");
    }

    static void nameParsesBack(ActivationContract c) {
        Activation a = c.activation();
        String name = a.name();
        int paren = name.indexOf('(');
        String base = (paren < 0 ? name : name.substring(0, paren)).trim();
        ActivationRegistry registry = c.registry();
        Optional<ActivationRegistry.Entry> entry = registry.find(base);
        Assumptions.assumeTrue(entry.isPresent(), () -> "no provider named '" + base + "' in the registry, so "
                + name + " cannot be parsed back; register it in META-INF/services and module-info.java");
        Network net;
        try {
            // between Dense layers, as an activation needs a Gaussian input
            net = Network.parse("Dense " + name + " Dense", registry);
        } catch (RuntimeException e) {
            fail(name + ": name() does not parse back as a spec: " + e.getMessage(), e);
            return;
        }
        assertEquals(3, net.layers().size(), () -> name + " parses to " + (net.layers().size() - 2) + " layers");
        Layer layer = net.layers().get(1);
        assertTrue(layer instanceof Layer.Nonlinearity, () -> name + " parses to " + layer);
        Activation back = ((Layer.Nonlinearity) layer).activation();
        assertEquals(name, back.name(), () -> name + " parses back to an activation named " + back.name());
        double[][] probes = {{1, 0.3, 2}, {0.5, -0.5, 0.5}, {2, 0, 0.25}};
        for (double[] q : probes) {
            double[] want = ExpectationChecks.single(a, q[0], q[1], q[2]);
            double[] got = ExpectationChecks.single(back, q[0], q[1], q[2]);
            assertArrayEquals(want, got, () -> name + " parsed back computes other expectations at " + java.util.Arrays.toString(q));
        }
        for (double x : new double[] {-1.5, -0.3, 0.7, 2.5}) {
            assertEquals(a.phi(x), back.phi(x), () -> name + " parsed back has another phi at " + x);
        }
    }

    private static void assertArrayEquals(double[] want, double[] got, java.util.function.Supplier<String> message) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, message);
    }
}
