package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aleph dual} in-process: JSON numbers against closed forms, the files, the errors. */
class DualCommandTest {

    @TempDir
    Path dir;

    @Test
    void reluUnitVarianceMatchesTheArcCosineKernelAndItsHermiteCoefficients() throws IOException {
        Cli.Result r = Cli.run("dual", "--act", "Relu", "--depth", "2", "--points", "21", "--degree", "6", "--out", dir.toString(), "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        assertEquals(2.0, (Double) j.get("sw2"), 1e-15, "1 / E[relu(z)^2]");
        assertEquals(1.0, (Double) j.get("variance"), 1e-14, "unit variance at every layer");
        List<?> a = (List<?>) j.get("hermite");
        assertEquals(1 / Math.sqrt(2 * Math.PI), (Double) a.get(0), 1e-15);
        assertEquals(0.5, (Double) a.get(1), 1e-15);
        assertEquals(1 / Math.sqrt(4 * Math.PI), (Double) a.get(2), 1e-15);
        List<?> files = (List<?>) j.get("files");
        assertEquals(6, files.size());
        for (Object f : files) {
            assertTrue(Files.size(Path.of((String) f)) > 0, f.toString());
        }
        assertEquals(1440, ImageIO.read(dir.resolve("dual-Relu.png").toFile()).getWidth(), "two panels side by side");
        // dual-Relu.csv: rho, nngp_1, nngp_2, ntk_1, ntk_2; nngp_1 is the normalised arc-cosine kernel
        List<String> rows = Files.readAllLines(dir.resolve("dual-Relu.csv")).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(21, rows.size());
        for (String row : rows) {
            String[] v = row.split(",");
            double rho = Double.parseDouble(v[0]);
            double k1 = (Math.sqrt(1 - rho * rho) + (Math.PI - Math.acos(rho)) * rho) / Math.PI;
            double k2 = (Math.sqrt(1 - k1 * k1) + (Math.PI - Math.acos(k1)) * k1) / Math.PI;
            assertEquals(k1, Double.parseDouble(v[1]), 1e-14, row);
            assertEquals(k2, Double.parseDouble(v[2]), 1e-14, row);
        }
        List<String> spectrum = Files.readAllLines(dir.resolve("spectrum-Relu.csv")).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(7, spectrum.size());
        assertEquals("3", spectrum.get(3).split(",")[0]);
        assertEquals(7.0, Double.parseDouble(spectrum.get(3).split(",")[4]), 1e-12, "N(3, 3) = 7");
    }

    @Test
    void networkConventionReportsTheGivenVariances() {
        Cli.Result r = Cli.run("dual", "--act", "Erf", "--sw2", "2", "--sb2", "0.1", "--depth", "1", "--degree", "4", "--dim", "5",
                "--points", "11", "--out", dir.toString());
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("network") && r.out().contains("sigma_w^2 = 2"), r::toString);
        assertTrue(r.out().contains("wrote " + dir.resolve("spectrum-Erf.svg")), r::toString);
    }

    @Test
    void atTheFixedPointTheVarianceStaysAndOneLayerIsTheCorrelationMap() {
        Cli.Result r = Cli.run("dual", "--act", "Erf", "--sw2", "2.5", "--sb2", "0.1", "--fixed-point", "--depth", "3",
                "--degree", "4", "--points", "11", "--out", dir.toString(), "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        org.aleph.kernel.theory.MeanField mf = new org.aleph.kernel.theory.MeanField(
                org.aleph.kernel.ActivationRegistry.defaultRegistry().create("Erf"));
        org.aleph.kernel.theory.SignalPropagation p = mf.at(2.5, 0.1);
        assertEquals(p.qStar(), (Double) j.get("variance"), 1e-12 * p.qStar(), "k_L(1) = q* at every depth");
        assertTrue(((String) j.get("convention")).startsWith("fixed point"));
    }

    @Test
    void mistakesExitWithStatusTwoAndOneSentence() {
        String[][] bad = {
            {"dual", "--act", "Relu", "--sw2", "2", "--out", dir.toString()},
            {"dual", "--act", "Relu", "--depth", "0", "--out", dir.toString()},
            {"dual", "--act", "Relu", "--dim", "1", "--out", dir.toString()},
            {"dual", "--act", "Relu Dense", "--out", dir.toString()},
            {"dual", "--act", "Relu", "--degree", "500", "--out", dir.toString()},
            {"dual", "--act", "Relu", "--fixed-point", "--out", dir.toString()},
            {"dual", "--act", "Relu", "--sw2", "2.5", "--sb2", "0.1", "--fixed-point", "--out", dir.toString()},
        };
        for (String[] args : bad) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), r::toString);
            assertTrue(r.noStackTrace(), r::toString);
            assertEquals(1, r.errLines(), r::toString);
        }
    }
}
