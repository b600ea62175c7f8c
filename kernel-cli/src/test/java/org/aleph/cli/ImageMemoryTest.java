package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aleph.kernel.ImageShape;
import org.aleph.kernel.Network;
import org.aleph.kernel.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The up-front memory check uses the convolutional estimate: a pooling network holds the full
 * (H W)^2 covariance of a pair of images per worker, a Flatten network only H W values, so on
 * 200 x 200 images (about 10^11 bytes per worker for pooling) the first is refused before any
 * work and the second is not.
 */
class ImageMemoryTest {

    static final ImageShape BIG = new ImageShape(200, 200, 1);
    static final String POOLING = "Conv(1.5,0.05) Relu GlobalAvgPool Dense(1,0)";
    static final String FLATTEN = "Conv(1.5,0.05) Relu Flatten Dense(1,0)";

    @TempDir
    Path dir;

    @Test
    void poolingOnLargeImagesIsRefusedUpFrontAndFlattenIsNot() {
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> ClassifyCommand.checkMemory(Network.parse(POOLING), BIG, 10, 10, BIG.features(), 2));
        assertTrue(e.getMessage().contains("GiB") && e.getMessage().contains("--n-train"), e.getMessage());
        assertDoesNotThrow(() -> ClassifyCommand.checkMemory(Network.parse(FLATTEN), BIG, 10, 10, BIG.features(), 2));
        // Without the shape the same sizes are a small fully connected job.
        assertDoesNotThrow(() -> ClassifyCommand.checkMemory(10, 10, BIG.features(), 2));
    }

    @Test
    void kernelCommandRefusesBeforeComputingOrWriting() throws IOException {
        Path x = dir.resolve("big.npy");
        NpyArrays.write(x, new double[2 * BIG.features()], 2, 200, 200);
        Path out = dir.resolve("k.npy");
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run("kernel", "--net", POOLING, "--x1", x.toString(), "--nngp", out.toString(), "--threads", "2");
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("GB") && r.err().contains("-Xmx"), r::toString);
        assertEquals(1, r.errLines(), r::toString);
        assertFalse(Files.exists(out));
        assertTrue(System.nanoTime() - t0 < 10e9, "refused up front, not after computing");
    }
}
