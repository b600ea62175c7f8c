package org.aleph.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.aleph.kernel.builtin.IdentityProvider;
import org.junit.jupiter.api.Test;

class ActivationRegistryTest {

    @Test
    void rejectsTwoProvidersOfOneName() {
        UserErrorException e = assertThrows(UserErrorException.class, () -> ActivationRegistry.of(List.of(
                new IdentityProvider(),
                TestActivations.provider("Identity", TestActivations.ERF))));
        assertTrue(e.getMessage().contains("two activation providers are named 'Identity'"), e.getMessage());
        assertTrue(e.getMessage().split(" in module ").length == 3, "both modules are named: " + e.getMessage());
    }

    @Test
    void suggestsNearestNames() {
        ActivationRegistry r = TestActivations.registry();
        assertEquals(List.of("Relu"), r.nearest("Rel", 3));
        assertEquals(List.of("Relu"), r.nearest("relu", 3));
        assertEquals("Erf", r.nearest("Eerf", 3).get(0));
        assertTrue(r.nearest("Softmax", 3).isEmpty());
        UserErrorException e = assertThrows(UserErrorException.class, () -> r.create("Reluu"));
        assertTrue(e.getMessage().contains("did you mean Relu?"), e.getMessage());
    }

    @Test
    void anUnknownNameWithoutAnyActivationModuleSaysWhatToAdd() {
        UserErrorException bare = assertThrows(UserErrorException.class,
                () -> ActivationRegistry.of(List.of(new IdentityProvider())).create("Softmax"));
        assertTrue(bare.getMessage().contains("need kernel-activations") && !bare.getMessage().contains("aleph activations"),
                bare.getMessage());
        UserErrorException some = assertThrows(UserErrorException.class, () -> TestActivations.registry().create("Softmax"));
        assertTrue(!some.getMessage().contains("need kernel-activations") && some.getMessage().contains("entries()"), some.getMessage());
    }

    @Test
    void listsProvidersWithModule() {
        ActivationRegistry r = TestActivations.registry();
        assertEquals(List.of("Erf", "Identity", "Param", "Relu"), r.entries().stream().map(ActivationRegistry.Entry::name).toList());
        assertTrue(r.find("Identity").isPresent());
    }

    @Test
    void defaultRegistryFindsIdentityThroughServiceLoader() {
        ActivationRegistry r = ActivationRegistry.defaultRegistry();
        assertTrue(r.find("Identity").isPresent());
        assertEquals(IdentityProvider.class, r.find("Identity").get().provider().getClass());
    }

    @Test
    void bindsPositionalNamedAndDefaults() {
        ActivationRegistry r = TestActivations.registry();
        assertEquals("Param(alpha=0.5, n=2)", r.create("Param", List.of(0.5, 2.0), Map.of()).name());
        assertEquals("Param(alpha=0.01, n=7)", r.create("Param", List.of(), Map.of("n", 7.0)).name());
    }

    @Test
    void anyNumberIsAcceptedAsAnArgument() {
        ActivationRegistry r = TestActivations.registry();
        assertEquals("Param(alpha=0.5, n=2)", r.create("Param", List.of(0.5f, 2), Map.of()).name());
        assertEquals("Param(alpha=0.25, n=3)", r.create("Param", List.of(), Map.of("n", 3L, "alpha", new java.math.BigDecimal("0.25")))
                .name());
    }

    @Test
    void anApplicationsAdviceEndsTheMessageForAnUnknownName() {
        ActivationRegistry r = TestActivations.registry().withUnknownNameAdvice("plug-in jars are added with --plugin-path");
        UserErrorException far = assertThrows(UserErrorException.class, () -> r.create("Snake"));
        assertTrue(far.getMessage().endsWith("; plug-in jars are added with --plugin-path"), far.getMessage());
        UserErrorException near = assertThrows(UserErrorException.class, () -> r.create("Reluu"));
        assertTrue(!near.getMessage().contains("plug-in"), "a near name is the likelier mistake: " + near.getMessage());
        UserErrorException plain = assertThrows(UserErrorException.class, () -> TestActivations.registry().create("Snake"));
        assertTrue(!plain.getMessage().contains("--plugin-path"), "the library names no option itself: " + plain.getMessage());
    }
}
