package org.aleph.kernel.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupted run leaves whole tiles only; the rerun reuses every valid tile, recomputes a
 * corrupted one and gives bit for bit the result of an uninterrupted run.
 */
class ResumeTest {

    @TempDir
    Path work;

    /** Stands for the user's Ctrl-C: thrown from the progress callback after some tiles. */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("simulated interruption");
        }
    }

    @Test
    void rerunReusesValidTilesAndRecomputesACorruptedOne() throws IOException {
        Problems p = Problems.clusters(700, 50, 8, 3, 5);
        Network net = Network.parse(Problems.SPEC);
        DiagonalRegularizer reg = DiagonalRegularizer.relative(1e-3);
        TiledRegression.Settings s = TiledRegression.Settings.defaults(work).withBlock(200).withRank(100)
                .withTolerance(1e-10).withThreads(2).withKeep(true);
        // 4 blocks (200, 200, 200, 100): 10 tiles
        ScaleProgress interrupt = (stage, done, total) -> {
            if (stage.equals("train tiles") && done == 6) {
                throw new Interrupted();
            }
        };
        assertThrows(Interrupted.class, () -> new TiledRegression(net, null, s, LinearAlgebra.automatic(), interrupt)
                .fitPredict(KernelKind.NTK, p.xTrain, p.y, p.xTest, reg));
        List<Path> tiles = tileFiles("ntk-");
        assertEquals(6, tiles.size(), "whole tiles written before the interruption: " + tiles);
        assertEquals(6, tileFiles("nngp-").size(), "with --keep the NNGP tiles of the same recursion are written alongside");
        try (Stream<Path> all = Files.walk(work)) {
            assertTrue(all.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        // flip one byte in the middle of the payload of one tile
        Path victim = tiles.get(2);
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            long at = TileStore.HEADER + 8L * 1234 + 3;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }

        Path stale = Files.writeString(victim.resolveSibling("." + victim.getFileName() + ".tmp"), "half a tile");
        TiledRegression.Result resumed = new TiledRegression(net, null, s, LinearAlgebra.automatic(), ScaleProgress.NONE)
                .fitPredict(KernelKind.NTK, p.xTrain, p.y, p.xTest, reg);
        assertEquals(5, resumed.tilesReused(), "the five intact tiles are reused");
        assertEquals(5, resumed.tilesComputed(), "the corrupted tile and the four missing ones are computed");
        assertTrue(Files.isDirectory(resumed.jobFolder()), "kept");
        assertFalse(Files.exists(stale), "the temporary file of an interrupted write is removed");

        TiledRegression.Result again = new TiledRegression(net, null, s, LinearAlgebra.automatic(), ScaleProgress.NONE)
                .fitPredict(KernelKind.NTK, p.xTrain, p.y, p.xTest, reg);
        assertEquals(10, again.tilesReused());
        assertEquals(0, again.tilesComputed());
        assertArrayEquals(resumed.mean().data(), again.mean().data(), 0.0);

        Path fresh = Files.createDirectory(work.resolve("fresh"));
        TiledRegression.Result clean = new TiledRegression(net, null, s.withKeep(false).withWorkDir(fresh),
                LinearAlgebra.automatic(), ScaleProgress.NONE).fitPredict(KernelKind.NTK, p.xTrain, p.y, p.xTest, reg);
        assertEquals(10, clean.tilesComputed());
        assertArrayEquals(clean.mean().data(), resumed.mean().data(), 0.0, "resumed = uninterrupted, bit for bit");
        assertFalse(Files.exists(clean.jobFolder()));

        // the NNGP run of the same job finds every tile written alongside the NTK ones
        TiledRegression.Result nngp = new TiledRegression(net, null, s, LinearAlgebra.automatic(), ScaleProgress.NONE)
                .fitPredict(KernelKind.NNGP, p.xTrain, p.y, p.xTest, reg);
        assertEquals(10, nngp.tilesReused());
        assertEquals(0, nngp.tilesComputed());
    }

    @Test
    void tilesEqualTheWholeKernel() {
        Problems p = Problems.clusters(300, 1, 6, 2, 9);
        Network net = Network.parse(Problems.SPEC);
        TileLayout layout = new TileLayout(300, 128);
        TileStore store = TileStore.open(work, 42, "nngp");
        new TileBuilder(net, null, 2).build(p.xTrain, layout, store, KernelKind.NNGP, ScaleProgress.NONE);
        TiledKernel tiled = new TiledKernel(layout, store, 2);
        Matrix whole = new KernelComputer(net, 2).compute(p.xTrain, null).nngp();
        double[] row = new double[300];
        for (int q : new int[] {0, 127, 128, 200, 299}) {
            tiled.row(q, row);
            for (int j = 0; j < 300; j++) {
                assertEquals(whole.get(q, j), row[j], 1e-14 * Math.abs(whole.get(q, q)), "K(" + q + ", " + j + ")");
            }
        }
        // (K + 0.5 I) X against the dense product
        double[] x = p.xTrain.data().clone();
        double[] y = new double[x.length];
        tiled.multiply(x, 6, 0.5, y);
        for (int i = 0; i < 300; i += 37) {
            for (int c = 0; c < 6; c++) {
                double e = 0.5 * x[i * 6 + c];
                for (int j = 0; j < 300; j++) {
                    e += whole.get(i, j) * x[j * 6 + c];
                }
                assertEquals(e, y[i * 6 + c], 1e-12 * (1 + Math.abs(e)));
            }
        }
    }

    private List<Path> tileFiles(String prefix) throws IOException {
        try (Stream<Path> all = Files.walk(work)) {
            return all.filter(f -> f.getFileName().toString().endsWith(".tile") && f.getFileName().toString().startsWith(prefix))
                    .sorted().collect(Collectors.toList());
        }
    }
}
