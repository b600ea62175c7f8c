package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.aleph.kernel.ActivationRegistry;
import org.junit.jupiter.api.Test;

/** {@code aleph activations} lists exactly the registry's entries, as text and as JSON. */
class ActivationsCommandTest {

    @Test
    void oneLinePerActivationWithProvenanceAndModule() {
        Cli.Result r = Cli.run("activations");
        assertEquals(0, r.status(), r::toString);
        List<ActivationRegistry.Entry> entries = ActivationRegistry.defaultRegistry().entries();
        List<String> lines = r.out().lines().toList();
        assertEquals(entries.size() + 1, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("NAME"));
        for (int i = 0; i < entries.size(); i++) {
            ActivationRegistry.Entry e = entries.get(i);
            String line = lines.get(i + 1);
            assertTrue(line.startsWith(e.name() + " "), line);
            assertTrue(line.contains(e.provider().kind().label()), line);
            assertTrue(line.contains(e.module()), line);
        }
        assertTrue(r.out().contains("Relu") && r.out().contains("Identity"), r::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonListsParametersWithDefaults() {
        Cli.Result r = Cli.run("activations", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> o = MiniJson.object(r.out());
        List<Map<String, Object>> acts = (List<Map<String, Object>>) o.get("activations");
        assertEquals(ActivationRegistry.defaultRegistry().entries().size(), acts.size());
        for (Map<String, Object> a : acts) {
            assertTrue(a.get("parameters") instanceof List, a::toString);
            assertTrue(List.of("closed form", "symbolic", "quadrature").contains(a.get("provenance")), a::toString);
        }
        assertTrue(acts.stream().anyMatch(a -> a.get("name").equals("Relu")));
    }
}
