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
    void unknownNetworkIsAUserError() {
        Cli.Result r = Cli.run("bench", "--nets", "softmax", "--no-peer");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("unknown benchmark network 'softmax'"), r.err());
    }
}
