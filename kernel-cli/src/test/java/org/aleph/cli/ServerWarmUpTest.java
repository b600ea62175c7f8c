package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServerWarmUp}: which command lines it warms up on, that it runs the kernel command
 * of their network (and their predict or classify command), every run succeeding, and that
 * it leaves nothing behind (files, redirected streams).
 */
class ServerWarmUpTest {

    @TempDir
    Path tmp;

    @Test
    void findsTheNetworkOfAFullyConnectedCommandLine() {
        String net = "Dense(1.5,0.05) Relu Dense(1,0)";
        assertEquals(Optional.of(net), ServerWarmUp.fullyConnectedNet(List.of("kernel", "--net", net, "--x1", "x.npy")));
        assertEquals(Optional.of(net), ServerWarmUp.fullyConnectedNet(List.of("predict", "--net=" + net, "--train-x", "a.csv")));
        assertEquals(Optional.empty(), ServerWarmUp.fullyConnectedNet(List.of("kernel", "--x1", "x.npy")), "no --net");
        assertEquals(Optional.empty(), ServerWarmUp.fullyConnectedNet(List.of("kernel", "--net", "Conv(8,3) Relu Flatten Dense(1,0)",
                "--x1", "x.npy", "--shape", "8,8,1")), "a convolutional network");
        assertEquals(Optional.empty(), ServerWarmUp.fullyConnectedNet(List.of("kernel", "--net", net, "--shape=4,4,1")), "images");
        assertEquals(Optional.empty(), ServerWarmUp.fullyConnectedNet(List.of("kernel", "--net")), "--net without its value");
    }

    @Test
    void runsTheKernelCommandOfTheNetworkAndLeavesNothing() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String net = "Dense(1.5,0.05) Erf Dense(1,0)";
        int runs = ServerWarmUp.run(List.of("kernel", "--net", net, "--x1", "x.npy"), Map.of(), tmp);
        assertEquals(ServerWarmUp.RUNS, runs, "every warm-up run succeeded");
        assertEquals(ServerWarmUp.RUNS + ServerWarmUp.SOLVE_RUNS,
                ServerWarmUp.run(List.of("predict", "--net", net, "--train-x", "a.npy"), Map.of(), tmp), "kernel and predict runs");
        assertEquals(ServerWarmUp.RUNS + ServerWarmUp.SOLVE_RUNS,
                ServerWarmUp.run(List.of("classify", "--net=" + net, "--train", "a.csv"), Map.of(), tmp), "kernel and classify runs");
        assertEquals(1, ServerWarmUp.run(List.of("kernel", "--net", net), Map.of(), tmp, 0),
                "out of time after the first run, which always runs");
        int failed = ServerWarmUp.run(List.of("kernel", "--net", "Dense(1.5,0.05) Rleu Dense(1,0)"), Map.of(), tmp);
        assertEquals(0, failed, "a spec with a mistake: no run succeeds, nothing thrown");
        assertEquals(0, ServerWarmUp.run(List.of("kernel", "--net", "Dense(1,0)"), Map.of(), tmp.resolve("missing")),
                "no folder to write in: nothing thrown");
        assertSame(out, System.out, "System.out restored");
        assertSame(err, System.err, "System.err restored");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "the temporary folders are gone");
        }
    }
}
