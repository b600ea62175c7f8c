package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.KernelResult;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.io.MatrixFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aleph kernel} with the layers of issue 17 (standard parameterisation, Dropout,
 * LayerNorm(eps)) writes the library's kernels, and the Dropout diagonal of X against itself
 * differs from X against a copy of X (two inputs with independent masks).
 */
class ParameterizationDropoutCommandTest {

    static final String NET = "Dense(1.5, 0.1, parameterization=standard, width=32) Relu Dropout(0.25) "
            + "Dense(1, 0.1, parameterization=standard, width=16) LayerNorm(eps=0.1) Erf Dense(1, 0, parameterization=standard)";

    @TempDir
    Path dir;

    @Test
    void kernelCommandWritesTheLibrarysKernels() throws IOException {
        Path k = dir.resolve("k.csv");
        Path t = dir.resolve("t.csv");
        Cli.Result r = Cli.run("kernel", "--net", NET, "--x1", KernelCommandTest.EXAMPLE.toString(), "--nngp", k.toString(),
                "--ntk", t.toString());
        assertEquals(0, r.status(), r::toString);
        Matrix x = MatrixFiles.read(KernelCommandTest.EXAMPLE, "x");
        KernelResult expected = new KernelComputer(Network.parse(NET), 1).compute(x, null);
        assertArrayEquals(expected.nngp().data(), MatrixFiles.read(k, "k").data(), 0.0);
        assertArrayEquals(expected.ntk().data(), MatrixFiles.read(t, "t").data(), 0.0);
        Path k2 = dir.resolve("k2.csv");
        Cli.Result cross = Cli.run("kernel", "--net", NET, "--x1", KernelCommandTest.EXAMPLE.toString(),
                "--x2", KernelCommandTest.EXAMPLE.toString(), "--nngp", k2.toString());
        assertEquals(0, cross.status(), cross::toString);
        Matrix c = MatrixFiles.read(k2, "k2");
        Matrix self = MatrixFiles.read(k, "k");
        for (int i = 0; i < c.rows(); i++) {
            assertTrue(self.get(i, i) > c.get(i, i), "the same input with itself has the 1/keep diagonal: " + self.get(i, i)
                    + " vs " + c.get(i, i));
            for (int j = 0; j < c.cols(); j++) {
                if (j != i) {
                    assertEquals(self.get(i, j), c.get(i, j), 0.0);
                }
            }
        }
    }
}
