package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.aleph.kernel.ActivationRegistry;
import org.aleph.kernel.theory.MeanField;
import org.aleph.kernel.theory.SignalPropagation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aleph phase} in-process: the point report, the diagram's files, and the user errors. */
class PhaseCommandTest {

    @TempDir
    Path dir;

    @Test
    void pointAsJsonHasTheSixQuantitiesOfTheLibrary() {
        Cli.Result r = Cli.run("phase", "--act", "Erf", "--sw2", "1.5", "--sb2", "0.05", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        SignalPropagation p = new MeanField(ActivationRegistry.defaultRegistry().create("Erf")).at(1.5, 0.05);
        assertEquals(p.qStar(), (Double) j.get("q_star"), 0.0);
        assertEquals(p.chi1(), (Double) j.get("chi1"), 0.0);
        assertEquals(p.cStar(), (Double) j.get("c_star"), 0.0);
        assertEquals(p.xiQ(), (Double) j.get("xi_q"), 0.0);
        assertEquals(p.xiC(), (Double) j.get("xi_c"), 0.0);
        assertEquals(p.xiGrad(), (Double) j.get("xi_grad"), 0.0);
        // Williams 1997: E[erf'(u)^2] = (4/pi) / sqrt(1 + 4 q), so chi1 = sw2 (4/pi) / sqrt(1 + 4 q*)
        double q = (Double) j.get("q_star");
        assertEquals(1.5 * 4 / Math.PI / Math.sqrt(1 + 4 * q), (Double) j.get("chi1"), 1e-14);
        assertEquals("chaotic", j.get("phase"));
        assertTrue((Double) j.get("c_star") < 1 && (Double) j.get("xi_grad") < 0);
    }

    @Test
    void reluAtTwoZeroIsCriticalAndInfiniteDepthScalesAreNull() {
        Cli.Result r = Cli.run("phase", "--act", "Relu", "--sw2", "2", "--sb2", "0", "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        assertEquals(1.0, (Double) j.get("chi1"), 0.0);
        assertEquals("critical", j.get("phase"));
        assertNull(j.get("xi_grad"), "JSON has no infinity: an infinite depth scale is null");
        Cli.Result text = Cli.run("phase", "--act", "Relu", "--sw2", "2", "--sb2", "0");
        assertTrue(text.out().contains("chi_1    1.0") && text.out().contains("critical"), text::toString);
    }

    @Test
    void diagramWritesPngSvgAndCsvWhoseNumbersAreRight() throws IOException {
        Cli.Result r = Cli.run("phase", "--act", "Relu", "--grid", "7", "--sb2-max", "0.5", "--out", dir.toString(), "--threads", "2");
        assertEquals(0, r.status(), r::toString);
        for (String f : List.of("phase-Relu.png", "phase-Relu.svg", "phase-Relu.csv", "phase-Relu-critical.csv")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
            assertTrue(r.out().contains(f), r::toString);
        }
        BufferedImage img = ImageIO.read(dir.resolve("phase-Relu.png").toFile());
        assertEquals(900, img.getWidth());
        assertEquals(720, img.getHeight());
        String svg = Files.readString(dir.resolve("phase-Relu.svg"));
        assertTrue(svg.contains("<svg") && svg.contains("critical line"), "SVG with the legend text");
        List<String> rows = Files.readAllLines(dir.resolve("phase-Relu.csv")).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(49, rows.size());
        for (String row : rows) {
            String[] v = row.split(",");
            assertEquals(8, v.length, row);
            double sw2 = Double.parseDouble(v[0]);
            double sb2 = Double.parseDouble(v[1]);
            assertEquals(sw2 / 2, Double.parseDouble(v[3]), 1e-15, row); // Relu: chi1 = sw2 / 2 at every q
            if (sw2 < 2 && sb2 > 0) {
                assertEquals(sb2 / (1 - sw2 / 2), Double.parseDouble(v[2]), 1e-12 * Double.parseDouble(v[2]), row);
            }
        }
        for (String row : Files.readAllLines(dir.resolve("phase-Relu-critical.csv"))) {
            if (!row.startsWith("#")) {
                assertEquals(2.0, Double.parseDouble(row.split(",")[1]), 0.0, "Relu's critical line is the point (2, 0)");
            }
        }
    }

    @Test
    void diagramAsJsonListsTheFilesAndTheCriticalLine() {
        Cli.Result r = Cli.run("phase", "--act", "Erf", "--grid", "5", "--out", dir.toString(), "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> j = MiniJson.object(r.out().strip());
        assertEquals(4, ((List<?>) j.get("files")).size());
        @SuppressWarnings("unchecked")
        Map<String, Object> line = (Map<String, Object>) j.get("critical_line");
        List<?> sw2 = (List<?>) line.get("sw2");
        assertEquals(Math.PI / 4, (Double) sw2.get(0), 1e-5, "Erf's critical line starts at sw2 = 1/erf'(0)^2 = pi/4");
    }

    @Test
    void mistakesExitWithStatusTwoAndOneSentence() {
        String[][] bad = {
            {"phase", "--act", "Rleu", "--sw2", "1", "--sb2", "0"},
            {"phase", "--act", "Dense Relu", "--sw2", "1", "--sb2", "0"},
            {"phase", "--act", "Relu", "--sw2", "1"},
            {"phase", "--act", "Relu", "--sw2", "-1", "--sb2", "0"},
            {"phase", "--act", "Relu", "--grid", "2", "--out", dir.toString()},
            {"phase", "--act", "Relu", "--out", dir.resolve("no/such/folder").toString()},
        };
        for (String[] args : bad) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), r::toString);
            assertTrue(r.noStackTrace(), r::toString);
            assertEquals(1, r.errLines(), r::toString);
        }
        assertTrue(Cli.run(bad[0]).err().matches("(?s).*did you mean.*Relu.*"));
    }
}
