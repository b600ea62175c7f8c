package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start-up plan of the {@code aleph} script ({@link BootModules}) on the real
 * {@code target/lib}: kernel-cas and Symja stay off the boot module path, the bundled BLAS and
 * its natives are on it, and a JVM started with that path runs {@code kernel}, and lists and
 * uses {@code Expr} when the script's on-demand folder is given.
 */
class StartupIT {

    static final Path LIB = Path.of("target", "lib");

    private static List<String> plan() {
        assumeTrue(Files.isDirectory(LIB), "target/lib is built by the package phase");
        return BootModules.plan(LIB, BootModules.javacppPlatform());
    }

    private static List<String> jarNames(String modulePath) {
        List<String> names = new ArrayList<>();
        for (String p : modulePath.split(java.io.File.pathSeparator)) {
            names.add(Path.of(p).getFileName().toString());
        }
        return names;
    }

    @Test
    void symjaIsLeftOffTheBootModulePath() throws IOException {
        List<String> plan = plan();
        assertEquals(2, plan.size());
        List<String> boot = jarNames(plan.get(0));
        assertTrue(boot.stream().anyMatch(n -> n.startsWith("kernel-cli-")), boot::toString);
        assertTrue(boot.stream().anyMatch(n -> n.startsWith("kernel-activations-")), boot::toString);
        assertTrue(boot.stream().anyMatch(n -> n.startsWith("kernel-blas-")), boot::toString);
        assertFalse(boot.stream().anyMatch(n -> n.startsWith("kernel-cas-") || n.startsWith("matheclipse")), boot::toString);
        long all;
        try (var s = Files.list(LIB)) {
            all = s.filter(p -> p.toString().endsWith(".jar")).count();
        }
        assertTrue(boot.size() < all, () -> boot.size() + " of " + all);
        if (BootModules.javacppPlatform().equals("linux.x86_64")) {
            assertTrue(Arrays.asList(plan.get(1).split(",")).contains("org.bytedeco.openblas.linux.x86_64"), plan.get(1));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBootPathRunsKernelsAndLoadsExprOnDemand() throws IOException {
        List<String> plan = plan();
        List<String> base = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", plan.get(0)));
        if (!plan.get(1).isEmpty()) {
            base.addAll(List.of("--add-modules", plan.get(1)));
        }
        List<String> onDemand = new ArrayList<>(base);
        onDemand.add("-D" + Aleph.ON_DEMAND_PROPERTY + "=" + LIB);
        String main = "org.aleph.cli/org.aleph.cli.Aleph";

        ModulePathIT.Run kernel = ModulePathIT.run(new ProcessBuilder(concat(base, "-m", main, "kernel", "--net",
                "Dense(1.5,0.05) Relu Dense(1,0)", "--x1", ModulePathIT.EXAMPLE.toString(), "--json")));
        assertEquals(0, kernel.status(), kernel::toString);
        assertEquals("", kernel.err());

        ModulePathIT.Run without = ModulePathIT.run(new ProcessBuilder(concat(base, "-m", main, "activations")));
        assertEquals(0, without.status(), without::toString);
        assertFalse(without.out().lines().anyMatch(l -> l.startsWith("Expr ")), without::toString);

        ModulePathIT.Run with = ModulePathIT.run(new ProcessBuilder(concat(onDemand, "-m", main, "activations")));
        assertEquals(0, with.status(), with::toString);
        assertTrue(with.out().lines().anyMatch(l -> l.startsWith("Expr ") && l.contains("org.aleph.kernel.cas")), with::toString);

        ModulePathIT.Run expr = ModulePathIT.run(new ProcessBuilder(concat(onDemand, "-m", main, "kernel", "--net",
                "Dense(1.5,0.05) Expr(\"Max(0,x)\") Dense(1,0)", "--x1", ModulePathIT.EXAMPLE.toString(), "--json")));
        assertEquals(0, expr.status(), expr::toString);
        // Max(0, x) is Relu: the same kernels as the built-in closed form
        ModulePathIT.Run relu = ModulePathIT.run(new ProcessBuilder(concat(base, "-m", main, "kernel", "--net",
                "Dense(1.5,0.05) Relu Dense(1,0)", "--x1", ModulePathIT.EXAMPLE.toString(), "--json", "--print")));
        ModulePathIT.Run exprPrinted = ModulePathIT.run(new ProcessBuilder(concat(onDemand, "-m", main, "kernel", "--net",
                "Dense(1.5,0.05) Expr(\"Max(0,x)\") Dense(1,0)", "--x1", ModulePathIT.EXAMPLE.toString(), "--json", "--print")));
        List<Object> a = (List<Object>) MiniJson.object(relu.out()).get("nngp");
        List<Object> b = (List<Object>) MiniJson.object(exprPrinted.out()).get("nngp");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            List<?> ra = (List<?>) a.get(i);
            List<?> rb = (List<?>) b.get(i);
            for (int j = 0; j < ra.size(); j++) {
                assertEquals((Double) ra.get(j), (Double) rb.get(j), 1e-9 * (1 + Math.abs((Double) ra.get(j))));
            }
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
