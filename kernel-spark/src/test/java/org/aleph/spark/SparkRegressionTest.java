package org.aleph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.aleph.kernel.KernelComputer;
import org.aleph.kernel.Matrix;
import org.aleph.kernel.Network;
import org.aleph.kernel.dynamics.DiagonalRegularizer;
import org.aleph.kernel.dynamics.GpInference;
import org.aleph.kernel.dynamics.KernelKind;
import org.aleph.kernel.dynamics.KernelPair;
import org.aleph.kernel.dynamics.LinearAlgebra;
import org.aleph.kernel.dynamics.PosteriorKind;
import org.aleph.kernel.dynamics.Uncertainty;
import org.aleph.kernel.scale.ScaleProgress;
import org.aleph.kernel.scale.TiledRegression;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark local[2] against the local tiled engine and the direct Cholesky solve: same labels, outputs within the tolerance. */
class SparkRegressionTest {

    static final String SPEC = "Dense(1.5, 0.05) Relu Dense(1.5, 0.05) Relu Dense(1, 0)";

    @TempDir
    Path work;

    @Test
    void sparkEqualsLocalAndDirect() {
        Random r = new Random(3);
        ClusterData data = ClusterData.draw(r, 600, 150, 10, 4, 1.2);
        Matrix xTrain = data.xTrain();
        Matrix xTest = data.xTest();
        Matrix yy = data.y();
        Network net = Network.parse(SPEC);
        DiagonalRegularizer reg = DiagonalRegularizer.relative(1e-4);
        TiledRegression.Settings s = TiledRegression.Settings.defaults(work).withBlock(200).withRank(300)
                .withTolerance(1e-8).withThreads(2);
        KernelComputer kc = new KernelComputer(net, 2);
        GpInference gp = new GpInference(KernelPair.of(kc.compute(xTrain, null)), yy, reg, LinearAlgebra.automatic());
        KernelPair testTrain = KernelPair.of(kc.compute(xTest, xTrain));

        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("aleph-test").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            for (KernelKind kind : KernelKind.values()) {
                SparkRegression.Result spark = new SparkRegression(sc, net, null, s).fitPredict(kind, xTrain, yy, xTest, reg);
                TiledRegression.Result local = new TiledRegression(net, null, s, LinearAlgebra.automatic(), ScaleProgress.NONE)
                        .fitPredict(kind, xTrain, yy, xTest, reg);
                Matrix direct = gp.predict(kind == KernelKind.NNGP ? PosteriorKind.NNGP : PosteriorKind.NTK, testTrain, null,
                        Uncertainty.NONE).mean();
                assertEquals(6, spark.tiles(), "3 blocks: 6 tiles");
                assertTrue(spark.solved().residual() <= 1e-7, "residual " + spark.solved().residual());
                double toLocal = 0;
                double toDirect = 0;
                for (int e = 0; e < direct.data().length; e++) {
                    toLocal = Math.max(toLocal, Math.abs(spark.mean().data()[e] - local.mean().data()[e]));
                    toDirect = Math.max(toDirect, Math.abs(spark.mean().data()[e] - direct.data()[e]));
                }
                System.out.printf("%s spark: %d iterations (local %d), residual %.2e, |spark - local| %.2e, |spark - direct| %.2e, %s%n",
                        kind, spark.solved().iterations(), local.iterations(), spark.solved().residual(), toLocal, toDirect,
                        spark.seconds());
                assertTrue(toLocal < 1e-5 && toDirect < 1e-5, toLocal + " " + toDirect);
                assertArrayEquals(argmax(direct), argmax(spark.mean()), kind + " labels");
                assertArrayEquals(argmax(local.mean()), argmax(spark.mean()), kind + " labels");
            }
        }
    }

    @Test
    void anUnreachableMasterIsAUserErrorWithinSeconds() throws java.io.IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        long t0 = System.nanoTime();
        String master = "spark://127.0.0.1:" + port;
        org.aleph.kernel.UserErrorException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.aleph.kernel.UserErrorException.class, () -> SparkEngine.probe(master));
        assertTrue(e.getMessage().contains(master) && e.getMessage().contains("--master"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "within seconds");
        org.junit.jupiter.api.Assertions.assertThrows(org.aleph.kernel.UserErrorException.class, () -> SparkEngine.probe("spark://nohostport"));
        SparkEngine.probe("local[2]"); // nothing to probe
        assertTrue(org.aleph.kernel.scale.ClusterEngine.find("spark").isPresent(), "found by ServiceLoader");
    }

    static int[] argmax(Matrix m) {
        int[] a = new int[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            for (int c = 1; c < m.cols(); c++) {
                if (m.get(i, c) > m.get(i, a[i])) {
                    a[i] = c;
                }
            }
        }
        return a;
    }
}
