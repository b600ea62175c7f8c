package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which commands load the modules kept off the boot layer (kernel-cas), and what a folder without them gives. */
class OnDemandModulesTest {

    @TempDir
    Path empty;

    @Test
    void exprInAnyArgumentOrDeriveWantsThem() {
        assertTrue(Aleph.wantsOnDemandModules("kernel", List.of("--net", "Dense Expr(\"Max(0,x)\") Dense", "--x1", "x.csv")));
        assertTrue(Aleph.wantsOnDemandModules("phase", List.of("--act", "expr(\"sin(x)\")")));
        assertTrue(Aleph.wantsOnDemandModules("bench", List.of("--nets", "relu,EXPR")));
        assertTrue(Aleph.wantsOnDemandModules("derive", List.of("x^2")));
        assertFalse(Aleph.wantsOnDemandModules("activations", List.of())); // listed by OnDemandListing
        assertFalse(Aleph.wantsOnDemandModules("kernel", List.of("--net", "Dense(1.5,0.05) Relu Dense(1,0)", "--x1", "x.npy")));
        assertFalse(Aleph.wantsOnDemandModules("bench", List.of("--n", "4000")));
    }

    @Test
    void aFolderWithoutThemLeavesTheDefaultRegistry() {
        assertNull(PluginPath.onDemandLayer(empty));
        StringWriter notes = new StringWriter();
        var registry = PluginPath.registry(List.of(), empty, new PrintWriter(notes));
        assertTrue(registry.find("Relu").isPresent());
        assertTrue(notes.toString().isEmpty());
    }
}
