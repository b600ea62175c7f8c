package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `aleph classify` on the real Fashion-MNIST (Debian's dataset-fashion-mnist, which .ci/run
 * installs, so CI runs this test) reproduces the accuracy stated in README.md for 1000
 * training and 1000 test images. Kernel regression is deterministic, so the figure is exact.
 */
class FashionMnistClassifyTest {

    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void reproducesTheReadmeAccuracyForOneThousandImages() {
        Path train = DIR.resolve("train-images-idx3-ubyte.gz");
        assumeTrue(Files.exists(train) || System.getenv("CI") != null, "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        Cli.Result r = Cli.run("classify", "--net", "Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)",
                "--train", train.toString(), "--test", DIR.resolve("t10k-images-idx3-ubyte.gz").toString(),
                "--n-train", "1000", "--n-test", "1000", "--json");
        assertEquals(0, r.status(), r.toString());
        Map<String, Object> json = MiniJson.object(r.out());
        assertEquals(0.801, ((Number) json.get("accuracy")).doubleValue(), 1e-12, "the README's figure for n = 1000");
    }
}
