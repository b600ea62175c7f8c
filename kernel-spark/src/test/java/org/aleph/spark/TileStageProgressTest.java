package org.aleph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.aleph.kernel.scale.TilePrecision;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The "train tiles" stage of a Spark solve is reported while the tiles are computed: starting at
 * 0 of the partitions, never decreasing, never above the partitions, passing through at least
 * one value strictly between (the tiles take seconds here, the tracker is polled every second),
 * ending at all of them; and a second action on the cached tiles reports nothing more.
 */
class TileStageProgressTest {

    /** Tiles of the identity that take 0.6 s each, so that the stage lasts several polls. */
    static final class SlowTile implements Function<int[], Tile> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tile call(int[] ij) throws InterruptedException {
            Thread.sleep(600);
            double[] v = new double[10 * 10];
            java.util.Arrays.fill(v, ij[0] == ij[1] ? 1 : 0);
            return Tile.of(ij[0], ij[1], 10, 10, TilePrecision.FLOAT64, v);
        }
    }

    @Test
    void theTileStageIsReportedInPartitionsWhileItRuns() {
        List<long[]> updates = Collections.synchronizedList(new ArrayList<>());
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("aleph-progress-test").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            // n = 40 in blocks of 10: 10 tiles in 5 partitions of 2, 1.2 s per task, two at a time: 3.6 s, polled at 1, 2 and 3 s
            SparkTiles tiles = new SparkTiles(sc, 40, 10, 5, new SlowTile(), (stage, done, total) -> {
                assertEquals("train tiles", stage);
                updates.add(new long[] {done, total});
            });
            int before = updates.size();
            assertEquals(10, tiles.count());
            assertEquals(before, updates.size(), "later actions on the cached tiles report nothing");
            for (int i = 0; i < 40; i++) {
                assertEquals(1.0, tiles.diagonal()[i], "the diagonal of the identity tiles");
            }
        }
        assertTrue(updates.size() >= 3, "start, at least one step, end: " + updates.size());
        assertEquals(0, updates.get(0)[0]);
        long[] last = updates.get(updates.size() - 1);
        assertEquals(5, last[0]);
        assertEquals(5, last[1]);
        boolean between = false;
        for (int u = 1; u < updates.size(); u++) {
            assertTrue(updates.get(u)[0] >= updates.get(u - 1)[0], "never decreasing");
            assertTrue(updates.get(u)[0] <= 5 && updates.get(u)[1] == 5, "within the partitions");
            between |= updates.get(u)[0] > 0 && updates.get(u)[0] < 5;
        }
        assertTrue(between, "a value between 0 and all of them while the tasks ran");
    }
}
