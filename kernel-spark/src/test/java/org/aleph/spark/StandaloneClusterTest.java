package org.aleph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.scale.ScaleProgress;
import org.aleph.kernel.scale.TiledRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine spark} on a real standalone cluster: a master and two workers started here
 * as separate JVMs on 127.0.0.1 (see {@link StandaloneCluster}), executors launched by the
 * workers, the job submitted through {@link SparkEngine} exactly as {@code aleph classify
 * --engine spark --master spark://...} does. Its predictions equal the local tiled engine's
 * within the solver's tolerance and give the same labels. Bounded in time; every process is
 * stopped at the end.
 */
class StandaloneClusterTest {

    @TempDir
    Path folder;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aJobThroughAMasterAndTwoWorkersEqualsTheLocalEngine() throws Exception {
        Random r = new Random(17);
        ClusterData data = ClusterData.draw(r, 300, 60, 8, 3, 1.0);
        Matrix xTrain = data.xTrain();
        Matrix xTest = data.xTest();
        Matrix yy = data.y();
        Network net = Network.parse(SparkRegressionTest.SPEC);
        DiagonalRegularizer reg = DiagonalRegularizer.relative(1e-4);
        TiledRegression.Settings s = TiledRegression.Settings.defaults(folder.resolve("work")).withBlock(100).withRank(200)
                .withTolerance(1e-8).withThreads(1);
        TiledRegression.Result local = new TiledRegression(net, null, s, LinearAlgebra.automatic(), ScaleProgress.NONE)
                .fitPredict(KernelKind.NTK, xTrain, yy, xTest, reg);

        try (StandaloneCluster cluster = new StandaloneCluster(folder.resolve("spark-home"), 2, 120)) {
            Map<String, String> props = Map.of(
                    "spark.driver.host", "127.0.0.1",
                    "spark.driver.bindAddress", "127.0.0.1",
                    "spark.executor.memory", "512m",
                    "spark.executor.cores", "1",
                    "spark.cores.max", "2",
                    "spark.executor.extraClassPath", cluster.executorClassPath(),
                    "spark.executor.extraJavaOptions", String.join(" ", StandaloneCluster.OPENS));
            props.forEach(System::setProperty);
            TiledRegression.Result spark;
            try {
                spark = new SparkEngine().fitPredict(cluster.masterUrl(), net, null, s, KernelKind.NTK, xTrain, yy, xTest, reg,
                        ScaleProgress.NONE);
            } finally {
                props.keySet().forEach(System::clearProperty);
            }
            String log = cluster.masterLog();
            assertTrue(log.contains("Registered app aleph classify"), log);
            assertTrue(countOf(log, "Launching executor") >= 2, "executors on both workers:\n" + log);
            assertEquals(6, spark.tilesComputed(), "3 blocks: 6 tiles");
            double worst = 0;
            for (int e = 0; e < local.mean().data().length; e++) {
                worst = Math.max(worst, Math.abs(spark.mean().data()[e] - local.mean().data()[e]));
            }
            System.out.printf("standalone cluster: %d iterations (local %d), residual %.2e, |cluster - local| %.2e, %s%n",
                    spark.iterations(), local.iterations(), spark.residual(), worst, spark.seconds());
            assertTrue(spark.residual() <= 1e-7, "residual " + spark.residual());
            assertTrue(worst < 1e-5, "|cluster - local| " + worst);
            assertArrayEquals(SparkRegressionTest.argmax(local.mean()), SparkRegressionTest.argmax(spark.mean()), "labels");
        }
    }

    private static int countOf(String s, String text) {
        int count = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
            count++;
        }
        return count;
    }
}
