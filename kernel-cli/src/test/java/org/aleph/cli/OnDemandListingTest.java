package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.spi.ActivationProvider;
import org.aleph.kernel.spi.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OnDemandListing}: {@code aleph activations} lists Expr without loading kernel-cas, so its
 * description must be kernel-cas's own provider in every field the listing prints.
 */
class OnDemandListingTest {

    @TempDir
    Path lib;

    @Test
    void theDescriptionIsKernelCasProviderFieldByField() {
        // on the test class path kernel-cas (a runtime dependency) is found by the ServiceLoader
        ActivationProvider real = ActivationRegistry.defaultRegistry().entries().stream()
                .filter(e -> e.name().equals("Expr")).findFirst().orElseThrow().provider();
        ActivationProvider listed = new OnDemandListing.Expr();
        assertEquals("org.aleph.kernel.cas.internal.ExprProvider", real.getClass().getName());
        assertEquals(real.name(), listed.name());
        assertEquals(real.kind(), listed.kind());
        assertEquals(real.description(), listed.description());
        assertEquals(real.parameters().size(), listed.parameters().size());
        for (int i = 0; i < real.parameters().size(); i++) {
            Parameter a = real.parameters().get(i);
            Parameter b = listed.parameters().get(i);
            assertEquals(a.toString(), b.toString());
            assertEquals(a.name(), b.name());
            assertEquals(a.type(), b.type());
            assertEquals(a.variadic(), b.variadic());
            assertEquals(a.required(), b.required());
            assertEquals(a.defaultValue(), b.defaultValue());
            assertEquals(a.description(), b.description());
        }
    }

    @Test
    void listedWithTheVersionOfTheJarInTheFolderOnlyWhenItIsThere() throws IOException {
        assertEquals(List.of(), OnDemandListing.entries(lib));
        assertEquals(List.of(), OnDemandListing.entries(null));
        Files.createFile(lib.resolve("kernel-api-0.1.0-SNAPSHOT.jar"));
        assertEquals(List.of(), OnDemandListing.entries(lib));
        Files.createFile(lib.resolve("kernel-cas-2.3.4.jar"));
        List<ActivationRegistry.Entry> entries = OnDemandListing.entries(lib);
        assertEquals(1, entries.size());
        assertEquals("Expr", entries.get(0).name());
        assertEquals("org.aleph.kernel.cas", entries.get(0).module());
        assertEquals("2.3.4", entries.get(0).version());
        assertTrue(entries.get(0).provider() instanceof OnDemandListing.Expr);
    }
}
