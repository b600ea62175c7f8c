package org.aleph.kernel.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.Activation;
import org.aleph.kernel.spi.InvalidArgumentException;
import org.aleph.kernel.spi.Provenance;
import org.junit.jupiter.api.Test;

/** Discovery, names, argument validation, kinks and the batch contract of the built-ins. */
class ProvidersTest {

    static final List<String> CLOSED = List.of("Relu", "LeakyRelu", "ABRelu", "Abs", "Erf", "Gelu", "Sin", "Cos",
            "Exp", "Gaussian", "Gabor", "Sign", "Monomial", "RectifiedMonomial", "Polynomial", "Hermite", "Rbf", "Sigmoid_like",
            "ExpNormalized");
    static final List<String> QUADRATURE = List.of("Tanh", "Sigmoid", "Softplus", "Silu", "Elu", "Selu", "Mish");

    @Test
    void everyBuiltinIsDiscoveredWithItsKind() {
        ActivationRegistry r = ActivationRegistry.defaultRegistry();
        for (String n : CLOSED) {
            assertEquals(Provenance.Kind.CLOSED_FORM, r.find(n).orElseThrow().provider().kind(), n);
        }
        for (String n : QUADRATURE) {
            assertEquals(Provenance.Kind.QUADRATURE, r.find(n).orElseThrow().provider().kind(), n);
        }
    }

    @Test
    void moduleInfoAndServiceFileListTheSameProviders() throws IOException {
        Set<String> fromModule = new TreeSet<>();
        Matcher m = Pattern.compile("org\\.aleph\\.kernel\\.activations\\.[\\w.]+Provider")
                .matcher(Files.readString(Path.of("src/main/java/module-info.java")));
        while (m.find()) {
            fromModule.add(m.group());
        }
        Set<String> fromServices;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/services/org.aleph.kernel.spi.ActivationProvider")) {
            fromServices = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(fromModule, fromServices);
        assertEquals(CLOSED.size() + QUADRATURE.size(), fromServices.size());
    }

    @Test
    void namesAreCanonicalSpecs() {
        assertEquals("Relu", Builtins.create("Relu").name());
        assertEquals("LeakyRelu(alpha=0.1)", Builtins.create("LeakyRelu", 0.1).name());
        assertEquals("LeakyRelu(alpha=0.01)", Builtins.create("LeakyRelu").name());
        assertEquals("Erf(a=1, b=2, c=0)", Builtins.create("Erf", 1, 2).name());
        assertEquals("Monomial(n=3)", Builtins.create("Monomial", 3).name());
        assertEquals("Polynomial(1, -2, 0.5)", Builtins.create("Polynomial", 1, -2, 0.5).name());
        assertEquals("Elu(alpha=1)", Builtins.create("Elu").name());
        assertEquals("Selu", Builtins.create("Selu").name());
        assertEquals("Gelu", Builtins.create("Gelu").name());
        assertEquals("Gelu(approximate=true)", Builtins.create("Gelu", 1).name());
        assertEquals("Cos(a=2, b=1, c=0)", Builtins.create("Cos", 2).name());
        assertEquals("Rbf(gamma=0.5)", Builtins.create("Rbf", 0.5).name());
    }

    @Test
    void invalidArgumentsAreRejectedNamingTheParameter() {
        for (double bad : new double[] {-1, 1.5}) {
            for (String name : List.of("Monomial", "RectifiedMonomial", "Hermite")) {
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Builtins.create(name, bad));
                assertEquals("n", e.parameter());
                assertTrue(e.getMessage().contains("integer"), e.getMessage());
            }
        }
        assertThrows(InvalidArgumentException.class, () -> Builtins.create("Hermite", 501));
        double[] many = new double[129];
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Builtins.create("Polynomial", many));
        assertEquals("c", e.parameter());
        // Degree 0 is fine everywhere.
        assertEquals(1.0, Builtins.at(Builtins.create("Monomial", 0), 2, 1, 3)[0]);
    }

    @Test
    void kinksAreDeclared() {
        for (String name : List.of("Relu", "LeakyRelu", "ABRelu", "Abs", "Sign")) {
            assertArrayEquals(new double[] {0.0}, Builtins.create(name).kinks(), name);
        }
        assertArrayEquals(new double[] {0.0}, Builtins.create("RectifiedMonomial", 2).kinks());
        for (String name : List.of("Erf", "Gelu", "Sin", "Cos", "Exp", "Gaussian", "Gabor")) {
            assertEquals(0, Builtins.create(name).kinks().length, name);
        }
        assertEquals(0, Builtins.create("Monomial", 2).kinks().length);
    }

    static Activation[] allClosedForms() {
        return new Activation[] {
            Builtins.create("Relu"), Builtins.create("LeakyRelu", 0.2), Builtins.create("ABRelu", -0.3, 2),
            Builtins.create("Abs"), Builtins.create("Erf", 1.2, 0.7, 0.1), Builtins.create("Gelu"),
            Builtins.create("Sin", 1.1, 0.9, 0.4), Builtins.create("Cos"), Builtins.create("Exp", 0.8, 0.6),
            Builtins.create("Gaussian", 1.3, -0.8), Builtins.create("Gabor"), Builtins.create("Sign"),
            Builtins.create("Monomial", 4), Builtins.create("RectifiedMonomial", 3),
            Builtins.create("Polynomial", 0.5, -1, 0.25, 0.1), Builtins.create("Hermite", 5)};
    }

    @Test
    void pointwiseDerivativeMatchesFiniteDifferences() {
        for (Activation a : allClosedForms()) {
            for (double x = -3.1; x <= 3.1; x += 0.23) {
                double h = 1e-6;
                double fd = (a.phi(x + h) - a.phi(x - h)) / (2 * h);
                assertEquals(fd, a.dphi(x), 1e-6 * (1 + Math.abs(fd)), a.name() + " at " + x);
            }
        }
    }

    @Test
    void batchesFillExactlyNEntriesAndAcceptANullDerivativeArray() {
        double[] q11 = {1, 2, 0, 0.5, 9};
        double[] q12 = {0.3, -1, 0, 0.5, 0};
        double[] q22 = {1, 3, 2, 0.5, 9};
        for (Activation a : allClosedForms()) {
            double[] k = new double[5];
            double[] d = new double[5];
            Arrays.fill(k, 123);
            Arrays.fill(d, 123);
            a.expectations(q11, q12, q22, 4, k, d);
            assertEquals(123, k[4]);
            assertEquals(123, d[4]);
            double[] k2 = new double[4];
            a.expectations(q11, q12, q22, 4, k2, null);
            for (int i = 0; i < 4; i++) {
                double[] one = Builtins.at(a, q11[i], q12[i], q22[i]);
                assertEquals(one[0], k[i], 0.0, a.name());
                assertEquals(one[1], d[i], 0.0, a.name());
                assertEquals(one[0], k2[i], 0.0, a.name());
            }
        }
    }
}
