package org.aleph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void reportsEveryTimingAsJson() {
        Cli.Result r = Cli.run("bench", "--n", "40,64", "--d", "8", "--nets", "relu,erf", "--repeat", "1", "--no-peer", "--json");
        assertEquals(0, r.status(), r.toString());
        Map<String, Object> json = MiniJson.object(r.out());
        List<?> results = (List<?>) json.get("results");
        assertEquals(2, results.size());
        Map<?, ?> first = (Map<?, ?>) results.get(0);
        assertEquals(40.0, ((Number) first.get("n")).doubleValue());
        Map<?, ?> kernels = (Map<?, ?>) first.get("kernel_seconds");
        assertTrue(((Number) kernels.get("relu")).doubleValue() > 0);
        assertTrue(((Number) kernels.get("erf")).doubleValue() > 0);
        assertTrue(((Number) first.get("solve_seconds")).doubleValue() > 0);
        assertTrue(!first.containsKey("numpy_kernel_seconds"), "no peer was run");
        assertTrue(json.get("gram_backend") instanceof String);
    }

    @Test
    void sizesBeyondOneArrayOrTheHeapAreRefusedUpFront() {
        Cli.Result overflow = Cli.run("bench", "--n", "200000", "--no-peer");
        assertEquals(2, overflow.status(), overflow.toString());
        assertTrue(overflow.err().contains("exceed one Java array"), overflow.err());
        Cli.Result wide = Cli.run("bench", "--n", "100", "--d", "100000000", "--no-peer");
        assertEquals(2, wide.status(), wide.toString());
        Cli.Result heap = Cli.run("bench", "--n", "40000", "--no-peer");
        assertEquals(2, heap.status(), heap.toString());
        assertTrue(heap.err().contains("the Java heap allows"), heap.err());
    }

    @Test
    void convolutionalBenchmarkReportsCpuSecondsPerEntry() {
        Cli.Result r = Cli.run("bench", "--cnn", "fmnist", "--n", "6", "--threads", "1", "--json");
        assertEquals(0, r.status(), r.toString());
        java.util.Map<String, Object> json = MiniJson.object(r.out());
        assertEquals(21.0, ((Number) json.get("entries")).doubleValue());
        assertEquals(2.0 * 28 * 28, ((Number) json.get("activation_evaluations_per_entry")).doubleValue(),
                "two Relu layers on the 28x28 diagonal");
        double perEntry = ((Number) json.get("cpu_seconds_per_entry")).doubleValue();
        // a measurement: the process CPU clock ticks every 10 ms or so, so a run this short may read 0
        assertTrue(perEntry >= 0 && Double.isFinite(perEntry), "cpu_seconds_per_entry " + perEntry);
        assertEquals(((Number) json.get("cpu_seconds")).doubleValue() / 21, perEntry, 1e-12);
        assertEquals(2, Cli.run("bench", "--cnn", "resnet", "--no-peer").status());
    }

    @Test
    void unknownNetworkIsAUserError() {
        Cli.Result r = Cli.run("bench", "--nets", "softmax", "--no-peer");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("unknown benchmark network 'softmax'"), r.err());
    }

    @Test
    void correlatedInputsCorrelateAsAsked() {
        int d = 784;
        org.aleph.kernel.Matrix x = BenchCommand.randomInputs(200, d, 0.85);
        double[] v = x.data();
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < 200; i += 2, pairs++) {
            double xy = 0, xx = 0, yy = 0;
            for (int k = 0; k < d; k++) {
                double a = v[i * d + k], b = v[(i + 1) * d + k];
                xy += a * b;
                xx += a * a;
                yy += b * b;
            }
            sum += xy / Math.sqrt(xx * yy);
        }
        // each pair's sample correlation is within about 0.04 of 0.85 (the shared vector's own norm varies as 1/sqrt(d))
        assertEquals(0.85, sum / pairs, 0.06);
        Cli.Result r = Cli.run("bench", "--n", "40", "--d", "8", "--nets", "relu", "--repeat", "1", "--no-peer", "--json",
                "--correlation", "0.9");
        assertEquals(0, r.status(), r.toString());
        assertEquals(0.9, ((Number) MiniJson.object(r.out()).get("correlation")).doubleValue());
    }

    @Test
    void correlationOutsideTheUnitIntervalIsAUserError() {
        Cli.Result r = Cli.run("bench", "--correlation", "1", "--no-peer");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("--correlation"), r.err());
    }
}
