package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.aleph.kernel.io.MatrixFiles;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aleph kernel} end to end, in-process: outputs agree bit for bit with the library. */
class KernelCommandTest {

    static final String NET = "Dense(1.5,0.05) Relu Dense(1,0)";
    /** The shipped example: row 5 repeats row 2, row 7 is zero. */
    static final Path EXAMPLE = Path.of("..", "examples", "data", "x.csv");

    @TempDir
    Path dir;

    @Test
    void shippedExampleGivesSummaryWithShapesTimeAndProvenance() {
        Cli.Result r = Cli.run("kernel", "--net", NET, "--x1", EXAMPLE.toString());
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("8 x 3"), r::toString);
        assertTrue(r.out().contains("8 x 8"), r::toString);
        assertTrue(r.out().matches("(?s).*computed in \\d+\\.\\d+ s on \\d+ threads?.*"), r::toString);
        assertTrue(r.out().contains("Relu") && r.out().contains("closed form"), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void shippedExampleHasADuplicateAndAZeroRowWhoseKernelsBehave() throws IOException {
        Path k = dir.resolve("k.csv");
        Path t = dir.resolve("t.npy");
        Cli.Result r = Cli.run("kernel", "--net", NET, "--x1", EXAMPLE.toString(), "--nngp", k.toString(), "--ntk", t.toString());
        assertEquals(0, r.status(), r::toString);
        Matrix nngp = MatrixFiles.read(k, "k");
        Matrix ntk = MatrixFiles.read(t, "t");
        assertEquals(8, nngp.rows());
        // Rows 2 and 5 (1-based) are equal inputs, so their kernel rows are equal.
        assertArrayEquals(nngp.row(1), nngp.row(4));
        assertArrayEquals(ntk.row(1), ntk.row(4));
        // x = 0: after Dense(1.5, 0.05) the pre-activation is N(0, 0.0025); Relu gives E[relu(u)^2] = 0.0025 / 2,
        // and the NTK adds 0.0025 * E[step^2] = 0.0025 / 2 on top: 0.00125 and 0.0025.
        assertEquals(0.00125, nngp.get(6, 6), 1e-18);
        assertEquals(0.0025, ntk.get(6, 6), 1e-18);
    }

    @Test
    void withoutX2TheOutputsAreExactlySymmetricAndEqualTheLibrary() throws IOException {
        Path x = write("x.csv", "0.3,-1,2\n1,1,1\n-0.5,0.25,4\n0,0,0\n2,-3,0.5\n");
        Path k = dir.resolve("k.npy");
        Path t = dir.resolve("t.csv");
        Path v = dir.resolve("v.csv");
        Cli.Result r = Cli.run("kernel", "--net", NET, "--x1", x.toString(), "--nngp", k.toString(), "--ntk", t.toString(),
                "--var1", v.toString(), "--threads", "2");
        assertEquals(0, r.status(), r::toString);
        Matrix nngp = MatrixFiles.read(k, "k");
        Matrix ntk = MatrixFiles.read(t, "t");
        Matrix var = MatrixFiles.read(v, "v");
        KernelResult expected = new KernelComputer(Network.parse(NET), 1).compute(MatrixFiles.read(x, "x"), null);
        assertArrayEquals(expected.nngp().data(), nngp.data(), 0.0);
        assertArrayEquals(expected.ntk().data(), ntk.data(), 0.0);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(Double.doubleToRawLongBits(nngp.get(i, j)), Double.doubleToRawLongBits(nngp.get(j, i)));
                assertEquals(Double.doubleToRawLongBits(ntk.get(i, j)), Double.doubleToRawLongBits(ntk.get(j, i)));
            }
            assertEquals(nngp.get(i, i), var.get(i, 0), 0.0, "var1 is the diagonal");
        }
        assertTrue(r.out().contains("wrote"), r::toString);
    }

    @Test
    void withX2TheKernelsAreTheCrossBlock() throws IOException {
        Path a = write("a.csv", "# three samples\n1,2\n\n-1,0.5\n3,3\n");
        Path b = write("b.csv", "0,1\n2,-2\n");
        Path k = dir.resolve("k.csv");
        Path v2 = dir.resolve("v2.npy");
        Cli.Result r = Cli.run("kernel", "--net", "Dense(2,0.1) Relu Dense(1.5,0) Relu Dense(1,0.2)", "--x1", a.toString(),
                "--x2", b.toString(), "--nngp", k.toString(), "--var2", v2.toString());
        assertEquals(0, r.status(), r::toString);
        Matrix cross = MatrixFiles.read(k, "k");
        assertEquals(3, cross.rows());
        assertEquals(2, cross.cols());
        Matrix all = Matrix.of(new double[][] {{1, 2}, {-1, 0.5}, {3, 3}, {0, 1}, {2, -2}});
        KernelResult full = new KernelComputer(Network.parse("Dense(2,0.1) Relu Dense(1.5,0) Relu Dense(1,0.2)"), 1).compute(all, null);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(full.nngp().get(i, 3 + j), cross.get(i, j), 1e-15 * Math.abs(cross.get(i, j)));
            }
        }
        Matrix var2 = MatrixFiles.read(v2, "v2");
        assertEquals(2, var2.rows());
        assertEquals(full.nngp().get(4, 4), var2.get(1, 0), 1e-15);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonIsExactlyOneObjectWithShapesTimesProvenanceAndExactSmallMatrices() throws IOException {
        Path x = write("x.csv", "1,0\n0,1\n-1,-1\n");
        Cli.Result r = Cli.run("kernel", "--net", NET, "--x1", x.toString(), "--json");
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> o = MiniJson.object(r.out());
        assertEquals("kernel", o.get("command"));
        assertEquals(List.of(3.0, 3.0), o.get("shape"));
        assertEquals(Boolean.TRUE, o.get("symmetric"));
        assertNull(o.get("x2"));
        assertEquals(3.0, ((Map<String, Object>) o.get("x1")).get("rows"));
        assertTrue((Double) o.get("seconds") >= 0);
        List<Object> acts = (List<Object>) o.get("activations");
        Map<String, Object> relu = (Map<String, Object>) acts.get(0);
        assertEquals("Relu", relu.get("name"));
        assertEquals("closed form", relu.get("provenance"));
        assertFalse(((String) relu.get("module")).isEmpty());
        KernelResult expected = Network.parse(NET).kernels(MatrixFiles.read(x, "x"), null);
        List<List<Double>> nngp = (List<List<Double>>) o.get("nngp");
        List<List<Double>> ntk = (List<List<Double>>) o.get("ntk");
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected.nngp().get(i, j), nngp.get(i).get(j), 0.0);
                assertEquals(expected.ntk().get(i, j), ntk.get(i).get(j), 0.0);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonLeavesOutLargeMatricesUnlessPrintIsGiven() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            b.append(i * 0.01).append(',').append(1 - i * 0.02).append('\n');
        }
        Path x = write("big.csv", b.toString());
        Path k = dir.resolve("k.npy");
        Cli.Result r = Cli.run("kernel", "--net", NET, "--x1", x.toString(), "--json", "--nngp", k.toString());
        assertEquals(0, r.status(), r::toString);
        Map<String, Object> o = MiniJson.object(r.out());
        assertFalse(o.containsKey("nngp"));
        assertEquals(k.toString(), ((Map<String, Object>) o.get("outputs")).get("nngp"));
        Cli.Result p = Cli.run("kernel", "--net", NET, "--x1", x.toString(), "--json", "--print");
        assertEquals(101, ((List<Object>) MiniJson.object(p.out()).get("nngp")).size());
    }

    @Test
    void helpHasExamples() {
        Cli.Result r = Cli.run("kernel", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("Examples:") && r.out().contains("--net"), r::toString);
        Cli.Result top = Cli.run("--help");
        assertTrue(top.out().contains("kernel") && top.out().contains("activations") && top.out().contains("Examples:"));
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }
}
