package org.aleph.kernel.scale;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes about the work folder and the settings are user errors in one sentence, before any kernel is computed. */
class WorkFolderTest {

    @TempDir
    Path work;

    @Test
    void aFileAsWorkFolderIsRefused() throws IOException {
        Path file = Files.writeString(work.resolve("plain.txt"), "x");
        UserErrorException e = assertThrows(UserErrorException.class, () -> TileStore.open(file, 1, "nngp"));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("--work-dir"), e.getMessage());
        UserErrorException below = assertThrows(UserErrorException.class, () -> TileStore.open(file.resolve("sub"), 1, "nngp"));
        assertTrue(below.getMessage().contains("--work-dir"), below.getMessage());
    }

    @Test
    void tooLittleSpaceIsRefusedWithTheAmounts() {
        TileStore store = TileStore.open(work, 7, "ntk");
        UserErrorException e = assertThrows(UserErrorException.class, () -> store.requireSpace(Long.MAX_VALUE / 4));
        assertTrue(e.getMessage().contains("GB free") && e.getMessage().contains("need"), e.getMessage());
        store.requireSpace(1 << 20); // a megabyte is there
    }

    @Test
    void theSpaceCheckComesBeforeAnyTile() throws IOException {
        Problems p = Problems.clusters(50, 5, 4, 2, 1);
        TileLayout layout = new TileLayout(50, 10);
        long need = layout.storedBytes();
        assertTrue(need == 15L * TileStore.fileBytes(10, 10), "15 tiles of 10 x 10: " + need);
        TileStore store = TileStore.open(work, 3, "nngp");
        // a store whose file system is "full": requireSpace is what build calls first
        UserErrorException e = assertThrows(UserErrorException.class, () -> new TileBuilder(Network.parse(Problems.SPEC), null, 1)
                .build(p.xTrain, layout, store.withFreeSpace(1000), KernelKind.NNGP, ScaleProgress.NONE));
        assertTrue(e.getMessage().contains("GB free"), e.getMessage());
        try (var files = Files.list(store.folder())) {
            assertTrue(files.findAny().isEmpty(), "nothing written");
        }
    }

    @Test
    void zeroRegulariserAndBadSettingsAreRefused() {
        Problems p = Problems.clusters(30, 5, 4, 2, 1);
        TiledRegression.Settings s = TiledRegression.Settings.defaults(work).withBlock(10);
        UserErrorException e = assertThrows(UserErrorException.class, () -> new TiledRegression(Network.parse(Problems.SPEC), null,
                s, LinearAlgebra.automatic(), ScaleProgress.NONE).fitPredict(KernelKind.NNGP, p.xTrain, p.y, p.xTest,
                DiagonalRegularizer.NONE));
        assertTrue(e.getMessage().contains("--diag-reg"), e.getMessage());
        assertThrows(UserErrorException.class, () -> s.withTolerance(0));
        assertThrows(UserErrorException.class, () -> s.withTolerance(1.5));
        assertThrows(UserErrorException.class, () -> s.withRank(-1));
    }

    @Test
    void aResidualThatCannotFallStopsWithAHint() {
        Problems p = Problems.clusters(400, 5, 4, 2, 1);
        TiledRegression.Settings s = TiledRegression.Settings.defaults(work).withBlock(100).withRank(0)
                .withTolerance(1e-12).withMaxIterations(3).withKeep(false);
        UserErrorException e = assertThrows(UserErrorException.class, () -> new TiledRegression(Network.parse(Problems.SPEC), null,
                s, LinearAlgebra.automatic(), ScaleProgress.NONE).fitPredict(KernelKind.NNGP, p.xTrain, p.y, p.xTest,
                DiagonalRegularizer.relative(1e-6)));
        assertTrue(e.getMessage().contains("after 3 iterations") && e.getMessage().contains("--rank")
                && e.getMessage().contains("kept"), e.getMessage());
    }
}
